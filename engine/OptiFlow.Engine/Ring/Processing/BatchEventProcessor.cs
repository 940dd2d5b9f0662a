using System.Diagnostics;
using System.Runtime.CompilerServices;
using OptiFlow.Engine.Affinity;

namespace OptiFlow.Engine.Processing;

/// <summary>
/// Runs one consumer on its own thread: waits on a <see cref="SequenceBarrier"/>, hands each available batch to a
/// struct handler, then publishes its own <see cref="Sequence"/> (release) so the producer and downstream consumers
/// may proceed.
/// </summary>
/// <typeparam name="T">The slot type.</typeparam>
/// <typeparam name="THandler">The handler; a struct, so calls are direct.</typeparam>
/// <remarks>
/// Exception policy: an exception from <see cref="IEventHandler{T}.OnEvent"/> is recorded with its sequence in
/// <see cref="Faults"/> and counted in <see cref="FaultCount"/>; the processor moves past that event and goes on, so one
/// bad event never stops the ring or kills the process silently. Lifecycle: <see cref="Start(string, int?)"/>,
/// <see cref="Halt"/>, <see cref="Join"/>. A wait that a timeout strategy ends is counted in <see cref="TimeoutCount"/>
/// and the processor waits again.
/// <para>Waiting: with the barrier's own <see cref="SequenceBarrier.WaitStrategy"/>, so each consumer of a ring waits
/// its own way (give it one with <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>; the ring's default
/// otherwise).</para>
/// <para>Per-batch cost: one <see cref="SequenceBarrier.WaitFor(long)"/> (the wait strategy is called through its
/// interface only when nothing is available), <c>OnBatchStart</c>, the events, one release write of
/// <see cref="Sequence"/>, and the chase pacing's few compares of fields (a pause only after a chased batch). Per event: a direct (constrained, inlinable) call of the struct handler. Allocation-free
/// per event and per batch.</para>
/// <para>Linger (off by default; <see cref="SetLinger"/>): a throughput mode in which a batch smaller than a set size
/// waits, for at most a set time, until that many events are available. A consumer that keeps up with its producer
/// reads the cursor after every few events, and each read moves the cursor's cache line away from the producer, whose
/// next publish must fetch it back; lingering spaces those reads out (the "temporal slipping" of FastForward,
/// Giacomoni et al., PPoPP 2008). It adds up to the linger time to the latency of the events of a small batch.</para>
/// <para>Chase pacing (on by default: batches under <see cref="DefaultChasePacingBatchSize"/> events, a first pause
/// of <see cref="DefaultChasePacingNanoseconds"/> ns doubling up to <see cref="DefaultChasePacingMaxNanoseconds"/> ns;
/// <see cref="SetChasePacing"/>): after a small batch that was already available at the first read of the cursor,
/// the processor pauses briefly before it reads the cursor again. Unlike the linger, it never holds an event it has
/// seen (the batch is handled and released first), never pauses after a wait or after a batch under
/// <see cref="MinChasedBatch"/> events, and stops when a pause did not bring a stream's worth of events, so an
/// isolated event (a ping-pong hop, live market data between bursts) pays nothing; only events published during a
/// pause, by a producer the consumer is riding right behind, are seen up to the pause later.</para>
/// </remarks>
public sealed class BatchEventProcessor<T, THandler> : IDisposable
    where T : unmanaged
    where THandler : struct, IEventHandler<T>
{
    private const int MaxRecordedFaults = 16;

    /// <summary>The longest linger <see cref="SetLinger"/> accepts: 60 s, in ns.</summary>
    public const long MaxLingerNanoseconds = 60_000_000_000;

    /// <summary>Default chase pacing: batches under 1,024 events (or under a quarter of the ring, when smaller) count as a chase.</summary>
    public const int DefaultChasePacingBatchSize = 1024;

    /// <summary>Default chase pacing: the first pause before the next read of the cursor, 250 ns.</summary>
    public const long DefaultChasePacingNanoseconds = 250;

    /// <summary>Default chase pacing: the longest pause, 2,000 ns (the pause doubles while the chase goes on).</summary>
    public const long DefaultChasePacingMaxNanoseconds = 2_000;

    /// <summary>The smallest batch counted as a chase: a consumer that finds fewer events is not riding behind a stream
    /// (a ping-pong's single event, say), and pausing would only delay the next one.</summary>
    public const int MinChasedBatch = 8;

    /// <summary>The longest pause <see cref="SetChasePacing"/> accepts: 60 s, in ns (a sanity bound, as the linger's).</summary>
    public const long MaxChasePacingNanoseconds = 60_000_000_000;

    private static readonly long TenNanosecondTicks = Math.Max(1, Stopwatch.Frequency / 100_000_000);

    private readonly RingBuffer<T> _ring;
    private readonly SequenceBarrier _barrier;
    private readonly List<ProcessorFault> _faults = [];
    private readonly ManualResetEventSlim _started = new(false);
    private THandler _handler;
    private Thread? _thread;
    private volatile bool _running;
    private long _faultCount;
    private long _timeoutCount;
    private long _maxBatchSize = long.MaxValue;
    private long _lingerBatchSize; // 0: never linger
    private long _lingerNanoseconds;
    private long _lingerTicks; // the linger in Stopwatch ticks
    private long _lingerPollTicks; // how often a lingering processor reads the cursor again: an eighth of it, at most 100 µs
    private long _lingerCount;
    private long _chasePacingBatchSize; // 0: never pace
    private long _chasePacingNanoseconds;
    private long _chasePacingMaxNanoseconds;
    private long _chasePacingTicks; // the first pause in Stopwatch ticks
    private long _chasePacingMaxTicks; // the longest pause in Stopwatch ticks
    private long _chasePauseTicks; // the next pause: doubles after each pause, back to the first after a wait
    private long _chaseContinueBatch; // after a pause: the batch that continues the chase; 0 when the last batch was not paced
    private long _chasePacingCount;
    private long _dispatching; // the sequence being handed to the handler (processor thread only)
    private Exception? _startFailure;

    /// <summary>Creates a processor.</summary>
    /// <param name="ring">The ring to read.</param>
    /// <param name="barrier">The barrier that bounds reading.</param>
    /// <param name="handler">The handler, copied into the processor.</param>
    public BatchEventProcessor(RingBuffer<T> ring, SequenceBarrier barrier, THandler handler)
    {
        _ring = ring;
        _barrier = barrier;
        _handler = handler;
        if (ring.BufferSize >= 2)
        {
            // At most a quarter of the ring, so that a pause never leaves a fast producer waiting on a full ring for
            // long; a one-slot ring never has a batch that is not a full ring: no pacing.
            SetChasePacing(Math.Min(DefaultChasePacingBatchSize, Math.Max(2, ring.BufferSize / 4)), DefaultChasePacingNanoseconds, DefaultChasePacingMaxNanoseconds);
        }
    }

    /// <summary>This consumer's sequence: the last event it has finished with.</summary>
    public Sequence Sequence { get; } = new();

    /// <summary>The handler (by reference, for reading its state after <see cref="Join"/>).</summary>
    public ref THandler Handler => ref _handler;

    /// <summary>Number of handler exceptions caught.</summary>
    public long FaultCount => Interlocked.Read(ref _faultCount);

    /// <summary>
    /// The most events handed to the handler as one batch (and so between two releases of <see cref="Sequence"/>);
    /// unlimited by default. Set before <see cref="Start(string, int?)"/>.
    /// </summary>
    /// <remarks>
    /// When a consumer falls a whole ring behind, an unlimited batch holds the producer until the last event of the
    /// ring is handled, and the two threads then take turns instead of overlapping. A limit of a quarter of the ring
    /// releases the producer four times per lap, at the cost of one release write and one <c>OnBatchStart</c> per
    /// limited batch. A journal sees more, smaller batches (and flushes at each batch end). Not thread-safe: wiring
    /// time only.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">When set below 1.</exception>
    public long MaxBatchSize
    {
        get => _maxBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxBatchSize = value;
        }
    }

    /// <summary>Batches smaller than this wait for more (up to <see cref="LingerNanoseconds"/>); 0 (the default): no linger.</summary>
    public long LingerBatchSize => _lingerBatchSize;

    /// <summary>The most a small batch waits, in ns; 0 when lingering is off.</summary>
    public long LingerNanoseconds => _lingerNanoseconds;

    /// <summary>Number of batches that lingered (each small batch counts once, whatever it grew to).</summary>
    public long LingerCount => Interlocked.Read(ref _lingerCount);

    /// <summary>
    /// Turns the throughput mode on: when the barrier returns fewer than <paramref name="batchSize"/> events, the
    /// processor waits until <paramref name="batchSize"/> events are available or <paramref name="nanoseconds"/> have
    /// passed, whichever comes first, reading the cursor only every eighth of <paramref name="nanoseconds"/> (at most
    /// every 100 µs), and then handles everything available as one batch (still capped by <see cref="MaxBatchSize"/>).
    /// </summary>
    /// <param name="batchSize">Batches smaller than this linger: 2 to the ring size; 0 turns lingering off.</param>
    /// <param name="nanoseconds">The most a batch waits, in ns: 1 to 60,000,000,000 (60 s, a sanity bound: useful values
    /// are a few core-to-core round trips, 0.5–2 µs); ignored when <paramref name="batchSize"/> is 0.</param>
    /// <remarks>
    /// <para>Why: a consumer faster than its producer catches up and reads the cursor after every few events; each read
    /// takes the cursor's cache line in shared state, and the producer's next publish must invalidate it again (a
    /// round trip between cores: 0.1–0.6 µs on the 2-vCPU VMs of perf/ARCHIVE.md, by where the host places the two
    /// vCPUs). Lingering lets the producer run ahead, so the cursor is read, and the producer stalls, once per larger
    /// batch. Reading the cursor every eighth of the linger ends it early when the producer is fast, so a fast
    /// producer is not left waiting on a full ring. Measured effect on 1 → 1 throughput: perf/ARCHIVE.md ("Linger").</para>
    /// <para>Cost: the events of a small batch are handled up to <paramref name="nanoseconds"/> later, an isolated
    /// event included (it waits the whole time); a ping-pong pays it on every hop. Use it for consumers whose
    /// throughput matters more than their latency (a journal, an exporter, a bulk replay), never for the core's
    /// market-data path. While lingering the thread spins on the monotonic clock (<see cref="Stopwatch.GetTimestamp"/>)
    /// and the barrier's alert flag, so a <see cref="Halt"/> ends the linger at once; the events already available
    /// are handled before the processor stops.</para>
    /// <para>Not thread-safe: wiring time only (before <see cref="Start(string, int?)"/>). Allocation-free when lingering.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="batchSize"/> is 1, negative or larger than the
    /// ring, or <paramref name="nanoseconds"/> is outside 1..60,000,000,000 while <paramref name="batchSize"/> is not 0.</exception>
    public void SetLinger(int batchSize, long nanoseconds)
    {
        if (batchSize == 0)
        {
            _lingerBatchSize = 0;
            _lingerNanoseconds = 0;
            _lingerTicks = 0;
            _lingerPollTicks = 0;
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, _ring.BufferSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(nanoseconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nanoseconds, MaxLingerNanoseconds);
        _lingerBatchSize = batchSize;
        _lingerNanoseconds = nanoseconds;
        _lingerTicks = TicksAtLeast(nanoseconds);
        _lingerPollTicks = Math.Clamp(_lingerTicks / 8, 1, Math.Max(1, 100_000 * Stopwatch.Frequency / 1_000_000_000));
    }

    /// <summary>Batches under this many events, found without waiting, are followed by a pause (<see cref="SetChasePacing"/>); 0: no pacing.</summary>
    public long ChasePacingBatchSize => _chasePacingBatchSize;

    /// <summary>The first pause after such a batch, in ns; 0 when pacing is off.</summary>
    public long ChasePacingNanoseconds => _chasePacingNanoseconds;

    /// <summary>The longest pause, in ns (the pause doubles up to it while the chase goes on); 0 when pacing is off.</summary>
    public long ChasePacingMaxNanoseconds => _chasePacingMaxNanoseconds;

    /// <summary>Number of pauses made (one per paced batch).</summary>
    public long ChasePacingCount => Interlocked.Read(ref _chasePacingCount);

    /// <summary>
    /// Sets the chase pacing (on by default: <see cref="DefaultChasePacingBatchSize"/>, capped at a quarter of the ring,
    /// <see cref="DefaultChasePacingNanoseconds"/> and <see cref="DefaultChasePacingMaxNanoseconds"/>): after a batch of
    /// fewer than <paramref name="batchSize"/> events (and at least <see cref="MinChasedBatch"/>) that were all
    /// available at the first read of the cursor, and that took everything available (not cut by
    /// <see cref="MaxBatchSize"/>), the processor releases the batch, then pauses before it reads the cursor again.
    /// Right after a pause, the chase goes on only if the batch holds at least what a producer publishing 100M
    /// events/s would have published during the pause (a tenth of the pause in ns); a smaller one ends it. The first
    /// pause is <paramref name="nanoseconds"/>; each pause doubles the next, up to <paramref name="maxNanoseconds"/>; a
    /// batch found without waiting that is large enough halves it (down to <paramref name="nanoseconds"/>), and a wait
    /// for an event (the burst is over) or the end of a chase brings it back to <paramref name="nanoseconds"/>. Pacing
    /// is skipped while a linger is set (<see cref="SetLinger"/> already spaces the reads).
    /// </summary>
    /// <param name="batchSize">Batches smaller than this are paced: 2 to the ring size (up to <see cref="MinChasedBatch"/>
    /// nothing is ever paced; the default is 1,024 capped at a quarter ring, so rings under 36 slots are not paced);
    /// 0 turns pacing off.</param>
    /// <param name="nanoseconds">The first pause, in ns: 1 to 60,000,000,000 (a sanity bound; useful values are about
    /// one or two cache-line round trips between cores, 100–500 ns); ignored when <paramref name="batchSize"/> is 0.</param>
    /// <param name="maxNanoseconds">The longest pause, in ns: <paramref name="nanoseconds"/> to 60,000,000,000; equal to
    /// <paramref name="nanoseconds"/> for a fixed pause; ignored when <paramref name="batchSize"/> is 0.</param>
    /// <remarks>
    /// <para>Why: a consumer faster than its producer catches up and then rides right behind it, reading the cursor
    /// (and the slot line being written) after every few events. Each read takes the line in shared state and the
    /// producer's next write must invalidate it again, a round trip between cores (about 0.1 µs when the two vCPUs are
    /// near, 0.4–0.6 µs apart); x86 commits stores in order, so the producer stalls behind that write. The stalls,
    /// not the work, then set the throughput, and the consumer, finding a few events each time, never falls behind
    /// far enough to stop. A pause after a small batch found without waiting lets the producer write unobserved; the
    /// next batch is larger and the reads fewer. The pause grows while the chase goes on because one round trip per
    /// pause must stay small against the pause, whatever the placement. Disruptor-net's consumer, with the same
    /// protocol, stays behind for another reason: in its batched benchmark it is the slower of the two threads, so it
    /// never catches up (perf/ARCHIVE.md, "Batched ring vs Disruptor-net (issue 20, item 4)").</para>
    /// <para>Cost: events published during a pause are seen up to the pause later (at most
    /// <paramref name="maxNanoseconds"/>). Never paid by an event the consumer had to wait for (no pause after a
    /// wait), by a batch under <see cref="MinChasedBatch"/> events (a ping-pong's), nor by the events of the batch just
    /// handled (handled and released before the pause). The pause spins on
    /// the monotonic clock (<see cref="Stopwatch.GetTimestamp"/>) and the barrier's alert flag, so <see cref="Halt"/>
    /// ends it at once.</para>
    /// <para>Not thread-safe: wiring time only (before <see cref="Start(string, int?)"/>). Allocation-free.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="batchSize"/> is 1, negative or larger than the
    /// ring, <paramref name="nanoseconds"/> is outside 1..60,000,000,000, or <paramref name="maxNanoseconds"/> is outside
    /// <paramref name="nanoseconds"/>..60,000,000,000, while <paramref name="batchSize"/> is not 0.</exception>
    public void SetChasePacing(int batchSize, long nanoseconds, long maxNanoseconds)
    {
        if (batchSize == 0)
        {
            _chasePacingBatchSize = 0;
            _chasePacingNanoseconds = 0;
            _chasePacingMaxNanoseconds = 0;
            _chasePacingTicks = 0;
            _chasePacingMaxTicks = 0;
            _chasePauseTicks = 0;
            _chaseContinueBatch = 0;
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, _ring.BufferSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(nanoseconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nanoseconds, MaxChasePacingNanoseconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNanoseconds, nanoseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxNanoseconds, MaxChasePacingNanoseconds);
        _chasePacingBatchSize = batchSize;
        _chasePacingNanoseconds = nanoseconds;
        _chasePacingMaxNanoseconds = maxNanoseconds;
        _chasePacingTicks = TicksAtLeast(nanoseconds);
        _chasePacingMaxTicks = Math.Max(_chasePacingTicks, TicksAtLeast(maxNanoseconds));
        _chasePauseTicks = _chasePacingTicks;
    }

    /// <summary><paramref name="nanoseconds"/> in <see cref="Stopwatch"/> ticks, rounded up, at least one tick.</summary>
    private static long TicksAtLeast(long nanoseconds) => Math.Max(1, (long)Math.Ceiling(nanoseconds * (double)Stopwatch.Frequency / 1e9));

    /// <summary>Number of waits a timeout wait strategy ended with nothing new.</summary>
    public long TimeoutCount => Interlocked.Read(ref _timeoutCount);

    /// <summary>The first handler exceptions caught (at most 16), with their sequences. Read after <see cref="Join"/>.</summary>
    public IReadOnlyList<ProcessorFault> Faults => _faults;

    /// <summary>Whether the run loop is active.</summary>
    public bool IsRunning => _running;

    /// <summary>
    /// Starts the processor thread, optionally pinned to one CPU, and waits until it has started (and pinned).
    /// </summary>
    /// <param name="name">Thread name.</param>
    /// <param name="cpu">CPU to pin to, or null for none.</param>
    /// <exception cref="CpuAffinityException">When pinning to <paramref name="cpu"/> is impossible; the thread does not run.</exception>
    /// <exception cref="InvalidOperationException">When already started.</exception>
    public void Start(string name, int? cpu = null) => Start(name, cpu is { } c ? [c] : null);

    /// <summary>
    /// Starts the processor thread, optionally pinned to a CPU list, and waits until it has started (and pinned).
    /// </summary>
    /// <param name="name">Thread name.</param>
    /// <param name="cpus">CPUs the thread may run on (as <c>taskset -c</c>), or null for no pinning.</param>
    /// <exception cref="CpuAffinityException">When pinning to <paramref name="cpus"/> is impossible; the thread does not run.</exception>
    /// <exception cref="InvalidOperationException">When already started.</exception>
    /// <remarks>Allocates the thread (cold path). Call from one thread.</remarks>
    public void Start(string name, IReadOnlyCollection<int>? cpus)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("Processor already started.");
        }

        _running = true;
        _thread = new Thread(() => Run(cpus)) { Name = name, IsBackground = true };
        _thread.Start();
        _started.Wait();
        if (_startFailure is not null)
        {
            _thread.Join();
            _running = false;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_startFailure).Throw();
        }
    }

    /// <summary>Asks the processor to stop after its current batch; a wait in progress ends promptly.</summary>
    /// <remarks>Any thread; allocation-free. Alerts the barrier, which signals the barrier's own wait strategy, so a
    /// processor parked in a blocking strategy wakes whatever the ring's default strategy is, and a spinning,
    /// yielding or sleeping one sees the alert on its next check. Then <see cref="Join"/>.</remarks>
    public void Halt()
    {
        _running = false;
        _barrier.Alert();
    }

    /// <summary>Waits for the processor thread to end.</summary>
    /// <param name="timeout">Bound on the wait.</param>
    /// <returns>Whether the thread ended in time.</returns>
    public bool Join(TimeSpan timeout) => _thread is null || _thread.Join(timeout);

    /// <summary>Runs the loop on the calling thread (for tests and single-threaded use); returns when halted.</summary>
    public void RunOnCurrentThread()
    {
        _running = true;
        Run(null);
    }

    private void Run(IReadOnlyCollection<int>? cpus)
    {
        try
        {
            if (cpus is not null)
            {
                CpuAffinity.PinCurrentThread(cpus);
            }
        }
        catch (CpuAffinityException e)
        {
            _startFailure = e;
            _started.Set();
            return;
        }

        _started.Set();
        try
        {
            _handler.OnStart();
        }
        catch (Exception e)
        {
            RecordFault(-1, e);
        }

        var next = Sequence.ValuePlain + 1;
        while (true)
        {
            var available = _barrier.WaitForNoting(next, out var waited);
            if (available == SequenceBarrier.AlertedSequence)
            {
                if (!_running)
                {
                    break;
                }

                _barrier.ClearAlert();
                continue;
            }

            if (available < next)
            {
                // TimeoutSequence from a timeout strategy: nothing new yet.
                _timeoutCount++;
                continue;
            }

            if (available - next + 1 < _lingerBatchSize)
            {
                available = Linger(next, available);
            }

            var cut = false;
            if (available - next >= _maxBatchSize)
            {
                available = next + _maxBatchSize - 1;
                cut = true;
            }

            // Decided here, before the handler runs, so the loop below keeps its registers; paced after the release.
            var pace = !waited && !cut && _lingerBatchSize == 0 && ShouldPace(available - next + 1);
            if (!pace)
            {
                EndOrEaseChase(waited, available - next + 1);
            }

            _handler.OnBatchStart(next, available - next + 1);
            while (next <= available)
            {
                try
                {
                    next = Dispatch(next, available);
                }
                catch (Exception e)
                {
                    next = _dispatching; // the sequence whose handler threw
                    RecordFault(next, e);
                    next++;
                }
            }

            Sequence.SetValue(available);
            if (pace)
            {
                PaceChase();
            }
        }

        try
        {
            _handler.OnShutdown();
        }
        catch (Exception e)
        {
            RecordFault(-1, e);
        }

        _running = false;
    }

    /// <summary>Hands <paramref name="next"/>..<paramref name="available"/> to the handler; returns <paramref name="available"/> + 1.</summary>
    /// <remarks>
    /// Kept apart from the exception handler in <see cref="Run"/>: a local that a catch block reads lives on the stack,
    /// and the batch loop's sequence would then be stored and reloaded on every event (a store-to-load chain of a few
    /// cycles per event). Here it stays in a register; the sequence in hand is also written to a field (one plain
    /// store per event, read only after a handler throws) so the fault can name it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long Dispatch(long next, long available)
    {
        ref var first = ref _ring.FirstSlot;
        var mask = _ring.IndexMask;
        ref var handler = ref _handler;
        for (; next <= available; next++)
        {
            _dispatching = next;
            handler.OnEvent(ref Unsafe.Add(ref first, (nint)(next & mask)), next, next == available);
        }

        return next;
    }

    /// <summary>Waits until <see cref="LingerBatchSize"/> events from <paramref name="next"/> are available or the linger
    /// time has passed, reading the barrier every eighth of it (at most every 100 µs), then once more at the end.</summary>
    /// <returns>The highest available sequence after the linger (never below <paramref name="available"/>).</returns>
    /// <remarks>Out of line: the common path (no linger, or a batch large enough) pays one compare.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long Linger(long next, long available)
    {
        _lingerCount++;
        var now = Stopwatch.GetTimestamp();
        var until = now + _lingerTicks;
        var poll = _lingerPollTicks;
        var nextPoll = now + poll;
        while (now < until && !_barrier.IsAlerted)
        {
            if (now >= nextPoll)
            {
                var seen = _barrier.WaitFor(next);
                if (seen > available)
                {
                    available = seen;
                    if (available - next + 1 >= _lingerBatchSize)
                    {
                        return available;
                    }
                }

                nextPoll = now + poll;
            }

            Thread.SpinWait(1);
            now = Stopwatch.GetTimestamp();
        }

        // Already available up to `available`, so this does not wait; alerted, it returns AlertedSequence and the
        // held events are handled before the next WaitFor sees the alert.
        var later = _barrier.WaitFor(next);
        return later > available ? later : available;
    }

    /// <summary>Whether a batch of <paramref name="size"/> events, found without waiting and not cut, is a chase to
    /// pace: under the pacing batch size, at least <see cref="MinChasedBatch"/> events, and, right after a pause, at
    /// least the events a producer of 100M events/s would have published during it (a producer that did not keep
    /// publishing through the pause, a ping-pong's peer say, is not run ahead of by pausing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ShouldPace(long size) =>
        size < _chasePacingBatchSize && size >= (_chaseContinueBatch == 0 ? MinChasedBatch : _chaseContinueBatch);

    /// <summary>No pause after this batch of <paramref name="size"/> events: after a wait, or a batch too small to be
    /// (or to go on with) a chase, the next chase starts again with the first pause; after a batch large enough (the
    /// consumer is behind, or was cut), the next pause halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndOrEaseChase(bool waited, long size)
    {
        if (waited || size < MinChasedBatch || size < _chaseContinueBatch)
        {
            _chasePauseTicks = _chasePacingTicks;
        }
        else if (_chasePauseTicks > _chasePacingTicks)
        {
            _chasePauseTicks = Math.Max(_chasePacingTicks, _chasePauseTicks / 2);
        }

        _chaseContinueBatch = 0;
    }

    /// <summary>Pauses before the next read of the cursor (see <see cref="SetChasePacing"/>), then doubles the next
    /// pause up to the longest; ends at once when the barrier is alerted.</summary>
    /// <remarks>Out of line: the common path pays one test of a local.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PaceChase()
    {
        _chasePacingCount++;
        var pause = _chasePauseTicks;
        _chasePauseTicks = Math.Min(pause * 2, _chasePacingMaxTicks);
        _chaseContinueBatch = Math.Max(MinChasedBatch, pause / TenNanosecondTicks);
        var until = Stopwatch.GetTimestamp() + pause;
        while (!_barrier.IsAlerted && Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(1);
        }
    }

    /// <summary>Releases the start signal; call after <see cref="Join"/>.</summary>
    public void Dispose() => _started.Dispose();

    private void RecordFault(long sequence, Exception exception)
    {
        Interlocked.Increment(ref _faultCount);
        lock (_faults)
        {
            if (_faults.Count < MaxRecordedFaults)
            {
                _faults.Add(new ProcessorFault(sequence, exception));
            }
        }
    }
}
