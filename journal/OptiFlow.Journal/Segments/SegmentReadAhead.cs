using System.Runtime.CompilerServices;

namespace OptiFlow.Journal.Segments;

/// <summary>
/// A <see cref="JournalReader"/>'s read-ahead thread (<see cref="JournalReaderOptions.ReadAhead"/>): maps the
/// journal's segments ahead of the reading thread, checks their frames (<see cref="FrameCheck"/>: lengths, CRC-32C,
/// types) — which also faults their pages in — and unmaps the segments the reader has finished, so the reading thread
/// does none of that for the frames it finds checked.
/// </summary>
/// <remarks>
/// <para>
/// <b>Protocol.</b> Segment <c>k</c> (an ordinal among the segments known when the reader opened) is mapped once, by
/// whichever thread asks first (<see cref="Acquire"/>), and belongs to this object until the reader hands it back with
/// <see cref="Release"/>; this thread unmaps it then. <see cref="VerifiedEnd"/> is the offset in segment <c>k</c> below which every
/// frame has passed the checks (stored with release semantics after the checks, once per 32 frames and whenever the thread stops). The reader trusts a frame only
/// below that offset and checks anything else itself, with its own error messages, so a damaged frame is reported by
/// the reader exactly as without read-ahead; this thread stops at the first damaged frame and at the end of the
/// committed data (a journal still being written is checked ahead up to where it was when the thread got there).
/// It runs at most one segment ahead of the reader and jumps forward to the reader's position when the reader has
/// overtaken it (<see cref="ReaderReached"/>).
/// </para>
/// <para>
/// <b>Failures.</b> An error of this thread (mapping a segment) stops the read-ahead; the reader meets the same error
/// on its own thread when it gets there, and throws it.
/// </para>
/// <para><b>Allocation:</b> the thread and its per-segment arrays at construction; mapping allocates (once per segment); the reader's calls allocate nothing.</para>
/// </remarks>
internal sealed unsafe class SegmentReadAhead : IDisposable
{
    private const int FramesBetweenLooks = 256;
    private const int FramesPerPublish = 32;
    private readonly string[] _paths;
    private readonly long[] _indices;
    private readonly int _segmentSize;
    private readonly MappedSegment?[] _segments;
    private readonly int[] _verifiedEnd;
    private readonly bool[] _unmapped;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private long _readerPosition;
    private int _readerOrdinal;
    private int _released = -1;
    private volatile bool _stop;
    private volatile bool _done;
    private long _framesChecked;

    /// <summary>Starts the read-ahead thread over the given segments, from the start of the first.</summary>
    /// <param name="paths">The segment files, in order.</param>
    /// <param name="indices">Their segment indices.</param>
    /// <param name="segmentSize">The segment size, bytes.</param>
    public SegmentReadAhead(IReadOnlyList<string> paths, IReadOnlyList<long> indices, int segmentSize)
    {
        _paths = [.. paths];
        _indices = [.. indices];
        _segmentSize = segmentSize;
        _segments = new MappedSegment?[_paths.Length];
        _verifiedEnd = new int[_paths.Length];
        _unmapped = new bool[_paths.Length];
        _thread = new Thread(Run) { IsBackground = true, Name = "optiflow-journal-readahead" };
        _thread.Start();
    }

    /// <summary>Number of segments this read-ahead covers (ordinals 0 … Count − 1).</summary>
    public int Count => _paths.Length;

    /// <summary>Frames this thread checked, as last published (every 32 frames and whenever it stops; for tests and benchmarks).</summary>
    public long FramesChecked => Volatile.Read(ref _framesChecked);

    /// <summary>True once this thread has stopped checking (all segments checked, a damaged frame, the end of the committed data, an error or a stop).</summary>
    public bool IsDone => _done;

    /// <summary>True while the thread runs (false after <see cref="Dispose"/>).</summary>
    public bool IsThreadAlive => _thread.IsAlive;

    /// <summary>The mapped segment <paramref name="ordinal"/>, mapping it when nobody has yet.</summary>
    /// <remarks>Reader or read-ahead thread. The segment stays owned by this object: never dispose it.</remarks>
    /// <exception cref="JournalIOException">The OS refuses to map the file.</exception>
    public MappedSegment Acquire(int ordinal)
    {
        var segment = Volatile.Read(ref _segments[ordinal]);
        if (segment is not null)
        {
            return segment;
        }

        var mine = MappedSegment.OpenRead(_paths[ordinal], _indices[ordinal], _indices[ordinal] * _segmentSize, _segmentSize);
        var prior = Interlocked.CompareExchange(ref _segments[ordinal], mine, null);
        if (prior is null)
        {
            return mine;
        }

        mine.Dispose();
        return prior;
    }

    /// <summary>Offset in segment <paramref name="ordinal"/> below which every frame passed the checks (0: none yet).</summary>
    /// <remarks>Any thread; an acquire load.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int VerifiedEnd(int ordinal) => Volatile.Read(ref _verifiedEnd[ordinal]);

    /// <summary>The reader has checked frames itself up to <paramref name="offset"/> of segment <paramref name="ordinal"/>: the read-ahead skips to there.</summary>
    /// <remarks>Reader thread. A release store.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReaderReached(int ordinal, int offset) => Volatile.Write(ref _readerPosition, ((long)ordinal << 32) | (uint)offset);

    /// <summary>The last position <see cref="ReaderReached"/> published (an acquire load), unpacked.</summary>
    private (int Ordinal, int Offset) ReaderPosition()
    {
        var packed = Volatile.Read(ref _readerPosition);
        return ((int)(packed >> 32), (int)(uint)packed);
    }

    /// <summary>The reader has moved on to segment <paramref name="ordinal"/>.</summary>
    /// <remarks>Reader thread; wakes the read-ahead thread (a monitor pulse, no allocation).</remarks>
    public void ReaderEntered(int ordinal)
    {
        lock (_gate)
        {
            _readerOrdinal = ordinal;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The reader is done with segment <paramref name="ordinal"/> and every segment before it: the read-ahead thread unmaps them.</summary>
    /// <remarks>Reader thread. Records read from them become invalid.</remarks>
    public void Release(int ordinal)
    {
        lock (_gate)
        {
            _released = Math.Max(_released, ordinal);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Stops the thread (it stops within one batch of frames); the thread then unmaps every segment still mapped and
    /// ends. On Linux this returns at once and the unmapping (≈ 0.2 µs per touched page, about a millisecond for a
    /// 64 MiB segment) runs on that thread, off the reader's time; elsewhere it waits for the thread, since a mapped
    /// file cannot be deleted there.
    /// </summary>
    /// <remarks>Reader thread, after it has released or stopped using every segment. Idempotent.</remarks>
    public void Dispose()
    {
        _stop = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }

        if (!OperatingSystem.IsLinux())
        {
            _thread.Join();
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the thread to end (tests).</summary>
    internal bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        try
        {
            Verify();
        }
        catch (Exception)
        {
            // Mapping failed (or a header the reader validated changed since): the reader meets the same error on its
            // own thread when it gets there, and throws it; this thread only stops checking ahead.
        }

        _done = true;

        lock (_gate)
        {
            while (!_stop)
            {
                UnmapReleased();
                Monitor.Wait(_gate);
            }
        }

        // Stopped: the reader has handed every segment back (or never takes one again).
        for (var i = 0; i < _segments.Length; i++)
        {
            Interlocked.Exchange(ref _segments[i], null)?.Dispose();
        }
    }

    private void Verify()
    {
        var ordinal = 0;
        var offset = JournalDescriptor.HeaderLength;
        while (!_stop && ordinal < _segments.Length)
        {
            lock (_gate)
            {
                UnmapReleased();
                while (!_stop && ordinal > _readerOrdinal + 1)
                {
                    Monitor.Wait(_gate);
                    UnmapReleased();
                }
            }

            if (_stop)
            {
                return;
            }

            SkipToReader(ref ordinal, ref offset);
            if (ordinal <= Volatile.Read(ref _released))
            {
                ordinal = Volatile.Read(ref _released) + 1; // the reader is done with it
                offset = JournalDescriptor.HeaderLength;
                continue;
            }

            if (ordinal >= _segments.Length)
            {
                return;
            }

            var segment = Acquire(ordinal);
            var end = VerifySegment(segment.Base, ordinal, ref offset, SegmentFormat.Of(*(int*)(segment.Base + JournalDescriptor.FormatVersionOffset)));
            if (end == SegmentEnd.Stopped)
            {
                return; // a damaged frame, the end of the committed data, or a stop: the reader takes it from here
            }

            ordinal++;
            offset = JournalDescriptor.HeaderLength;
        }
    }

    private enum SegmentEnd
    {
        Finished,
        Stopped,
    }

    private SegmentEnd VerifySegment(byte* segmentBase, int ordinal, ref int offset, SegmentFormat format)
    {
        var size = _segmentSize;
        var sinceLook = 0;
        var unpublished = 0;
        var end = SegmentEnd.Finished;
        while (offset < size)
        {
            if (++sinceLook == FramesBetweenLooks)
            {
                sinceLook = 0;
                if (_stop)
                {
                    end = SegmentEnd.Stopped;
                    break;
                }

                var (readerOrdinal, readerOffset) = ReaderPosition();
                if (readerOrdinal > ordinal)
                {
                    break; // the reader is past this segment: move on (the caller skips to it)
                }

                if (readerOrdinal == ordinal && readerOffset > offset)
                {
                    offset = readerOffset;
                    continue;
                }
            }

            var frame = segmentBase + offset;
            var length = Volatile.Read(ref *(int*)(frame + RecordDescriptor.FrameLengthOffset));
            if (length == 0 || FrameCheck.Check(frame, length, offset, size, format, out var type, out _) != FrameFault.None)
            {
                end = SegmentEnd.Stopped;
                break;
            }

            offset += length;
            if (type == JournalRecordType.Padding)
            {
                unpublished++;
                break;
            }

            if (++unpublished == FramesPerPublish)
            {
                Publish(ordinal, offset, ref unpublished);
            }
        }

        Publish(ordinal, offset, ref unpublished);
        return end;
    }

    /// <summary>Publishes the verified end (a release store) and the frame count, once per <see cref="FramesPerPublish"/>
    /// frames: a store per frame would pull the line away from a reader that has caught up, at every frame.</summary>
    private void Publish(int ordinal, int offset, ref int unpublished)
    {
        if (unpublished == 0)
        {
            return;
        }

        Volatile.Write(ref _framesChecked, _framesChecked + unpublished);
        Volatile.Write(ref _verifiedEnd[ordinal], offset);
        unpublished = 0;
    }

    private void SkipToReader(ref int ordinal, ref int offset)
    {
        var entered = Volatile.Read(ref _readerOrdinal);
        if (entered > ordinal)
        {
            ordinal = entered;
            offset = JournalDescriptor.HeaderLength;
        }

        var (readerOrdinal, readerOffset) = ReaderPosition();
        if (readerOrdinal > ordinal || (readerOrdinal == ordinal && readerOffset > offset))
        {
            ordinal = readerOrdinal;
            offset = Math.Max(readerOffset, JournalDescriptor.HeaderLength);
        }
    }

    /// <summary>Unmaps every released segment not unmapped yet. Under <see cref="_gate"/>.</summary>
    private void UnmapReleased()
    {
        for (var i = 0; i <= _released && i < _segments.Length; i++)
        {
            if (!_unmapped[i])
            {
                _unmapped[i] = true;
                var segment = Interlocked.Exchange(ref _segments[i], null);
                segment?.Dispose();
            }
        }
    }
}
