using System.Runtime.CompilerServices;
using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Journal;

/// <summary>
/// Layout of the payload of a <see cref="JournalRecordType.Signal"/> record: the raw 104 bytes of one
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
/// 96  Wobi10          (float64; since layout version 2, journal format version 5)
/// 104 end
/// </code>
/// <para>
/// <b>Version history.</b> 1 (journal format versions 2 to 4): 96 bytes, ending after <c>MidDoubled</c>
/// (<see cref="LegacySize"/>). 2 (format version 5): <c>Wobi10</c> appended; every earlier offset unchanged. A reader
/// of this build reads both: a version-1 record reads as a <see cref="SignalEvent"/> whose <c>Wobi10</c> is NaN
/// (<see cref="JournalRecord.Signal"/>).
/// </para>
/// A change of <see cref="SignalEvent"/>'s layout bumps <see cref="Version"/>, which every segment header records
/// (<see cref="JournalDescriptor.SignalEventVersionOffset"/>); layout tests assert these offsets. The record's
/// timestamp is <c>EventTimeMs * 1_000_000</c>. Constants only: thread-safe, allocation-free.
/// </remarks>
public static class SignalRecordDescriptor
{
    /// <summary>Layout version of the signal payload.</summary>
    public const int Version = 2;

    /// <summary>Layout version of the signal payload in journals of format versions 2 to 4.</summary>
    public const int LegacyVersion = 1;

    /// <summary>Payload size in bytes: <c>sizeof(SignalEvent)</c>.</summary>
    public const int Size = Wobi10Offset + sizeof(double);

    /// <summary>Payload size of a <see cref="LegacyVersion"/> signal record (journal format versions 2 to 4): everything up to <see cref="Wobi10Offset"/>.</summary>
    public const int LegacySize = MidDoubledOffset + sizeof(long);

    /// <summary>Offset of <see cref="SignalEvent.EventTimeMs"/>.</summary>
    public const int EventTimeMsOffset = 32;

    /// <summary>Offset of <see cref="SignalEvent.MidDoubled"/>, the last field of a <see cref="LegacyVersion"/> record.</summary>
    public const int MidDoubledOffset = 88;

    /// <summary>Offset of <see cref="SignalEvent.Wobi10"/>, the last field; since <see cref="Version"/> 2.</summary>
    public const int Wobi10Offset = MidDoubledOffset + sizeof(long);

    /// <summary>Payload size of a signal record in a segment of journal format <paramref name="formatVersion"/>.</summary>
    /// <param name="formatVersion">A readable <see cref="JournalDescriptor.Version"/>.</param>
    /// <returns><see cref="Size"/> from format version 5 on, <see cref="LegacySize"/> before.</returns>
    public static int SizeForFormat(int formatVersion) => formatVersion >= 5 ? Size : LegacySize;

    /// <summary>Signal layout version a segment of journal format <paramref name="formatVersion"/> records in its header.</summary>
    /// <param name="formatVersion">A readable <see cref="JournalDescriptor.Version"/>.</param>
    /// <returns><see cref="Version"/> from format version 5 on, <see cref="LegacyVersion"/> before.</returns>
    public static int VersionForFormat(int formatVersion) => formatVersion >= 5 ? Version : LegacyVersion;

    /// <summary>True when the compiled <see cref="SignalEvent"/> has the documented size.</summary>
    /// <returns>Whether <c>Unsafe.SizeOf&lt;SignalEvent&gt;() == Size</c>.</returns>
    public static bool MatchesRuntimeLayout() => Unsafe.SizeOf<SignalEvent>() == Size;
}
