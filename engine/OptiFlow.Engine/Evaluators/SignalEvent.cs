using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// What the core emits after every applied depth message of a synced book: the top of book and the order-book
/// imbalance (OBI) over 1, 5 and 10 levels, the size-weighted mid (microprice) and the distance-weighted OBI over 10 levels.
/// </summary>
/// <remarks>
/// <c>obiL = (Σ bid qty of the top L levels − Σ ask qty of the top L) / (sum of both)</c>;
/// <c>wmid = (bestAsk·bidQty₁ + bestBid·askQty₁) / (bidQty₁ + askQty₁)</c>. Prices are 10⁻⁸ units; ratios are
/// <c>wobi10</c>: see <see cref="Wobi10"/>. Prices are 10⁻⁸ units; ratios are
/// <see cref="double"/> (ARCHITECTURE "Numbers": derived ratios may be double). A side with no level gives price 0 and
/// NaN ratios that need it. Plain data, 104 bytes, no references; fields are only ever appended (journal layout,
/// <c>SignalRecordDescriptor</c>).
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct SignalEvent
{
    /// <summary>Ring sequence of the slot that completed the depth message.</summary>
    public long Sequence;

    /// <summary>The symbol.</summary>
    public int SymbolId;

    /// <summary>Padding to keep the 8-byte fields aligned.</summary>
    public int Reserved;

    /// <summary>Applied depth messages of this symbol so far, this one included.</summary>
    public long Applied;

    /// <summary>Final update id <c>u</c> of the applied message.</summary>
    public long FinalUpdateId;

    /// <summary>Event time <c>E</c> of the applied message, ms since the Unix epoch.</summary>
    public long EventTimeMs;

    /// <summary>Best bid price, 10⁻⁸ units; 0 when the bid side is empty.</summary>
    public long BestBid;

    /// <summary>Best ask price, 10⁻⁸ units; 0 when the ask side is empty.</summary>
    public long BestAsk;

    /// <summary>OBI over the top level.</summary>
    public double Obi1;

    /// <summary>OBI over the top 5 levels.</summary>
    public double Obi5;

    /// <summary>OBI over the top 10 levels.</summary>
    public double Obi10;

    /// <summary>Size-weighted mid (microprice), in whole price units.</summary>
    public double WeightedMid;

    /// <summary>Best bid plus best ask, 10⁻⁸ units: twice the mid, so the mid is exact (see <see cref="Model.FixedPoint.FormatHalf"/>).</summary>
    public long MidDoubled;

    /// <summary>
    /// Distance-weighted OBI over the top 10 levels of each side:
    /// <c>(Σ w·qty over bids − Σ w·qty over asks) / (Σ w·qty over both)</c> with <c>m = (bestBid + bestAsk) / 2</c> and
    /// <c>w(p) = 1 / (1 + |p − m| / m)</c>; NaN when a side is empty (and in signals read from journals older than
    /// format version 5, which did not hold it). Computed by <see cref="ImbalanceEvaluator.Evaluate"/>, which documents the rounding.
    /// </summary>
    public double Wobi10;
}
