using System.Runtime.ExceptionServices;

namespace OptiFlow.Journal.Segments;

/// <summary>
/// Prepares a writer's next segment on a background thread while the writer fills the current one: creates the file
/// (<see cref="MappedSegment.Create"/>: name, <c>open</c>, <c>posix_fallocate</c>, mapping), pre-faults it when asked,
/// and unmaps the segment the writer retired, so that a roll on the writer thread only swaps pointers and writes the
/// segment header: no allocation and no file-system call there.
/// </summary>
/// <remarks>
/// <para>
/// <b>Hand-over:</b> one request at a time. The writer calls <see cref="Request"/> once half of its current segment is
/// written (so the journal holds one segment of disk space ahead of its records only for half a segment), and
/// <see cref="Take"/> at the next roll. The request and the result travel through plain fields published
/// by a volatile state word (<c>Idle → Working → Ready → Idle</c>): the writer writes the request fields before it
/// publishes <c>Working</c>, the preparer writes the result before it publishes <c>Ready</c>. No lock is taken on the
/// fast path; the wake-up (<see cref="SemaphoreSlim.Release()"/>) does not allocate, nor does a writer's wait on the monitor.
/// </para>
/// <para>
/// <b>A writer faster than the preparer:</b> when <see cref="Take"/> finds the segment still being created it blocks
/// until the segment is mapped (the preparer has already claimed the file name, so the writer cannot create it
/// itself); the roll is then as slow as a synchronous one and reported as such (<c>waited</c>), but it still allocates
/// nothing on the writer thread.
/// </para>
/// <para>
/// <b>Failures:</b> an exception while creating the segment (a <see cref="JournalIOException"/>: a full disk, a
/// file-size limit) is kept and thrown by <see cref="Take"/>, on the writer thread, at the roll that needs the segment,
/// exactly as if the writer had created it there.
/// </para>
/// <para>
/// <b>Format:</b> a prepared segment is a full-size zero-filled file with no header: until the writer writes the header
/// at the roll (magic last), readers and the scanner see it as a segment being created (an incomplete last segment).
/// <see cref="Dispose"/> deletes a prepared segment the writer never used, so a closed journal ends with its last
/// written segment; after a crash, recovery deletes it like any half-created segment.
/// </para>
/// <para><b>Thread-safety:</b> <see cref="Request"/>, <see cref="Take"/>, <see cref="WaitReady"/> and <see cref="Dispose"/> are for the one writer thread.</para>
/// </remarks>
internal sealed class SegmentPreparer : IDisposable
{
    private const int Idle = 0;
    private const int Working = 1;
    private const int Ready = 2;

    private readonly string _directory;
    private readonly int _segmentSize;
    private readonly bool _prefault;
    private readonly Func<long, MappedSegment> _create;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _gate = new(); // Monitor for a writer waiting on Ready (ManualResetEventSlim allocates its lock on a first blocking wait)
    private int _state;
    private long _index;
    private MappedSegment? _retired;
    private MappedSegment? _prepared;
    private Exception? _failure;
    private SegmentPrefaulter? _prefaulting;
    private volatile bool _stopping;
    private bool _disposed;
    private long _preparedCount;

    /// <summary>Starts the preparer's thread; it waits for the first <see cref="Request"/>.</summary>
    /// <param name="directory">The journal directory (full path).</param>
    /// <param name="segmentSize">Size of every segment, bytes.</param>
    /// <param name="prefault">Whether to pre-fault each prepared segment before handing it over.</param>
    /// <param name="create">Creates the segment of an index; null for <see cref="MappedSegment.Create"/> in <paramref name="directory"/> (tests inject failures).</param>
    public SegmentPreparer(string directory, int segmentSize, bool prefault, Func<long, MappedSegment>? create = null)
    {
        _directory = directory;
        _segmentSize = segmentSize;
        _prefault = prefault;
        _create = create ?? CreateSegment;
        _thread = new Thread(Run) { IsBackground = true, Name = "optiflow-journal-segments" };
        _thread.Start();
    }

    /// <summary>Segments prepared so far (created, or failed to be created).</summary>
    public long PreparedCount => Interlocked.Read(ref _preparedCount);

    /// <summary>Asks for segment <paramref name="index"/>, handing over <paramref name="retired"/> to unmap; nothing may be outstanding.</summary>
    /// <param name="index">Index of the segment to prepare.</param>
    /// <param name="retired">The segment the writer just closed (already flushed when its durability asks for it), or null.</param>
    /// <remarks>Writer thread. Allocation-free.</remarks>
    public void Request(long index, MappedSegment? retired)
    {
        _index = index;
        _retired = retired;
        Volatile.Write(ref _state, Working);
        _wake.Release();
    }

    /// <summary>Takes the segment asked for by the last <see cref="Request"/>; null when nothing was asked for.</summary>
    /// <param name="waited">True when it was not ready yet and this call blocked until it was.</param>
    /// <returns>The mapped segment, header not yet written (its pre-faulting, when asked, may still be running).</returns>
    /// <remarks>Writer thread. Allocation-free (a wait blocks on a monitor of an object allocated up front).</remarks>
    /// <exception cref="JournalIOException">The OS refused to create the segment.</exception>
    public MappedSegment? Take(out bool waited)
    {
        waited = false;
        var state = Volatile.Read(ref _state);
        if (state == Idle)
        {
            return null;
        }

        if (state == Working)
        {
            waited = true;
            lock (_gate)
            {
                while (Volatile.Read(ref _state) != Ready)
                {
                    Monitor.Wait(_gate);
                }
            }
        }

        var segment = _prepared;
        var failure = _failure;
        _prepared = null;
        _failure = null;
        Volatile.Write(ref _state, Idle);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return segment;
    }

    /// <summary>Waits, bounded, until the requested segment is prepared (or nothing is requested).</summary>
    /// <param name="timeout">Bound on the wait.</param>
    /// <returns>Whether it is ready.</returns>
    /// <remarks>Writer thread; for tests and benchmarks.</remarks>
    public bool WaitReady(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (Volatile.Read(ref _state) == Working)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                {
                    return Volatile.Read(ref _state) != Working;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Stops the thread (after its current step), unmaps a retired segment, and unmaps and deletes a prepared segment
    /// the writer never used. Idempotent; writer thread, while it still holds the directory lock.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping = true;
        Interlocked.MemoryBarrier(); // the preparer publishes _prefaulting, then reads _stopping: one of us sees the other
        Volatile.Read(ref _prefaulting)?.RequestStop();
        _wake.Release();
        _thread.Join();
        _retired?.Dispose();
        _retired = null;
        if (_prepared is { } unused)
        {
            unused.Dispose();
            try
            {
                File.Delete(unused.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind: a headerless last segment, which readers skip and recovery deletes.
            }

            _prepared = null;
        }

        _failure = null;
        _wake.Dispose();
    }

    private MappedSegment CreateSegment(long index)
    {
        var basePosition = index * _segmentSize;
        return MappedSegment.Create(Path.Combine(_directory, MappedSegment.FileName(basePosition)), index, basePosition, _segmentSize);
    }

    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            if (_stopping)
            {
                return;
            }

            // The writer published Working after these fields (Volatile.Write) and before the Release.
            _retired?.Dispose();
            _retired = null;
            MappedSegment? segment = null;
            SegmentPrefaulter? prefaulter = null;
            Exception? failure = null;
            try
            {
                segment = _create(_index);
                if (_prefault)
                {
                    prefaulter = segment.AttachInlinePrefaulter();
                    Volatile.Write(ref _prefaulting, prefaulter);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }

            // Handed over as soon as it is mapped: a writer already waiting for it goes on while the pages are advised
            // (MADV_POPULATE_WRITE is safe under concurrent stores), as a segment the writer creates itself does.
            _prepared = segment;
            _failure = failure;
            Interlocked.Increment(ref _preparedCount);
            lock (_gate)
            {
                Volatile.Write(ref _state, Ready);
                Monitor.PulseAll(_gate);
            }

            if (prefaulter is not null)
            {
                Interlocked.MemoryBarrier();
                if (_stopping)
                {
                    prefaulter.RequestStop();
                }

                // Always run (it ends at once when stopped): the segment's Dispose waits for its end.
                prefaulter.RunInline();
                Volatile.Write(ref _prefaulting, null);
            }
        }
    }
}
