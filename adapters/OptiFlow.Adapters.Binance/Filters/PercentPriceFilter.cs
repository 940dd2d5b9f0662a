namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// <c>PERCENT_PRICE</c> (binance.md §4.3): spot <c>multiplierUp</c>, <c>multiplierDown</c>, <c>avgPriceMins</c>
/// <c>[S-FLT]</c>; futures adds <c>multiplierDecimal</c> and applies the bound by side against the mark price
/// <c>[F-CD]</c>. Multipliers in 10⁻⁸ units (<c>"1.0500"</c> = 105_000_000). Immutable; thread-safe; no allocation.
/// </summary>
/// <param name="MultiplierUp">Upper multiplier, 10⁻⁸ units.</param>
/// <param name="MultiplierDown">Lower multiplier, 10⁻⁸ units.</param>
/// <param name="AvgPriceMins">Minutes of the spot average price (0 on futures).</param>
/// <param name="MultiplierDecimal">Futures <c>multiplierDecimal</c> (decimals of the multipliers); 0 on spot.</param>
public readonly record struct PercentPriceFilter(long MultiplierUp, long MultiplierDown, int AvgPriceMins, int MultiplierDecimal);
