using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal;

/// <summary>
/// Layout of a journal segment file: a 64-byte header followed by record frames (<see cref="RecordDescriptor"/>),
/// little-endian. A journal is a directory of fixed-size segment files, each named by its base position.
/// </summary>
/// <remarks>
/// <code>
///  0                               8              12              16
///  +-------------------------------+---------------+---------------+
///  |  Magic "OFJOURNL" (8 bytes)   | FormatVersion | MarketEventVer|
///  +-------------------------------+---------------+---------------+
/// 16  SegmentIndex         (int64, 0-based, consecutive)
/// 24  BasePosition         (int64, journal position of the segment's byte 0 = SegmentIndex * SegmentSize)
/// 32  CreationTimeNs       (int64, wall-clock ns since the Unix epoch)
/// 40  SegmentSize          (int64, bytes; a power of two; the file's length)
/// 48  SignalEventVersion   (int32, SignalRecordDescriptor.Version of outbound signal records)
/// 52  OrderCommandVersion  (int32, OrderCommandDescriptor.Version of outbound order-command records)
/// 56  SnapshotRequestVersion (int32, SnapshotRequestDescriptor.Version of outbound snapshot-request records; since 4)
/// 60  EvaluatorRecordVersion (int32, EvaluatorRecordDescriptor.Version of outbound evaluator records; since 5)
/// 64  first record frame   (HeaderLength; 8-byte aligned)
/// </code>
/// <para>
/// A <i>position</i> is a byte offset in the journal as if its segments were concatenated: segment <c>i</c> covers
/// positions <c>[i * SegmentSize, (i + 1) * SegmentSize)</c>, and its file is named by its base position as 20
/// zero-padded decimal digits plus <see cref="FileExtension"/>, e.g. <c>00000000000000065536.seg</c>.
/// </para>
/// <para>
/// The writer stores the magic last, so a segment whose header is incomplete reads as "bad magic". Space after the
/// last committed record is zero; a record is committed when its length field is non-zero (see
/// <see cref="RecordDescriptor"/>). A layout change bumps <see cref="Version"/>; a change of
/// <see cref="MarketEvent"/> bumps <see cref="MarketEventDescriptor.Version"/>, which every header records.
/// </para>
/// <para>
/// <b>Version history.</b> 1: first slice (24-byte record header, CRC of the payload only). 2: the record header
/// grows to 32 bytes with a timestamp and its CRC-32C covers the header fields too (<see cref="RecordDescriptor"/>);
/// new record types Signal, Symbol and Raw; the segment header records <see cref="SignalRecordDescriptor.Version"/>.
/// 3: new record type OrderCommand; the segment header records <see cref="OrderCommandDescriptor.Version"/> in four
/// bytes of what was padding. 4: new record type SnapshotRequest (the core's requests for a fresh depth snapshot, on
/// the outbound stream); the segment header records <see cref="SnapshotRequestDescriptor.Version"/> in four more bytes
/// of the padding. 5: new record type EvaluatorRecord (evaluators' typed outputs on the outbound stream); the segment
/// header records <see cref="EvaluatorRecordDescriptor.Version"/> in the last four bytes of the padding; and the
/// <see cref="JournalRecordType.Signal"/> payload grows from 96 to 104 bytes (<see cref="SignalRecordDescriptor"/>
/// layout version 2 appends <c>Wobi10</c>). 6: new record type MarketEventDelta (a market event as the words that
/// differ from the one before it in its segment, <see cref="JournalRecordType.MarketEventDelta"/>; the frame's flags
/// carry which words). A version-3, 4 or 5 journal is read as it is (it has none of the
/// newer record types; the newer fields read zero and are not checked; its 96-byte signals read with <c>Wobi10</c> NaN),
/// but not appended to. A journal of an older version is refused with a <see cref="JournalFormatException"/>
/// naming both versions (there is no in-place upgrade: re-record, or replay it with the build that wrote it).
/// </para>
/// Constants only: thread-safe, allocation-free.
/// </remarks>
public static class JournalDescriptor
{
    /// <summary>Segment format version, stored at <see cref="FormatVersionOffset"/>.</summary>
    public const int Version = 6;

    /// <summary>First segment format version with <see cref="JournalRecordType.MarketEventDelta"/> records: 6. In an older segment that type is unknown (damage).</summary>
    public const int MarketEventDeltaSinceVersion = 6;

    /// <summary>Oldest segment format version this build reads: 3 (versions 4, 5 and 6 added record types and header fields; version 5 also grew the signal record, and older signal records are still read).</summary>
    public const int MinReadableVersion = 3;

    /// <summary>The magic number: ASCII <c>OFJOURNL</c> read as a little-endian <see cref="ulong"/>.</summary>
    public const ulong Magic = 0x4C4E_5255_4F4A_464FUL;

    /// <summary>Offset of the 8-byte magic.</summary>
    public const int MagicOffset = 0;

    /// <summary>Offset of the int32 segment format version (<see cref="Version"/>).</summary>
    public const int FormatVersionOffset = MagicOffset + sizeof(ulong);

    /// <summary>Offset of the int32 <see cref="MarketEventDescriptor.Version"/> the writer was built with.</summary>
    public const int MarketEventVersionOffset = FormatVersionOffset + sizeof(int);

    /// <summary>Offset of the int64 0-based segment index.</summary>
    public const int SegmentIndexOffset = MarketEventVersionOffset + sizeof(int);

    /// <summary>Offset of the int64 base position (journal position of the segment's first byte).</summary>
    public const int BasePositionOffset = SegmentIndexOffset + sizeof(long);

    /// <summary>Offset of the int64 creation time, wall-clock ns since the Unix epoch.</summary>
    public const int CreationTimeNsOffset = BasePositionOffset + sizeof(long);

    /// <summary>Offset of the int64 segment size in bytes.</summary>
    public const int SegmentSizeOffset = CreationTimeNsOffset + sizeof(long);

    /// <summary>Offset of the int32 <see cref="SignalRecordDescriptor.Version"/> the writer was built with.</summary>
    public const int SignalEventVersionOffset = SegmentSizeOffset + sizeof(long);

    /// <summary>Offset of the int32 <see cref="OrderCommandDescriptor.Version"/> the writer was built with. Since version 3.</summary>
    public const int OrderCommandVersionOffset = SignalEventVersionOffset + sizeof(int);

    /// <summary>Offset of the int32 <see cref="SnapshotRequestDescriptor.Version"/> the writer was built with. Since version 4.</summary>
    public const int SnapshotRequestVersionOffset = OrderCommandVersionOffset + sizeof(int);

    /// <summary>Offset of the int32 <see cref="EvaluatorRecordDescriptor.Version"/> the writer was built with. Since version 5.</summary>
    public const int EvaluatorRecordVersionOffset = SnapshotRequestVersionOffset + sizeof(int);

    /// <summary>Offset of the reserved bytes that pad the header to <see cref="HeaderLength"/> (none left since version 5).</summary>
    public const int PaddingOffset = EvaluatorRecordVersionOffset + sizeof(int);

    /// <summary>Reserved bytes at the end of the header: none since version 5.</summary>
    public const int PaddingLength = 0;

    /// <summary>Header length in bytes (one cache line); the first record frame starts here.</summary>
    public const int HeaderLength = PaddingOffset + PaddingLength;

    /// <summary>Default segment size: 64 MiB.</summary>
    public const int DefaultSegmentSize = 64 * 1024 * 1024;

    /// <summary>Smallest segment size accepted: 4 KiB (one page).</summary>
    public const int MinSegmentSize = 4 * 1024;

    /// <summary>Largest segment size accepted: 1 GiB (offsets inside a segment stay within an int32).</summary>
    public const int MaxSegmentSize = 1024 * 1024 * 1024;

    /// <summary>File name extension of a segment file, with the dot.</summary>
    public const string FileExtension = ".seg";

    /// <summary>
    /// Name of the sub-directory of a journal that holds its outbound stream (Signal, SnapshotRequest, OrderCommand and EvaluatorRecord records), itself a journal of the
    /// same format: <c>DIR/outbound/*.seg</c> beside the inbound <c>DIR/*.seg</c>.
    /// </summary>
    public const string OutboundDirectoryName = "outbound";

    /// <summary>Number of decimal digits in a segment file name (the base position, zero-padded).</summary>
    public const int FileNameDigits = 20;
}
