using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>
/// The body of an <see cref="EvaluatorRecordType.TriangleOpportunity"/> record: one cycle of one triangle whose edge
/// reached the evaluator's threshold on a bookTicker (the trigger), its size, and an executable plan checked against the
/// instruments' filters (layout: <see cref="TriangleOpportunityDescriptor"/>).
/// </summary>
/// <remarks>
/// <para><b>Reading a plan.</b> With <c>t = universe.Triangles[TriangleId]</c> and <c>legs = t.Legs(Direction)</c>, leg
/// <c>i</c> is an order on <c>legs[i].Instrument</c> (symbol id: <see cref="TriangleEvaluator.SymbolIdOf"/>), side
/// <c>legs[i].Side</c>, quantity <c>Quantity{i}</c> (10⁻⁸ base units, a stepSize multiple), limit price the touched
/// price of that instrument's bookTicker as of the trigger — bid for a sell, ask for a buy — which the evaluator holds
/// (<see cref="TriangleEvaluator.QuoteOf"/>, exact until that instrument's next bookTicker; in a journal, the
/// instrument's last bookTicker before the record's causing sequence, which <c>AgeNs{i}</c> dates).
/// <see cref="TriangleEvaluator.LegOrder"/> puts the four together. Send only when <see cref="Status"/> is
/// <see cref="TrianglePlanStatus.Executable"/>. The 88-byte body has no room for three prices beside the three ages.</para>
/// <para>Plain unmanaged data; copying allocates nothing.</para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = TriangleOpportunityDescriptor.Size)]
public struct TriangleOpportunity
{
    /// <summary>The trigger number n: the session's count of bookTicker frames so far, the trigger included (1-based).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.NOffset)]
    public long N;

    /// <summary>The trigger's bookTicker update id <c>u</c>.</summary>
    [FieldOffset(TriangleOpportunityDescriptor.UOffset)]
    public long U;

    /// <summary>The edge in basis points: <c>(Π rate·(1 − fee) − 1)·10⁴</c>, fees taken from what each leg receives.</summary>
    [FieldOffset(TriangleOpportunityDescriptor.EdgeBpsOffset)]
    public double EdgeBps;

    /// <summary>The largest start amount, in start-asset units (<see cref="Triangle.StartAsset"/>), that every leg fills at
    /// the top of book (each leg's cap taken back to start units through the rates and fees before it).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.MaxStartQtyOffset)]
    public double MaxStartQty;

    /// <summary>Leg 0's order quantity, 10⁻⁸ base units of its instrument, rounded down to its stepSize; 0 when a previous leg failed.</summary>
    [FieldOffset(TriangleOpportunityDescriptor.Quantity0Offset)]
    public long Quantity0;

    /// <summary>Leg 1's order quantity (as <see cref="Quantity0"/>).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.Quantity1Offset)]
    public long Quantity1;

    /// <summary>Leg 2's order quantity (as <see cref="Quantity0"/>).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.Quantity2Offset)]
    public long Quantity2;

    /// <summary>Leg 0's age, ns: the trigger's <see cref="Model.MarketEvent.LocalTimestampNs"/> minus that of the leg's last bookTicker (0 for the trigger's own leg).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.AgeNs0Offset)]
    public long AgeNs0;

    /// <summary>Leg 1's age, ns (as <see cref="AgeNs0"/>).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.AgeNs1Offset)]
    public long AgeNs1;

    /// <summary>Leg 2's age, ns (as <see cref="AgeNs0"/>).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.AgeNs2Offset)]
    public long AgeNs2;

    /// <summary>The triangle (<see cref="TriangleUniverse.Triangles"/>).</summary>
    [FieldOffset(TriangleOpportunityDescriptor.TriangleIdOffset)]
    public int TriangleId;

    /// <summary>The cycle's direction.</summary>
    [FieldOffset(TriangleOpportunityDescriptor.DirectionOffset)]
    public TriangleDirection Direction;

    /// <summary>Whether the plan passes every filter, else the first rule failed.</summary>
    [FieldOffset(TriangleOpportunityDescriptor.StatusOffset)]
    public TrianglePlanStatus Status;

    /// <summary>The leg (0–2) that failed <see cref="Status"/>, or <see cref="NoFailedLeg"/>.</summary>
    [FieldOffset(TriangleOpportunityDescriptor.FailedLegOffset)]
    public byte FailedLeg;

    /// <summary><see cref="FailedLeg"/> of an executable plan.</summary>
    public const byte NoFailedLeg = byte.MaxValue;

    /// <summary>Leg <paramref name="leg"/>'s quantity.</summary>
    /// <param name="leg">0, 1 or 2.</param>
    /// <returns>10⁻⁸ base units.</returns>
    public readonly long Quantity(int leg) => leg switch
    {
        0 => Quantity0,
        1 => Quantity1,
        2 => Quantity2,
        _ => throw new ArgumentOutOfRangeException(nameof(leg), leg, "A cycle has legs 0, 1 and 2."),
    };

    /// <summary>Leg <paramref name="leg"/>'s age.</summary>
    /// <param name="leg">0, 1 or 2.</param>
    /// <returns>ns.</returns>
    public readonly long AgeNs(int leg) => leg switch
    {
        0 => AgeNs0,
        1 => AgeNs1,
        2 => AgeNs2,
        _ => throw new ArgumentOutOfRangeException(nameof(leg), leg, "A cycle has legs 0, 1 and 2."),
    };
}
