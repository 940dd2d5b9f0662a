namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// Outcome of a filter check (<see cref="SymbolFilterValidator"/>). Each failure names the rule Binance would reject
/// with (spot <c>-1013 "Filter failure: …"</c> <c>[S-ERR]</c>; futures <c>-4003</c>…<c>-4164</c> <c>[F-ERR]</c>, binance.md §8.1).
/// </summary>
public enum FilterVerdict : byte
{
    /// <summary>Passes.</summary>
    Ok = 0,

    /// <summary>Price or quantity is zero or negative.</summary>
    NotPositive,

    /// <summary><c>price &lt; minPrice</c> (futures <c>-4013</c>).</summary>
    PriceBelowMin,

    /// <summary><c>price &gt; maxPrice</c>.</summary>
    PriceAboveMax,

    /// <summary>Not on the tick grid (futures <c>-4014</c>).</summary>
    PriceNotOnTick,

    /// <summary><c>qty &lt; minQty</c> (futures <c>-4004</c>).</summary>
    QuantityBelowMin,

    /// <summary><c>qty &gt; maxQty</c> (futures <c>-4005</c>).</summary>
    QuantityAboveMax,

    /// <summary>Not on the step grid (futures <c>-4023</c>).</summary>
    QuantityNotOnStep,

    /// <summary><c>price × qty</c> below the minimum notional (futures <c>-4164</c>).</summary>
    NotionalBelowMin,

    /// <summary><c>price × qty</c> above <c>maxNotional</c> (spot <c>NOTIONAL</c>).</summary>
    NotionalAboveMax,

    /// <summary>Above the reference × up multiplier (futures <c>-4016</c>).</summary>
    PriceAboveMultiplierUp,

    /// <summary>Below the reference × down multiplier (futures <c>-4024</c>).</summary>
    PriceBelowMultiplierDown,
}
