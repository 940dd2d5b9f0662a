namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// <c>PRICE_FILTER</c>: <c>minPrice</c>, <c>maxPrice</c>, <c>tickSize</c>, each in 10⁻⁸ units (binance.md §4.3, <c>[S-FLT]</c>, <c>[F-CD]</c>).
/// A field equal to 0 disables its rule. Immutable; thread-safe; no allocation.
/// </summary>
/// <param name="MinPrice">Lowest price allowed, 10⁻⁸ units; 0 = no minimum.</param>
/// <param name="MaxPrice">Highest price allowed, 10⁻⁸ units; 0 = no maximum.</param>
/// <param name="TickSize">Price increment, 10⁻⁸ units; 0 = any increment.</param>
public readonly record struct PriceFilter(long MinPrice, long MaxPrice, long TickSize);
