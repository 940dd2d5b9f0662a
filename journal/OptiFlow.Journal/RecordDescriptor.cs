using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Journal;

/// <summary>
/// Layout of one record frame inside a segment (<see cref="JournalDescriptor"/>): a 32-byte header, then the
/// payload, the whole frame padded with zeros to a multiple of <see cref="Alignment"/>. Little-endian.
/// </summary>
/// <remarks>
/// <code>
///  0                               4               6               8
///  +-------------------------------+---------------+---------------+
///  |     FrameLength (int32)       |  Type (u16)   |  Flags (u16)  |
///  +-------------------------------+---------------+---------------+
///  8  Crc32C (uint32)              | 12 PayloadLength (int32, bytes)
/// 16  Sequence             (int64; ring sequence, -1 when the record has none)
/// 24  TimestampNs          (int64; wall-clock ns since the Unix epoch, the record's data time; 0 when none)
/// 32  payload              (PayloadLength bytes)
///     padding: 0..7        (zero, up to the next multiple of 8 = FrameLength)
/// </code>
/// <para>
/// <b>Commit protocol.</b> The writer fills type, flags, payload length, sequence, timestamp, payload and CRC, then
/// stores <c>FrameLength</c> last with release semantics: that store is the commit point. A reader loads the length
/// with acquire semantics; zero means "nothing committed here yet" (the end of the written data), and it never reads a
/// record whose length is zero. <c>FrameLength</c> counts the header, the payload and the alignment padding, so the
/// next frame starts at <c>offset + FrameLength</c>.
/// </para>
/// <para>
/// <b>CRC-32C coverage.</b> The checksum covers every byte of the frame that carries meaning except the length and
/// the checksum itself: type and flags (bytes 4..8), then payload length, sequence, timestamp and payload (bytes
/// 12..32 + PayloadLength), in that order (<see cref="Crc32C.Frame(byte*, int)"/>). The length is checked by
/// <c>FrameLength == Align(HeaderLength + PayloadLength)</c>, so a flipped bit anywhere in a frame is detected.
/// </para>
/// <para>
/// <b>Padding frames.</b> When the next record does not fit in the rest of a segment, the writer commits a
/// <see cref="JournalRecordType.Padding"/> frame that runs exactly to the end of the segment and continues in the
/// next segment. A padding frame may be as short as <see cref="MinPaddingFrameLength"/> (length, type and flags);
/// only its length and type are meaningful, its other bytes stay zero, and it is not checksummed. Frames are
/// 8-aligned and the segment header is 64 bytes, so the space left in a segment is always 0 or at least 8 bytes.
/// </para>
/// <para>
/// <b>Validation.</b> A committed non-padding frame must be 8-aligned, at least <see cref="HeaderLength"/> long, lie
/// inside the segment, satisfy <c>FrameLength == Align(HeaderLength + PayloadLength)</c> and match its CRC-32C
/// (Castagnoli, as <see cref="System.Numerics.BitOperations.Crc32C(uint, ulong)"/> computes it, initial value and
/// final inversion all ones). The flags are reserved, written zero, except in a
/// <see cref="JournalRecordType.MarketEventDelta"/> frame, where they say which words of the event the payload carries
/// (and so its length: 8 bytes per bit set).
/// </para>
/// Constants and pure functions only: thread-safe, allocation-free.
/// </remarks>
public static class RecordDescriptor
{
    /// <summary>Record frame layout version; bumped with <see cref="JournalDescriptor.Version"/>.</summary>
    public const int Version = 2;

    /// <summary>Frame alignment in bytes; every frame length is a multiple of it.</summary>
    public const int Alignment = sizeof(long);

    /// <summary>Offset of the int32 frame length (header + payload + padding), written last: the commit point.</summary>
    public const int FrameLengthOffset = 0;

    /// <summary>Offset of the uint16 record type (<see cref="JournalRecordType"/>).</summary>
    public const int TypeOffset = FrameLengthOffset + sizeof(int);

    /// <summary>Offset of the uint16 flags: the word mask of a <see cref="JournalRecordType.MarketEventDelta"/>; reserved (written zero) in every other type.</summary>
    public const int FlagsOffset = TypeOffset + sizeof(ushort);

    /// <summary>Offset of the uint32 CRC-32C of type, flags, the rest of the header and the payload.</summary>
    public const int Crc32COffset = FlagsOffset + sizeof(ushort);

    /// <summary>Offset of the int32 exact payload length in bytes; the checksummed tail of the header starts here.</summary>
    public const int PayloadLengthOffset = Crc32COffset + sizeof(uint);

    /// <summary>Offset of the int64 ring sequence.</summary>
    public const int SequenceOffset = PayloadLengthOffset + sizeof(int);

    /// <summary>Offset of the int64 record time, wall-clock ns since the Unix epoch (see <see cref="JournalRecordType"/> for its source per type).</summary>
    public const int TimestampNsOffset = SequenceOffset + sizeof(long);

    /// <summary>Header length in bytes; the payload starts here (8-aligned).</summary>
    public const int HeaderLength = TimestampNsOffset + sizeof(long);

    /// <summary>Offset of the payload.</summary>
    public const int PayloadOffset = HeaderLength;

    /// <summary>Shortest possible padding frame: length, type and flags.</summary>
    public const int MinPaddingFrameLength = Crc32COffset;

    /// <summary>Frame length of a whole <see cref="JournalRecordType.MarketEvent"/> record (header + 128-byte event); a <see cref="JournalRecordType.MarketEventDelta"/> is 32 to 160 bytes.</summary>
    public const int MarketEventFrameLength = HeaderLength + MarketEventDescriptor.Size;

    /// <summary>Frame length of a <see cref="JournalRecordType.Signal"/> record (header + 104-byte signal).</summary>
    public const int SignalFrameLength = HeaderLength + SignalRecordDescriptor.Size;

    /// <summary>Frame length of a <see cref="JournalRecordType.OrderCommand"/> record (header + 64-byte command).</summary>
    public const int OrderCommandFrameLength = HeaderLength + OrderCommandDescriptor.Size;

    /// <summary>Frame length of a <see cref="JournalRecordType.SnapshotRequest"/> record (header + 40-byte request).</summary>
    public const int SnapshotRequestFrameLength = HeaderLength + Engine.Outbound.SnapshotRequestDescriptor.Size;

    /// <summary>Sequence stored for records that have no ring sequence.</summary>
    public const long NoSequence = -1;

    /// <summary>Frame length for a payload of <paramref name="payloadLength"/> bytes: header plus payload, rounded up to <see cref="Alignment"/>.</summary>
    /// <param name="payloadLength">Payload bytes, non-negative and small enough that the result fits an int32.</param>
    /// <returns>The aligned frame length in bytes.</returns>
    public static int FrameLength(int payloadLength) => Align(HeaderLength + payloadLength);

    /// <summary>Rounds <paramref name="length"/> up to a multiple of <see cref="Alignment"/>.</summary>
    /// <param name="length">Bytes, non-negative.</param>
    /// <returns>The aligned length.</returns>
    public static int Align(int length) => (length + (Alignment - 1)) & ~(Alignment - 1);

    /// <summary>Largest payload a segment of <paramref name="segmentSize"/> bytes can hold in one record.</summary>
    /// <param name="segmentSize">Segment size in bytes.</param>
    /// <returns>Segment size minus the segment header and the frame header, in bytes.</returns>
    public static int MaxPayloadLength(int segmentSize) => segmentSize - JournalDescriptor.HeaderLength - HeaderLength;
}
