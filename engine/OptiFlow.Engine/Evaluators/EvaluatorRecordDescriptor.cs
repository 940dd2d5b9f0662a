using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>Byte layout of an <see cref="EvaluatorRecord"/>: 120 bytes, little-endian; the journal's
/// <c>EvaluatorRecord</c> payload.</summary>
/// <remarks>
/// <code>
///   0  Type             (uint16, EvaluatorRecordType)   2  EvaluatorId (uint16, index in the EvaluatorSet)
///   4  SymbolId         (int32, the causing event's symbol; -1 when none)
///   8  CausingSequence  (int64, inbound ring sequence of the event that caused the record)
///  16  EventTimeMs      (int64, the causing event's E, ms since the Unix epoch; 0 when it had none)
///  24  LocalTimestampNs (int64, the causing event's recorded receive time, ns since the Unix epoch; 0 when none)
///  32  Body             (88 bytes, laid out by Type: each body type documents its own offsets)
/// 120  end
/// </code>
/// A layout change bumps <see cref="Version"/> (recorded in every journal segment header). Constants only.
/// </remarks>
public static class EvaluatorRecordDescriptor
{
    /// <summary>Layout version of <see cref="EvaluatorRecord"/>, recorded in journal segment headers.</summary>
    public const int Version = 1;

    /// <summary>Record size in bytes.</summary>
    public const int Size = 120;

    /// <summary>Offset of <see cref="EvaluatorRecord.Type"/>.</summary>
    public const int TypeOffset = 0;

    /// <summary>Offset of <see cref="EvaluatorRecord.EvaluatorId"/>.</summary>
    public const int EvaluatorIdOffset = 2;

    /// <summary>Offset of <see cref="EvaluatorRecord.SymbolId"/>.</summary>
    public const int SymbolIdOffset = 4;

    /// <summary>Offset of <see cref="EvaluatorRecord.CausingSequence"/>.</summary>
    public const int CausingSequenceOffset = 8;

    /// <summary>Offset of <see cref="EvaluatorRecord.EventTimeMs"/>.</summary>
    public const int EventTimeMsOffset = 16;

    /// <summary>Offset of <see cref="EvaluatorRecord.LocalTimestampNs"/>.</summary>
    public const int LocalTimestampNsOffset = 24;

    /// <summary>Offset of the body.</summary>
    public const int BodyOffset = 32;

    /// <summary>Body size in bytes: the largest body struct an evaluator may emit.</summary>
    public const int BodySize = Size - BodyOffset;

    /// <summary>Whether the runtime layout matches these constants.</summary>
    /// <returns>True when it does.</returns>
    public static bool MatchesRuntimeLayout() => Unsafe.SizeOf<EvaluatorRecord>() == Size;
}
