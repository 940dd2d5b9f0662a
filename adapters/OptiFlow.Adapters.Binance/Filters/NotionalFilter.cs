namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// A notional rule, <c>price × quantity</c> bounds (binance.md §4.3): spot legacy <c>MIN_NOTIONAL</c>
/// (<c>minNotional</c>, <c>applyToMarket</c>, <c>avgPriceMins</c>), spot <c>NOTIONAL</c> (<c>minNotional</c>,
/// <c>applyMinToMarket</c>, <c>maxNotional</c>, <c>applyMaxToMarket</c>, <c>avgPriceMins</c>) <c>[S-FLT]</c>, or futures
/// <c>MIN_NOTIONAL</c> (<c>notional</c>; MARKET orders use the mark price) <c>[F-CD]</c>.
/// Immutable; thread-safe; no allocation.
/// </summary>
/// <param name="MinNotional">Smallest notional, 10⁻⁸ quote units; 0 = none.</param>
/// <param name="MaxNotional">Largest notional, 10⁻⁸ quote units; 0 = none (legacy and futures filters have none).</param>
/// <param name="ApplyMinToMarket">Whether the minimum applies to MARKET orders (legacy <c>applyToMarket</c>; always true on futures).</param>
/// <param name="ApplyMaxToMarket">Whether the maximum applies to MARKET orders.</param>
/// <param name="AvgPriceMins">Minutes of the average price used for MARKET orders on spot (0 = last price); 0 on futures.</param>
public readonly record struct NotionalFilter(long MinNotional, long MaxNotional, bool ApplyMinToMarket, bool ApplyMaxToMarket, int AvgPriceMins);
