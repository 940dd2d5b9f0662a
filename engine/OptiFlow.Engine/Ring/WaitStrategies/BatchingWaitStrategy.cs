namespace OptiFlow.Engine.WaitStrategies;

/// <summary>
/// Parks a consumer that has caught up (lock and condition, no spinning, no yielding) until its producer has published
/// a batch of <see cref="BatchSize"/> events past the one it waits for, or <see cref="MaxWait"/> has passed: a
/// throughput strategy for runs whose threads outnumber the CPUs (a recording replayed as fast as it can be read).
/// </summary>
/// <remarks>
/// <para>Why: on a 2-vCPU machine a file run has three or four busy threads (producer, core, journal, its segment
/// helpers). A consumer that spins or yields while it has nothing to do takes CPU time from the threads that have work,
/// and one woken on every publish (<see cref="BlockingWaitStrategy"/>) pays a wake-up, and its producer a system call,
/// every few events. Parked until a whole batch is there, a consumer wakes about once per <see cref="BatchSize"/>
/// events and then runs through them in one go, while the producer runs ahead (perf/ARCHIVE.md, "Whole run vs its
/// slowest stage").</para>
/// <para>Cost: an event waits until <see cref="BatchSize"/> events are published after the one the consumer waited for,
/// or at most about <see cref="MaxWait"/> (rounded up to whole milliseconds by <see cref="Monitor.Wait(object, int)"/>),
/// so a quiet or slow producer's events are handled up to that late, and the last events of a run too. Never for a
/// live core: its latency is the point (live runs keep <see cref="BlockingWaitStrategy"/>).</para>
/// <para>The producer's side (<see cref="SignalAllWhenBlocking"/>, after every publish) is a read of the parked count
/// and, only while a consumer is parked, a read of the cursor; the lock is taken only to wake a waiter, once per batch.
/// It takes no fence (a full fence after every publish makes the producer wait for its slot's stores to drain, on the
/// hot path of every event; its cost was within the noise of perf/ARCHIVE.md's measurements, so it is left out on that
/// reasoning), so in a rare race the publish that completes a batch misses the waiter parking at that very moment (the waiter fences; the producer's read may pass its own cursor store). The waiter is then woken by the next
/// publish, or by its bound when none follows: every park lasts at most <see cref="MaxWait"/>, which also ends the wait
/// for a batch that never completes (the end of a run, a paused producer), and the waiter takes what is there. Halt:
/// <see cref="SequenceBarrier.Alert"/> wakes a parked waiter, which returns
/// <see cref="SequenceBarrier.AlertedSequence"/>: at once, or within <see cref="MaxWait"/> in the same race.</para>
/// <para>Waiting behind dependents (a pipeline), once the cursor has passed the sequence, is a yield loop, as in
/// <see cref="BlockingWaitStrategy"/>. Several barriers may share an instance; the producer then wakes every parked
/// waiter whenever any of them has its batch. <see cref="BatchSize"/> should stay at or below a quarter of the ring: a
/// waiter whose batch cannot fit behind the slowest consumer is woken by its bound only. Allocation-free after
/// construction; thread-safe (any number of waiters and signallers).</para>
/// </remarks>
public sealed class BatchingWaitStrategy : IWaitStrategy
{
    /// <summary>The batch a parameterless instance waits for: 256 events (a quarter of a 1,024-slot ring).</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>The bound on one park of a parameterless instance: 1 ms.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private readonly int _maxWaitMilliseconds;
    private int _parked; // waiters inside Monitor.Wait (written under the lock, read by signallers without it)
    private long _wakeAt = long.MaxValue; // the lowest cursor value a parked waiter wants; MaxValue while none is parked
    private SequenceBarrier? _barrier; // the parked waiters' barrier (cursor and alert), null while none is parked
    private bool _mixedBarriers; // waiters of different barriers are parked: wake them all on every signal

    /// <summary>Creates the strategy with <see cref="DefaultBatchSize"/> and <see cref="DefaultMaxWait"/>.</summary>
    public BatchingWaitStrategy()
        : this(DefaultBatchSize, DefaultMaxWait)
    {
    }

    /// <summary>Creates the strategy.</summary>
    /// <param name="batchSize">Events a parked waiter waits for, from the one it asked for: 1 or more (1 wakes it on
    /// the first publish, as a blocking strategy does); at most a quarter of the ring is sensible.</param>
    /// <param name="maxWait">The most one park lasts: 1 ms to 1 h (whole milliseconds); it bounds how late the last
    /// events of a batch that never completes are handled.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1, or <paramref name="maxWait"/>
    /// is outside 1 ms to 1 h.</exception>
    public BatchingWaitStrategy(int batchSize, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWait, TimeSpan.FromHours(1));
        BatchSize = batchSize;
        MaxWait = maxWait;
        _maxWaitMilliseconds = (int)Math.Ceiling(maxWait.TotalMilliseconds);
    }

    /// <summary>Events a parked waiter waits for, counted from the sequence it asked for.</summary>
    public int BatchSize { get; }

    /// <summary>The most one park lasts (then the waiter takes what is there, or parks again when nothing is).</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>Waiters parked right now (a diagnostic: tests wait for a consumer to park).</summary>
    /// <remarks>Any thread; a volatile read.</remarks>
    public int ParkedCount => Volatile.Read(ref _parked);

    /// <inheritdoc/>
    /// <remarks>True: producers call <see cref="SignalAllWhenBlocking"/> after every publish.</remarks>
    public bool IsBlocking => true;

    /// <inheritdoc/>
    /// <remarks>Returns as soon as anything is available after a wake-up or a bound: never
    /// <see cref="SequenceBarrier.TimeoutSequence"/>. Allocation-free (the lock is a monitor on an object allocated up front).</remarks>
    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        ArgumentNullException.ThrowIfNull(barrier);
        long available;
        while ((available = barrier.AvailableSequence) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.AlertedSequence;
            }

            if (barrier.Cursor.Value >= sequence)
            {
                Thread.Yield(); // published, but a dependent consumer has not finished it yet
                continue;
            }

            Park(sequence + BatchSize - 1, barrier);
        }

        return available;
    }

    /// <inheritdoc/>
    /// <remarks>Producer threads after every publish, and <see cref="SequenceBarrier.Alert"/>: returns after one read
    /// while no waiter is parked, and after a read of the cursor while the parked waiter's batch is incomplete.</remarks>
    public void SignalAllWhenBlocking()
    {
        // No fence here (unlike BlockingWaitStrategy): a full fence after each publish would make the producer wait for
        // the slot's stores to leave the store buffer. A lost wake-up is bounded by MaxWait: see the class remarks.
        if (Volatile.Read(ref _parked) == 0)
        {
            return;
        }

        var barrier = Volatile.Read(ref _barrier);
        if (barrier is not null && !Volatile.Read(ref _mixedBarriers) && !barrier.IsAlerted && barrier.Cursor.Value < Volatile.Read(ref _wakeAt))
        {
            return;
        }

        PulseParked();
    }

    /// <summary>
    /// Wakes every parked waiter now, batch complete or not: each takes what is published, or parks again when nothing
    /// is. For the producer's end of stream (the last events of a run need not wait for the bound).
    /// </summary>
    /// <remarks>Any thread; takes the lock only when a waiter is parked; allocation-free.</remarks>
    public void WakeAll()
    {
        if (Volatile.Read(ref _parked) == 0)
        {
            return;
        }

        PulseParked();
    }

    /// <summary>Wakes every parked waiter; each registers again if its batch is not there yet.</summary>
    private void PulseParked()
    {
        lock (_gate)
        {
            _wakeAt = long.MaxValue;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Parks until the cursor reaches <paramref name="wakeAt"/>, the barrier is alerted, or <see cref="MaxWait"/> passes.</summary>
    private void Park(long wakeAt, SequenceBarrier barrier)
    {
        lock (_gate)
        {
            if (_parked == 0)
            {
                Volatile.Write(ref _barrier, barrier);
                _mixedBarriers = false;
            }
            else if (!ReferenceEquals(_barrier, barrier))
            {
                Volatile.Write(ref _mixedBarriers, true);
            }

            if (wakeAt < _wakeAt)
            {
                Volatile.Write(ref _wakeAt, wakeAt);
            }

            Volatile.Write(ref _parked, _parked + 1);
            Interlocked.MemoryBarrier(); // the count is visible before the cursor and the alert are read (a signaller reads them the other way round)
            try
            {
                if (barrier.Cursor.Value < wakeAt && !barrier.IsAlerted)
                {
                    Monitor.Wait(_gate, _maxWaitMilliseconds);
                }
            }
            finally
            {
                Volatile.Write(ref _parked, _parked - 1);
                if (_parked == 0)
                {
                    Volatile.Write(ref _barrier, null);
                    Volatile.Write(ref _wakeAt, long.MaxValue);
                    _mixedBarriers = false;
                }
            }
        }
    }
}
