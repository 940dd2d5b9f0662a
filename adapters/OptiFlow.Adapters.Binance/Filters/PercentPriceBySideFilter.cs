namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// Spot <c>PERCENT_PRICE_BY_SIDE</c> (binance.md §4.3, <c>[S-FLT]</c>): BUY within
/// <c>[avg × bidMultiplierDown, avg × bidMultiplierUp]</c>, SELL within <c>[avg × askMultiplierDown, avg × askMultiplierUp]</c>.
/// Multipliers in 10⁻⁸ units. Immutable; thread-safe; no allocation.
/// </summary>
/// <param name="BidMultiplierUp">BUY upper multiplier, 10⁻⁸ units.</param>
/// <param name="BidMultiplierDown">BUY lower multiplier, 10⁻⁸ units.</param>
/// <param name="AskMultiplierUp">SELL upper multiplier, 10⁻⁸ units.</param>
/// <param name="AskMultiplierDown">SELL lower multiplier, 10⁻⁸ units.</param>
/// <param name="AvgPriceMins">Minutes of the average price.</param>
public readonly record struct PercentPriceBySideFilter(long BidMultiplierUp, long BidMultiplierDown, long AskMultiplierUp, long AskMultiplierDown, int AvgPriceMins);
