using System.Diagnostics;
using System.Globalization;
using OptiFlow.Cli.Replay;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Journal;

namespace OptiFlow.Cli.Session;

/// <summary>
/// The consumer side of a session, shared by file and live runs: the inbound ring, the core and the journal writer on
/// their own threads (both gating the producers), and the outbound journal of the core's signals.
/// </summary>
/// <remarks>
/// <code>
///  producers (caller) ─► [ inbound ring ] ─┬─► optiflow-core: MarketCore ─► outbound ring ─► DIR/outbound/
///                                          └─► optiflow-journal: JournalWriter ─► DIR/
/// </code>
/// Lifecycle: construct → <see cref="Start"/> (writes the session header) → (the caller publishes) →
/// <see cref="DrainAndStop"/> → <see cref="Complete"/> → <see cref="Dispose"/>. Dispose halts whatever is still running, so an exception between
/// the steps leaves no thread behind. Not thread-safe: one controlling thread drives the steps.
/// </remarks>
internal sealed class CoreJournalPipeline : IDisposable
{
    private readonly SessionOptions _options;
    private readonly SymbolTable _symbols;
    private readonly OutboundJournal? _outbound;
    private bool _disposed;

    /// <summary>
    /// Builds the pipeline and creates the journal; nothing is written or runs until <see cref="Start"/>.
    /// </summary>
    /// <exception cref="IOException">The journal directory cannot be created or written.</exception>
    public CoreJournalPipeline(SessionOptions options, SymbolTable symbols, ProducerType producers)
    {
        _options = options;
        _symbols = symbols;
        Ring = new RingBuffer<MarketEvent>(options.RingSize, CreateWaitStrategy(options.WaitStrategy), producers);
        _outbound = OutboundJournal.Start(options);
        try
        {
            Core = new MarketCore(symbols.Capacity, _outbound?.Sink ?? options.Sink, measureLatency: true) { SteadyStateAfterEvents = options.SteadyStateAfter };
            CoreProcessor = new BatchEventProcessor<MarketEvent, CoreEventHandler>(Ring, Ring.Sequencer.NewBarrier(), new CoreEventHandler(Core));
            if (options.JournalDirectory is { } directory)
            {
                Writer = new JournalWriter(directory, new JournalOptions { SegmentSize = options.JournalSegmentSize, Overwrite = true, Durability = options.JournalDurability });
                JournalProcessor = new BatchEventProcessor<MarketEvent, JournalEventHandler>(
                    Ring, Ring.Sequencer.NewBarrier(), new JournalEventHandler(Writer, options.SteadyStateAfter, symbols));
                if (options.JournalLinger is { } linger)
                {
                    JournalProcessor.SetLinger(linger.BatchSize, linger.Nanoseconds);
                }

                Ring.Sequencer.SetGatingSequences(CoreProcessor.Sequence, JournalProcessor.Sequence);
            }
            else
            {
                Ring.Sequencer.SetGatingSequences(CoreProcessor.Sequence);
            }
        }
        catch
        {
            Writer?.Dispose();
            _outbound?.Dispose();
            throw;
        }
    }

    /// <summary>The inbound ring the caller's producers claim and publish on (single- or multi-producer, as created).</summary>
    public RingBuffer<MarketEvent> Ring { get; }

    /// <summary>The core; read its counters only after <see cref="DrainAndStop"/>.</summary>
    public MarketCore Core { get; }

    /// <summary>The core's processor (its sequence, faults and thread).</summary>
    public BatchEventProcessor<MarketEvent, CoreEventHandler> CoreProcessor { get; }

    /// <summary>The journal writer, or null when the session keeps no journal.</summary>
    public JournalWriter? Writer { get; }

    /// <summary>The journal's processor, or null when the session keeps no journal.</summary>
    public BatchEventProcessor<MarketEvent, JournalEventHandler>? JournalProcessor { get; }

    /// <summary>Faults of the outbound journal's processor (0 without a journal).</summary>
    public long OutboundFaults => _outbound?.Faults ?? 0;

    /// <summary>The wait strategy a session's consumers use for <paramref name="kind"/>.</summary>
    public static IWaitStrategy CreateWaitStrategy(WaitStrategyKind kind) => kind switch
    {
        WaitStrategyKind.Blocking => new BlockingWaitStrategy(),
        WaitStrategyKind.Sleeping => new SleepingWaitStrategy(),
        WaitStrategyKind.BusySpin => new BusySpinWaitStrategy(),
        _ => new YieldingWaitStrategy(),
    };

    /// <summary>
    /// Writes the journal's session header (configuration and the symbols interned so far: a live client interns its
    /// symbols between construction and here), then starts the core (pinned to
    /// <see cref="SessionOptions.CoreCpu"/> when set) and the journal threads.
    /// </summary>
    /// <exception cref="OptiFlow.Engine.Affinity.CpuAffinityException">The core's CPU is outside the process mask.</exception>
    public void Start()
    {
        if (Writer is not null)
        {
            JournalSessionHeader.Write(Writer, _options, _symbols);
        }

        CoreProcessor.Start("optiflow-core", _options.CoreCpu);
        JournalProcessor?.Start("optiflow-journal");
    }

    /// <summary>
    /// Once every producer has stopped: waits until both consumers have processed everything published, then halts and
    /// joins them, each wait bounded by <see cref="SessionOptions.DrainTimeout"/>.
    /// </summary>
    /// <exception cref="TimeoutException">A consumer did not drain, or did not stop, within the timeout; the message
    /// gives the cursor and each consumer's sequence.</exception>
    public void DrainAndStop()
    {
        var timeout = _options.DrainTimeout;
        var target = Ring.Cursor.Value;
        var deadline = Stopwatch.StartNew();
        while (CoreProcessor.Sequence.Value < target || (JournalProcessor is not null && JournalProcessor.Sequence.Value < target))
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Consumers did not drain the ring within {timeout.TotalSeconds:0} s: cursor {target}, core {CoreProcessor.Sequence.Value}, journal {JournalProcessor?.Sequence.Value.ToString(CultureInfo.InvariantCulture) ?? "-"}.");
            }

            Thread.Sleep(1);
        }

        CoreProcessor.Halt();
        JournalProcessor?.Halt();
        if (!CoreProcessor.Join(timeout) || (JournalProcessor is not null && !JournalProcessor.Join(timeout)))
        {
            throw new TimeoutException($"The core or journal thread did not stop within {timeout.TotalSeconds:0} s of being halted.");
        }
    }

    /// <summary>
    /// After <see cref="DrainAndStop"/>: drains the outbound journal, appends the run summary to the journal and
    /// flushes it.
    /// </summary>
    /// <exception cref="TimeoutException">The outbound journal did not drain within the timeout.</exception>
    public void Complete()
    {
        _outbound?.Complete(_options.DrainTimeout);
        if (Writer is not null)
        {
            Writer.AppendBlob(JournalRecordType.RunSummary, RunSummary.From(Core, _symbols).ToUtf8());
            Writer.Flush();
        }
    }

    /// <summary>
    /// Halts any thread still running, then closes the journal and the outbound journal. After a normal run nothing
    /// is running any more; on an error path the threads get 5 s each to stop (best effort: the error that brought us
    /// here is the one reported).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StopIfRunning(CoreProcessor);
        if (JournalProcessor is not null)
        {
            StopIfRunning(JournalProcessor);
            JournalProcessor.Dispose();
        }

        Writer?.Dispose();
        CoreProcessor.Dispose();
        _outbound?.Dispose();
    }

    private static void StopIfRunning<THandler>(BatchEventProcessor<MarketEvent, THandler> processor)
        where THandler : struct, IEventHandler<MarketEvent>
    {
        if (processor.IsRunning)
        {
            processor.Halt();
            processor.Join(TimeSpan.FromSeconds(5));
        }
    }
}
