using OptiFlow.Engine.Evaluators;
using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <content>Segment roll-over: closing a full segment with a padding frame and switching to the next one, prepared in the background (<see cref="SegmentPreparer"/>).</content>
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

        if (_rollAt != SegmentSize)
        {
            // Half the segment is written: time to prepare the next one (not earlier, so the journal holds at most one
            // segment of disk space ahead of its records for half a segment, not for all of it).
            RequestNextSegment();
            if (_offset <= SegmentSize - frameLength)
            {
                return; // it fits: no roll yet
            }
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
                _segment!.Flush(); // levels 1 and 2: a closed segment is on the device before the next one is used
                _flushCount++;
            }

            // A failure here (ENOSPC, EFBIG, from the preparer or from creating it now) leaves the closed segment intact,
            // ending with its padding frame: the journal ends cleanly after the last committed record, and a later Resume
            // opens the missing segment.
            var waited = false;
            var next = _preparer?.Take(out waited);
            if (next is null)
            {
                _segment!.Dispose();
                _segment = null;
                _base = null;
                _synchronousRolls++;
                OpenSegment(_segmentIndex + 1);
            }
            else
            {
                if (waited)
                {
                    _synchronousRolls++;
                }

                // The prepared segment is mapped (and pre-faulted, or being pre-faulted): only its header is written here. The closed one is
                // unmapped on the preparer's thread, which then prepares the segment after the new one.
                _retired = _segment;
                _segment = null;
                _base = null;
                Install(next);
                _rollAt = SegmentSize / 2;
            }
        }
        catch (JournalIOException e)
        {
            throw Fail(e);
        }
    }

    /// <summary>Creates segment <paramref name="index"/> on the writer thread (allocates: file name, handle, mapping) and starts writing it.</summary>
    private void OpenSegment(long index)
    {
        var basePosition = index * SegmentSize;
        var path = Path.Combine(Directory, MappedSegment.FileName(basePosition));
        var segment = MappedSegment.Create(path, index, basePosition, SegmentSize);
        if (_options.Prefault)
        {
            segment.StartPrefault();
        }

        Install(segment);
    }

    /// <summary>Writes the header of a freshly created segment (magic last) and makes it the current one. Allocation-free.</summary>
    private void Install(MappedSegment segment)
    {
        var index = segment.Index;
        var basePosition = segment.BasePosition;
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
        _hasMarketEventBase = false; // each segment decodes on its own: its first market event is written whole
    }

    /// <summary>
    /// Starts the background preparer (<see cref="SegmentPreparer"/>), unless <see cref="JournalOptions.PrepareSegments"/>
    /// is off; the next segment is requested once half of the current one is written. Cold path (starts a thread);
    /// called once the writer is positioned.
    /// </summary>
    private void StartPreparing()
    {
        if (!_options.PrepareSegments)
        {
            return;
        }

        _preparer = new SegmentPreparer(Directory, SegmentSize, _options.Prefault, _options.SegmentFactory);
        _rollAt = SegmentSize / 2;
    }

    /// <summary>Asks the preparer for the segment after the current one, handing it the closed one to unmap. Allocation-free.</summary>
    private void RequestNextSegment()
    {
        _rollAt = SegmentSize;
        var retired = _retired;
        _retired = null;
        _preparer!.Request(_segmentIndex + 1, retired);
    }

    /// <summary>Stops the preparer: unmaps a retired segment and deletes a prepared one never used. Cold path.</summary>
    private void StopPreparing()
    {
        _preparer?.Dispose();
        _preparer = null;
        _retired?.Dispose();
        _retired = null;
        _rollAt = SegmentSize;
    }

    internal static long UnixTimeNs(TimeProvider clock) =>
        (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * (1_000_000_000 / TimeSpan.TicksPerSecond);
}
