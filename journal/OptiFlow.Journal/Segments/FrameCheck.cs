using System.Runtime.CompilerServices;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal.Segments;

/// <summary>What is wrong with a frame, as <see cref="FrameCheck.Check"/> finds it; <see cref="None"/> for a sound frame.</summary>
internal enum FrameFault : byte
{
    /// <summary>The frame is sound.</summary>
    None,

    /// <summary>The length is not a multiple of 8, too small, or runs past the end of the segment.</summary>
    BadLength,

    /// <summary>A padding frame that does not run to the end of its segment.</summary>
    PaddingNotToEnd,

    /// <summary>A record frame shorter than a record header.</summary>
    ShorterThanHeader,

    /// <summary>The payload length does not match the frame length.</summary>
    PayloadLengthMismatch,

    /// <summary>The stored CRC-32C differs from the computed one.</summary>
    CrcMismatch,

    /// <summary>The record type is unknown.</summary>
    UnknownType,

    /// <summary>The payload length is not the one the record type has.</summary>
    WrongPayloadSize,
}

/// <summary>
/// The checks a journal reader makes on every frame before it returns the record (<see cref="JournalReader"/> inline, and
/// <see cref="SegmentReadAhead"/> ahead of it on its own thread): length and alignment, padding to the segment's end,
/// payload length against frame length, CRC-32C, known type and that type's payload size (for a
/// <see cref="JournalRecordType.MarketEventDelta"/>, 8 bytes per word its flags name).
/// </summary>
/// <remarks>Pure function of the frame's bytes: thread-safe, allocation-free, throws nothing.</remarks>
internal static unsafe class FrameCheck
{
    /// <summary>Checks the frame at <paramref name="offset"/> of a mapped segment, in the order its faults are reported.</summary>
    /// <param name="frame">First byte of the frame (its length field).</param>
    /// <param name="length">The frame length read from it (non-zero).</param>
    /// <param name="offset">The frame's offset in its segment, bytes.</param>
    /// <param name="segmentSize">The segment's size, bytes.</param>
    /// <param name="format">What the segment's format version says about its frames.</param>
    /// <param name="type">The frame's type (valid unless the fault is <see cref="FrameFault.BadLength"/>).</param>
    /// <param name="payloadLength">The payload length (0 for padding).</param>
    /// <returns>The first fault found, or <see cref="FrameFault.None"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FrameFault Check(byte* frame, int length, int offset, int segmentSize, SegmentFormat format, out JournalRecordType type, out int payloadLength)
    {
        payloadLength = 0;
        type = JournalRecordType.Padding;
        if ((length & (RecordDescriptor.Alignment - 1)) != 0 || length < RecordDescriptor.MinPaddingFrameLength || length > segmentSize - offset)
        {
            return FrameFault.BadLength;
        }

        type = (JournalRecordType)(*(ushort*)(frame + RecordDescriptor.TypeOffset));
        if (type == JournalRecordType.Padding)
        {
            return length != segmentSize - offset ? FrameFault.PaddingNotToEnd : FrameFault.None;
        }

        if (length < RecordDescriptor.HeaderLength)
        {
            return FrameFault.ShorterThanHeader;
        }

        payloadLength = *(int*)(frame + RecordDescriptor.PayloadLengthOffset);
        if ((uint)payloadLength > (uint)(length - RecordDescriptor.HeaderLength) || RecordDescriptor.FrameLength(payloadLength) != length)
        {
            return FrameFault.PayloadLengthMismatch;
        }

        // One serial CRC chain, not Crc32C.Frame's three interleaved ones: frames are checked back to back here, so
        // the CPU overlaps one frame's chain with the next frame's, and the fewest instructions win (perf/ARCHIVE.md,
        // "Replay: the read-ahead's CRC").
        if (*(uint*)(frame + RecordDescriptor.Crc32COffset) != Crc32C.FrameSerial(frame, payloadLength))
        {
            return FrameFault.CrcMismatch;
        }

        var expectedLength = type switch
        {
            JournalRecordType.MarketEvent => MarketEventDescriptor.Size,
            JournalRecordType.MarketEventDelta => format.DeltaRecords ? MarketEventDelta.PayloadLength(*(ushort*)(frame + RecordDescriptor.FlagsOffset)) : -3,
            JournalRecordType.Signal => format.SignalSize,
            JournalRecordType.OrderCommand => OrderCommandDescriptor.Size,
            JournalRecordType.SnapshotRequest => SnapshotRequestDescriptor.Size,
            JournalRecordType.EvaluatorRecord => EvaluatorRecordDescriptor.Size,
            JournalRecordType.SessionHeader or JournalRecordType.RunSummary or JournalRecordType.Raw => -1,
            JournalRecordType.Symbol => payloadLength > sizeof(int) ? -1 : -2,
            _ => -3,
        };
        if (expectedLength == -3)
        {
            return FrameFault.UnknownType;
        }

        return expectedLength == -2 || (expectedLength >= 0 && payloadLength != expectedLength) ? FrameFault.WrongPayloadSize : FrameFault.None;
    }
}
