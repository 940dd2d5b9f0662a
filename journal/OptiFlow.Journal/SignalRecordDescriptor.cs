using System.Runtime.CompilerServices;
using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Journal;

/// <summary>
/// Layout of the payload of a <see cref="JournalRecordType.Signal"/> record: the raw 96 bytes of one
/// <see cref="SignalEvent"/>, little-endian, as the core emitted it.
/// </summary>
/// <remarks>
/// <code>
///  0  Sequence        (int64, inbound ring sequence that completed the depth message)
///  8  SymbolId (int32) | 12 Reserved (int32, zero)
/// 16  Applied         (int64)
/// 24  FinalUpdateId   (int64)
/// 32  EventTimeMs     (int64, ms since the Unix epoch)
/// 40  BestBid         (int64, 10^-8 units)
/// 48  BestAsk         (int64, 10^-8 units)
/// 56  Obi1            (float64)
/// 64  Obi5            (float64)
/// 72  Obi10           (float64)
/// 80  WeightedMid     (float64)
/// 88  MidDoubled      (int64, 10^-8 units)
/// 96  end
/// </code>
/// A change of <see cref="SignalEvent"/>'s layout bumps <see cref="Version"/>, which every segment header records
/// (<see cref="JournalDescriptor.SignalEventVersionOffset"/>); layout tests assert these offsets. The record's
/// timestamp is <c>EventTimeMs * 1_000_000</c>. Constants only: thread-safe, allocation-free.
/// </remarks>
public static class SignalRecordDescriptor
{
    /// <summary>Layout version of the signal payload.</summary>
    public const int Version = 1;

    /// <summary>Payload size in bytes: <c>sizeof(SignalEvent)</c>.</summary>
    public const int Size = 96;

    /// <summary>Offset of <see cref="SignalEvent.EventTimeMs"/>.</summary>
    public const int EventTimeMsOffset = 32;

    /// <summary>Offset of <see cref="SignalEvent.MidDoubled"/>, the last field.</summary>
    public const int MidDoubledOffset = 88;

    /// <summary>True when the compiled <see cref="SignalEvent"/> has the documented size.</summary>
    /// <returns>Whether <c>Unsafe.SizeOf&lt;SignalEvent&gt;() == Size</c>.</returns>
    public static bool MatchesRuntimeLayout() => Unsafe.SizeOf<SignalEvent>() == Size;
}
