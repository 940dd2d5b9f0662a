namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>
/// Whether a <see cref="TriangleOpportunity"/>'s plan passes the instruments' filters, and if not the first rule it
/// fails (binance.md §4.3, spot form; a filter field of 0 disables its rule).
/// </summary>
/// <remarks>Values are part of the <see cref="TriangleOpportunity"/> record layout (journaled): never renumber; add at
/// the end. The leg that failed is <see cref="TriangleOpportunity.FailedLeg"/>.</remarks>
public enum TrianglePlanStatus : byte
{
    /// <summary>No plan (never emitted).</summary>
    None = 0,

    /// <summary>Every leg passes PRICE_FILTER, LOT_SIZE and NOTIONAL: three orders can be sent as they are.</summary>
    Executable = 1,

    /// <summary>PRICE_FILTER: the touched price is below <c>minPrice</c> or above <c>maxPrice</c>.</summary>
    PriceOutOfRange = 2,

    /// <summary>PRICE_FILTER: the touched price is not a multiple of <c>tickSize</c> (<c>price % tickSize != 0</c>).</summary>
    PriceOffTick = 3,

    /// <summary>LOT_SIZE: the leg's quantity, rounded down to <c>stepSize</c>, is below <c>minQty</c> (or is 0).</summary>
    QuantityBelowMin = 4,

    /// <summary>LOT_SIZE: the leg's quantity is above <c>maxQty</c>.</summary>
    QuantityAboveMax = 5,

    /// <summary>NOTIONAL (MIN_NOTIONAL): <c>price·qty</c> is below <c>minNotional</c>.</summary>
    NotionalBelowMin = 6,

    /// <summary>NOTIONAL: <c>price·qty</c> is above <c>maxNotional</c>.</summary>
    NotionalAboveMax = 7,
}
