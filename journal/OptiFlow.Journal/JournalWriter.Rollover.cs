using OptiFlow.Engine.Evaluators;
using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <content>Segment roll-over: closing a full segment with a padding frame and opening the next one (cold path).</content>
public sealed unsafe partial class JournalWriter
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Roll(int frameLength)
    {
        ThrowIfDisposed(); // a failed writer throws its failure here: appends after one reach this path
        if (frameLength > SegmentSize - JournalDescriptor.HeaderLength)
        {
            throw new ArgumentOutOfRangeException(nameof(frameLength), frameLength, "A record frame cannot be larger than a segment's record area.");
        }

        var remaining = SegmentSize - _offset;
        if (remaining > 0)
        {
            // Close the segment: a padding frame to its very end; only length and type are meaningful.
            var frame = _base + _offset;
            *(ushort*)(frame + RecordDescriptor.TypeOffset) = (ushort)JournalRecordType.Padding;
            Volatile.Write(ref *(int*)(frame + RecordDescriptor.FrameLengthOffset), remaining);
            _bytesWritten += remaining;
        }

        try
        {
            if (_options.Durability != JournalDurability.PageCache)
            {
                _segment!.Flush(); // levels 1 and 2: a closed segment is on the device
                _flushCount++;
            }

            _segment!.Dispose();
            _segment = null;
            _base = null;

            // A failure here (ENOSPC, EFBIG) leaves the closed segment intact, ending with its padding frame: the journal
            // ends cleanly after the last committed record, and a later Resume opens the missing segment.
            OpenSegment(_segmentIndex + 1);
        }
        catch (JournalIOException e)
        {
            throw Fail(e);
        }
    }

    private void OpenSegment(long index)
    {
        var basePosition = index * SegmentSize;
        var path = Path.Combine(Directory, MappedSegment.FileName(basePosition));
        var segment = MappedSegment.Create(path, index, basePosition, SegmentSize);
        if (_options.Prefault)
        {
            segment.StartPrefault();
        }

        var header = segment.Base;
        *(int*)(header + JournalDescriptor.FormatVersionOffset) = JournalDescriptor.Version;
        *(int*)(header + JournalDescriptor.MarketEventVersionOffset) = MarketEventDescriptor.Version;
        *(long*)(header + JournalDescriptor.SegmentIndexOffset) = index;
        *(long*)(header + JournalDescriptor.BasePositionOffset) = basePosition;
        *(long*)(header + JournalDescriptor.CreationTimeNsOffset) = UnixTimeNs(_options.TimeProvider);
        *(long*)(header + JournalDescriptor.SegmentSizeOffset) = SegmentSize;
        *(int*)(header + JournalDescriptor.SignalEventVersionOffset) = SignalRecordDescriptor.Version;
        *(int*)(header + JournalDescriptor.OrderCommandVersionOffset) = OrderCommandDescriptor.Version;
        *(int*)(header + JournalDescriptor.SnapshotRequestVersionOffset) = SnapshotRequestDescriptor.Version;
        *(int*)(header + JournalDescriptor.EvaluatorRecordVersionOffset) = EvaluatorRecordDescriptor.Version;
        // The magic goes last: a header without it is incomplete.
        Volatile.Write(ref *(ulong*)(header + JournalDescriptor.MagicOffset), JournalDescriptor.Magic);
        _segment = segment;
        _base = header;
        _offset = JournalDescriptor.HeaderLength;
        _segmentIndex = index;
        _segmentCount++;
    }

    internal static long UnixTimeNs(TimeProvider clock) =>
        (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * (1_000_000_000 / TimeSpan.TicksPerSecond);
}
