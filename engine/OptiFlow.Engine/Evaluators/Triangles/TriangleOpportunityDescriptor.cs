using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>Byte layout of a <see cref="TriangleOpportunity"/>: the 88-byte body of an
/// <see cref="EvaluatorRecordType.TriangleOpportunity"/> record (<see cref="EvaluatorRecordDescriptor.BodyOffset"/>),
/// little-endian.</summary>
/// <remarks>
/// <code>
///  0  N            (int64, the trigger: the session's count of bookTicker frames, this one included)
///  8  U            (int64, the trigger's bookTicker update id u)
/// 16  EdgeBps      (float64, (Π rate·(1 − fee) − 1)·10⁴)
/// 24  MaxStartQty  (float64, start-asset units: the largest start amount every leg fills at the top of book)
/// 32  Quantity0    (int64, 10⁻⁸ base units of leg 0's instrument: the order quantity, a stepSize multiple)
/// 40  Quantity1    (int64, leg 1)
/// 48  Quantity2    (int64, leg 2)
/// 56  AgeNs0       (int64, ns: trigger's LocalTimestampNs − leg 0's last bookTicker LocalTimestampNs)
/// 64  AgeNs1       (int64, leg 1)
/// 72  AgeNs2       (int64, leg 2)
/// 80  TriangleId   (int32, index in TriangleUniverse.Triangles)
/// 84  Direction    (uint8, TriangleDirection)
/// 85  Status       (uint8, TrianglePlanStatus)
/// 86  FailedLeg    (uint8, 0–2, or 255 when Status is Executable)
/// 87  // padding: 1 (zero)
/// 88  end
/// </code>
/// A layout change bumps <see cref="Version"/>. Constants only.
/// </remarks>
public static class TriangleOpportunityDescriptor
{
    /// <summary>Layout version of the body.</summary>
    public const int Version = 1;

    /// <summary>Offset of <see cref="TriangleOpportunity.N"/>.</summary>
    public const int NOffset = 0;

    /// <summary>Offset of <see cref="TriangleOpportunity.U"/>.</summary>
    public const int UOffset = NOffset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.EdgeBps"/>.</summary>
    public const int EdgeBpsOffset = UOffset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.MaxStartQty"/>.</summary>
    public const int MaxStartQtyOffset = EdgeBpsOffset + sizeof(double);

    /// <summary>Offset of <see cref="TriangleOpportunity.Quantity0"/>.</summary>
    public const int Quantity0Offset = MaxStartQtyOffset + sizeof(double);

    /// <summary>Offset of <see cref="TriangleOpportunity.Quantity1"/>.</summary>
    public const int Quantity1Offset = Quantity0Offset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.Quantity2"/>.</summary>
    public const int Quantity2Offset = Quantity1Offset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.AgeNs0"/>.</summary>
    public const int AgeNs0Offset = Quantity2Offset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.AgeNs1"/>.</summary>
    public const int AgeNs1Offset = AgeNs0Offset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.AgeNs2"/>.</summary>
    public const int AgeNs2Offset = AgeNs1Offset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.TriangleId"/>.</summary>
    public const int TriangleIdOffset = AgeNs2Offset + sizeof(long);

    /// <summary>Offset of <see cref="TriangleOpportunity.Direction"/>.</summary>
    public const int DirectionOffset = TriangleIdOffset + sizeof(int);

    /// <summary>Offset of <see cref="TriangleOpportunity.Status"/>.</summary>
    public const int StatusOffset = DirectionOffset + sizeof(byte);

    /// <summary>Offset of <see cref="TriangleOpportunity.FailedLeg"/>.</summary>
    public const int FailedLegOffset = StatusOffset + sizeof(byte);

    /// <summary>Body size in bytes (one byte of padding after <see cref="FailedLegOffset"/>).</summary>
    public const int Size = FailedLegOffset + sizeof(byte) + 1;

    /// <summary>Whether the runtime layout matches these constants and fits an evaluator record's body.</summary>
    /// <returns>True when it does.</returns>
    public static bool MatchesRuntimeLayout() => Unsafe.SizeOf<TriangleOpportunity>() == Size && Size <= EvaluatorRecordDescriptor.BodySize;
}
