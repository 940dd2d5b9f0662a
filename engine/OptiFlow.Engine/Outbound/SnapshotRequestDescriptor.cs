using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Outbound;

/// <summary>
/// Byte layout of <see cref="SnapshotRequest"/>: 40 bytes, little-endian. Outbound ring slots and journal records
/// (<c>JournalRecordType.SnapshotRequest</c>) carry these bytes verbatim, so a change of layout bumps <see cref="Version"/>.
/// </summary>
/// <remarks>
/// <code>
///  0  CausingSequence        (int64, inbound ring sequence of the breaking depth slot)
///  8  FirstBufferedUpdateId  (int64, U of the diff now buffered)
/// 16  LastAppliedUpdateId    (int64, the book's last applied u, 0 if none)
/// 24  EventTimeMs            (int64, E of the breaking diff, ms since the Unix epoch)
/// 32  SymbolId (int32) | 36 Reason (int32, SnapshotRequestReason)
/// 40  end
/// </code>
/// No implicit padding: every byte is a field, so journaled bytes are deterministic. Constants only: thread-safe.
/// </remarks>
public static class SnapshotRequestDescriptor
{
    /// <summary>Layout version; journal segment headers record it.</summary>
    public const int Version = 1;

    /// <summary>Offset of <see cref="SnapshotRequest.CausingSequence"/>.</summary>
    public const int CausingSequenceOffset = 0;

    /// <summary>Offset of <see cref="SnapshotRequest.FirstBufferedUpdateId"/>.</summary>
    public const int FirstBufferedUpdateIdOffset = CausingSequenceOffset + sizeof(long);

    /// <summary>Offset of <see cref="SnapshotRequest.LastAppliedUpdateId"/>.</summary>
    public const int LastAppliedUpdateIdOffset = FirstBufferedUpdateIdOffset + sizeof(long);

    /// <summary>Offset of <see cref="SnapshotRequest.EventTimeMs"/>.</summary>
    public const int EventTimeMsOffset = LastAppliedUpdateIdOffset + sizeof(long);

    /// <summary>Offset of <see cref="SnapshotRequest.SymbolId"/>.</summary>
    public const int SymbolIdOffset = EventTimeMsOffset + sizeof(long);

    /// <summary>Offset of <see cref="SnapshotRequest.Reason"/>.</summary>
    public const int ReasonOffset = SymbolIdOffset + sizeof(int);

    /// <summary>Size in bytes.</summary>
    public const int Size = ReasonOffset + sizeof(int);

    /// <summary>Whether the runtime layout of <see cref="SnapshotRequest"/> has <see cref="Size"/> bytes.</summary>
    /// <returns>True when it matches.</returns>
    public static bool MatchesRuntimeLayout() => Unsafe.SizeOf<SnapshotRequest>() == Size;
}
