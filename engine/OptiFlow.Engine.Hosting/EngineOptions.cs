using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// How an <see cref="EngineSession"/> is built: ring sizes, each consumer's wait strategy and CPU, the journal, the
/// outbound consumers (printers, exporters) and the drain bound. Every property has a working default.
/// </summary>
/// <remarks>
/// <code>
///  source ─► [ inbound ring ] ─┬─► core (CoreWaitStrategy, CoreCpu) ─► [ outbound ring ] ─┬─► outbound journal
///                              └─► journal (JournalWaitStrategy, JournalCpu)               ├─► OutboundHandlers (each its own thread)
///                                                                                          └─► live client's request consumer
/// </code>
/// Immutable once built (init-only): thread-safe to share. Validated by <see cref="Validate"/> when a session is created.
/// </remarks>
public sealed record EngineOptions
{
    /// <summary>The book-sync rule (binance.md "Book sync"): futures <c>pu == previous u</c>, spot <c>U == previous u + 1</c>.
    /// Null: from the recording (<see cref="RecordingInput.Market"/>) or the live venue.</summary>
    public Market? Market { get; init; }

    /// <summary>Inbound ring slots, a power of two (default 65,536).</summary>
    public int RingSize { get; init; } = 1 << 16;

    /// <summary>Outbound ring slots, a power of two (default 65,536).</summary>
    public int OutboundRingSize { get; init; } = 1 << 16;

    /// <summary>The core's wait strategy (default yielding; recording sessions given no options use
    /// <see cref="ForRecording"/>: batching; live sessions given none use <see cref="ForLive"/>: blocking; busy-spin
    /// only on an isolated core, see tuning.md).</summary>
    public WaitStrategyKind CoreWaitStrategy { get; init; } = WaitStrategyKind.Yielding;

    /// <summary>
    /// Every consumer's wait strategy in a recording session without trading when the caller chooses none
    /// (<see cref="ForRecording"/>, <c>optiflow run FILE</c>, <c>optiflow demo --trade off</c>):
    /// <see cref="WaitStrategyKind.Batching"/>. A file run has more busy threads than a 2-vCPU machine has CPUs
    /// (producer, core, journal, the journal's segment helpers); a consumer that has caught up parks until a batch is
    /// published instead of spinning or yielding beside them, and then handles the batch in one go (perf/ARCHIVE.md,
    /// "Whole run vs its slowest stage"). Events wait for their batch (at most ~1 ms), which a file run's throughput does
    /// not mind; a trading session keeps <see cref="WaitStrategyKind.Yielding"/> (its gateway answers the core event by
    /// event), and a live one <see cref="ForLive"/>'s.
    /// </summary>
    public const WaitStrategyKind RecordingWaitStrategy = WaitStrategyKind.Batching;

    /// <summary>The options a recording session without trading uses when given none: every default, with
    /// <see cref="RecordingWaitStrategy"/> for the core and therefore (unless set) for every other consumer.</summary>
    /// <returns>New options.</returns>
    public static EngineOptions ForRecording() => new() { CoreWaitStrategy = RecordingWaitStrategy, LatencySampleInterval = RecordingLatencySampleInterval };

    /// <summary>
    /// The core's <see cref="LatencySampleInterval"/> in a file run without trading (<see cref="ForRecording"/>,
    /// <c>optiflow run FILE</c>): one event in 16. A file run's pick-up times are queueing behind a full ring, and the
    /// handling times of one event in 16 (33,000 of the largest recording's 532,923) give the same percentiles while the
    /// core reads the clock an eighth as often (tuning.md, "Latency stamps in file runs"). Live and trading sessions
    /// stamp every event.
    /// </summary>
    public const int RecordingLatencySampleInterval = 16;

    /// <summary>
    /// The core's wait strategy of a live session when the caller chooses none (<see cref="ForLive"/>, <c>optiflow run
    /// --venue</c>): <see cref="WaitStrategyKind.Blocking"/>. A live feed is idle most of the time; blocking costs no CPU
    /// while idle and wakes the core within tens of µs of a publish (tuning.md, measured), where the file default
    /// (<see cref="WaitStrategyKind.Yielding"/>) keeps every consumer's CPU busy. Busy-spin stays opt-in, for a core pinned
    /// to an isolated CPU.
    /// </summary>
    public const WaitStrategyKind LiveCoreWaitStrategy = WaitStrategyKind.Blocking;

    /// <summary>
    /// The other consumers' wait strategy of a live session when the caller chooses none (journal, outbound journal,
    /// printers, the snapshot-request consumer): <see cref="WaitStrategyKind.Sleeping"/>. Near-zero idle CPU, and their
    /// producers (the receive threads, the core) never pay a wake-up call on publish; they lag by at most ~1 ms, which
    /// none of them needs to beat.
    /// </summary>
    public const WaitStrategyKind LiveConsumerWaitStrategy = WaitStrategyKind.Sleeping;

    /// <summary>The options a live session uses when given none: every default, with <see cref="LiveCoreWaitStrategy"/>
    /// for the core and <see cref="LiveConsumerWaitStrategy"/> for every other consumer.</summary>
    /// <returns>New options.</returns>
    public static EngineOptions ForLive() => new()
    {
        CoreWaitStrategy = LiveCoreWaitStrategy,
        JournalWaitStrategy = LiveConsumerWaitStrategy,
        OutboundWaitStrategy = LiveConsumerWaitStrategy,
    };

    /// <summary>The journal consumers' wait strategy (inbound and outbound journal); null: the core's.</summary>
    public WaitStrategyKind? JournalWaitStrategy { get; init; }

    /// <summary>The wait strategy of each <see cref="OutboundHandlers"/> thread; null: the journal's.</summary>
    public WaitStrategyKind? OutboundWaitStrategy { get; init; }

    /// <summary>CPU to pin the core thread to (sched_setaffinity from inside it), or null.</summary>
    public int? CoreCpu { get; init; }

    /// <summary>CPU to pin the inbound journal thread to, or null.</summary>
    public int? JournalCpu { get; init; }

    /// <summary>CPU to pin the outbound consumers (outbound journal, handlers, request consumer) to, or null.</summary>
    public int? OutboundCpu { get; init; }

    /// <summary>Journal directory (inbound events, with the outbound stream in <c>DIR/outbound</c>), or null for none.
    /// It must be missing, empty, or (with <see cref="JournalOverwrite"/>) an OptiFlow journal; the session holds its
    /// lock (<see cref="JournalWriter"/>) while it runs.</summary>
    public string? JournalDirectory { get; init; }

    /// <summary>
    /// Whether an existing OptiFlow journal in <see cref="JournalDirectory"/> may be replaced (its segment files
    /// deleted); default false: the session refuses it with a <see cref="JournalDirectoryException"/>. A directory that
    /// holds anything else is refused either way.
    /// </summary>
    public bool JournalOverwrite { get; init; }

    /// <summary>Journal durability level (0 page cache, the default; 1 flush on roll; 2 flush every N records).</summary>
    public JournalDurability JournalDurability { get; init; } = JournalDurability.PageCache;

    /// <summary>Journal segment size in bytes, a power of two, for both the inbound and the outbound journal; null (the
    /// default) sizes them by <see cref="JournalSizing"/>: from the recording's size (1 to 64 MiB), 64 MiB live, and
    /// the outbound journal an eighth of the inbound one.</summary>
    public int? JournalSegmentSize { get; init; }

    /// <summary>
    /// The inbound journal processor's linger (<see cref="BatchEventProcessor{T, THandler}.SetLinger"/>: batches under
    /// <c>BatchSize</c> events wait up to <c>Nanoseconds</c>), or null for none (the default).
    /// </summary>
    public (int BatchSize, long Nanoseconds)? JournalLinger { get; init; }

    /// <summary>
    /// Which thread journals the inbound events (default <see cref="Hosting.JournalPlacement.Auto"/>: the core's thread in
    /// a file run on fewer than three CPUs, a thread of its own otherwise). <see cref="Hosting.JournalPlacement.CoreThread"/>
    /// cannot be combined with <see cref="JournalCpu"/> or <see cref="JournalLinger"/>, which configure a journal thread.
    /// </summary>
    public JournalPlacement JournalPlacement { get; init; } = JournalPlacement.Auto;

    /// <summary>When the core's outbound publisher adds book views (<see cref="OutboundEventKind.BookLevel"/> slots) for
    /// printers, or null for never.</summary>
    public BookViewPolicy? BookViews { get; init; }

    /// <summary>
    /// Consumers of the outbound ring (printers, exporters), each run on its own thread (<c>optiflow-outbound-N</c>)
    /// with <see cref="OutboundWaitStrategy"/>; each sees every outbound record in order. They gate the core: a slow
    /// handler slows the core rather than lose a record. Called on their own thread only; a handler that throws is
    /// recorded and counted (<see cref="SessionResult.OutboundFaults"/>) and the handler moves on to the next record; the core never sees it.
    /// </summary>
    public IReadOnlyList<IEventHandler<OutboundEvent>> OutboundHandlers { get; init; } = [];

    /// <summary>
    /// Evaluators and strategies the core runs after each event they subscribe to, in this order (each factory builds a
    /// fresh one per session). Their records and order commands go to the outbound ring and the outbound journal; the
    /// session header records each factory's name and configuration, so <see cref="JournalReplayer"/> rebuilds them
    /// (through <see cref="Evaluators.EvaluatorCatalog"/>) and reproduces every decision. Empty by default.
    /// </summary>
    public IReadOnlyList<Evaluators.EvaluatorFactory> Evaluators { get; init; } = [];

    /// <summary>
    /// Trading: an order gateway (thread <c>optiflow-gateway</c>) takes the core's order commands from the outbound ring,
    /// checks them with pre-trade risk and sends them to the venue, and execution reports come back through the inbound
    /// ring (journaled). Null (the default): no gateway, order commands are only journaled.
    /// </summary>
    public Trading.TradingOptions? Trading { get; init; }

    /// <summary>Whether the core stamps its latency histograms (default true; a replay never does).</summary>
    public bool MeasureLatency { get; init; } = true;

    /// <summary>
    /// The core stamps one event in this many for its latency histograms (<see cref="Core.MarketCore.LatencySampleInterval"/>:
    /// pick-up, receive → core, handling; the feed latency is recorded for every frame); a power of two, default 1
    /// (every event). Each stamp is a clock read of ~23–25 ns on the 2-vCPU VM, about a third of the core's work per
    /// event in a file run (tuning.md, "Latency stamps in file runs").
    /// </summary>
    public int LatencySampleInterval { get; init; } = 1;

    /// <summary>Events (frames on the producer) after which the steady-state allocation windows open (default 2,000).</summary>
    public long SteadyStateAfter { get; init; } = 2000;

    /// <summary>Bound on each wait of <see cref="EngineSession.Stop"/>: consumers draining, threads stopping (default 60 s).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether the core's thread journals the inbound events (<see cref="JournalPlacement"/> resolved): explicit
    /// placements as given; <see cref="Hosting.JournalPlacement.Auto"/> gives the core's thread to a file run
    /// (<paramref name="fileRun"/>: a recording session) without <see cref="Trading"/>, <see cref="JournalCpu"/> or
    /// <see cref="JournalLinger"/> on a machine where <paramref name="processorCount"/> is below 3.
    /// </summary>
    /// <param name="fileRun">Whether the session reads a recording (not a live feed).</param>
    /// <param name="processorCount">CPUs this process may use (<see cref="Environment.ProcessorCount"/>).</param>
    /// <returns>True for the core's thread, false for a journal thread of its own.</returns>
    public bool JournalsOnCoreThread(bool fileRun, int processorCount) => JournalPlacement switch
    {
        JournalPlacement.CoreThread => true,
        JournalPlacement.OwnThread => false,
        _ => fileRun && Trading is null && JournalCpu is null && JournalLinger is null && processorCount < 3,
    };

    /// <summary>The journal consumers' effective wait strategy.</summary>
    public WaitStrategyKind EffectiveJournalWaitStrategy => JournalWaitStrategy ?? CoreWaitStrategy;

    /// <summary>The outbound handlers' effective wait strategy.</summary>
    public WaitStrategyKind EffectiveOutboundWaitStrategy => OutboundWaitStrategy ?? EffectiveJournalWaitStrategy;

    /// <summary>Checks every value, and that every CPU given is one this process may run on; creates nothing.</summary>
    /// <remarks>A session calls it before it creates anything (rings, journal directory), so a bad value leaves no trace.</remarks>
    /// <exception cref="ArgumentException">A ring size, segment size or latency sample interval is not a power of two, a
    /// bound is not positive, a handler is null, a book view policy is invalid, a batching core is combined with trading,
    /// or <see cref="JournalPlacement.CoreThread"/> with <see cref="JournalCpu"/> or <see cref="JournalLinger"/>.</exception>
    /// <exception cref="CpuAffinityException">A CPU is outside the process's allowed set (taskset, cgroup), or the
    /// platform cannot pin threads.</exception>
    public void Validate()
    {
        RequirePowerOfTwo(RingSize, nameof(RingSize));
        RequirePowerOfTwo(OutboundRingSize, nameof(OutboundRingSize));
        if (JournalSegmentSize is { } segmentSize)
        {
            RequirePowerOfTwo(segmentSize, nameof(JournalSegmentSize));
        }

        if (DrainTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(DrainTimeout)} must be positive, not {DrainTimeout}.");
        }

        if (SteadyStateAfter < 1)
        {
            throw new ArgumentException($"{nameof(SteadyStateAfter)} must be at least 1, not {SteadyStateAfter}.");
        }

        RequirePowerOfTwo(LatencySampleInterval, nameof(LatencySampleInterval));
        if (JournalPlacement == JournalPlacement.CoreThread && (JournalCpu is not null || JournalLinger is not null))
        {
            throw new ArgumentException($"{nameof(JournalPlacement)} {JournalPlacement.CoreThread} journals on the core's thread; {(JournalCpu is not null ? nameof(JournalCpu) : nameof(JournalLinger))} configures a journal thread of its own: give one or the other.");
        }

        if (!Enum.IsDefined(JournalPlacement))
        {
            throw new ArgumentException($"{nameof(JournalPlacement)} {(int)JournalPlacement} is not a placement.");
        }

        BookViews?.Validate();
        foreach (var handler in OutboundHandlers)
        {
            if (handler is null)
            {
                throw new ArgumentException($"{nameof(OutboundHandlers)} holds a null handler.");
            }
        }

        Trading?.Validate();
        if (Trading is not null && CoreWaitStrategy == WaitStrategyKind.Batching)
        {
            throw new ArgumentException(
                $"{nameof(CoreWaitStrategy)} {WaitStrategyKind.Batching} cannot be used with {nameof(Trading)}: the order gateway waits for the core event by event, and a batching core would hold each event up to its batch bound; use {WaitStrategyKind.Yielding} or {WaitStrategyKind.Blocking}.");
        }

        RequireAllowedCpus();
    }

    /// <summary>Refuses a CPU outside the process mask (the threads would refuse it at start, after the journal was created).</summary>
    private void RequireAllowedCpus()
    {
        int?[] cpus = [CoreCpu, JournalCpu, OutboundCpu, Trading?.GatewayCpu];
        if (cpus.All(c => c is null))
        {
            return;
        }

        var allowed = CpuAffinity.GetAllowedCpus();
        foreach (var cpu in cpus)
        {
            if (cpu is { } c && Array.IndexOf(allowed, c) < 0)
            {
                throw new CpuAffinityException(
                    $"Cannot pin to CPU {c}: this process may only run on CPUs {CpuAffinity.FormatList(allowed)} (see taskset/cgroup limits).");
            }
        }
    }

    private static void RequirePowerOfTwo(int value, string name)
    {
        if (value < 1 || (value & (value - 1)) != 0)
        {
            throw new ArgumentException($"{name} must be a positive power of two, not {value}.");
        }
    }
}
