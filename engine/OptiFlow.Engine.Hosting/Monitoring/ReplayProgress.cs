using System.Diagnostics;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Monitoring;

/// <summary>
/// Follows a replay while it runs: give one to <see cref="JournalReplayer.Replay(string, string?, bool, Evaluators.EvaluatorCatalog?, ReplayProgress?)"/>
/// and call <see cref="Read"/> from another thread (a progress line, a metrics scrape).
/// </summary>
/// <remarks>
/// The replay thread stores its event count after each event (one plain release store) and publishes its core and symbol
/// names once, when it creates the core; <see cref="Read"/> reads them from any thread (see <see cref="SessionProgress"/>
/// for what a snapshot guarantees). One instance follows one replay.
/// </remarks>
/// <param name="expectedEvents">The events the replay will handle when known (<see cref="JournalReplayer.RecordedEvents"/>
/// of the journal, or the session's own count), else 0.</param>
public sealed class ReplayProgress(long expectedEvents = 0)
{
    private long _startTimestamp;
    private long _endTimestamp;
    private long _events;
    private MarketCore? _core;
    private IReadOnlyList<string> _symbols = [];
    private volatile bool _finished;

    /// <summary>The events the replay will handle, or 0 when unknown.</summary>
    public long ExpectedEvents { get; } = expectedEvents;

    /// <summary>Events replayed so far (any thread).</summary>
    public long Events => Volatile.Read(ref _events);

    /// <summary>A snapshot of the replay: events of <see cref="ExpectedEvents"/>, its core's counts, books and stages.</summary>
    /// <returns>The snapshot (allocates).</returns>
    /// <remarks>Any thread, at any time (before the replay starts: zeros).</remarks>
    public SessionProgress Read()
    {
        var progress = new SessionProgress
        {
            Elapsed = Elapsed(),
            ExpectedEvents = ExpectedEvents,
            SourceFinished = _finished,
            Events = Events,
        };
        var core = Volatile.Read(ref _core);
        if (core is null)
        {
            return progress;
        }

        return ProgressReader.WithCore(progress, core, Volatile.Read(ref _symbols), feed: null, Stages(core));
    }

    /// <summary>The replay started reading (replay thread).</summary>
    internal void Started() => Volatile.Write(ref _startTimestamp, Stopwatch.GetTimestamp());

    /// <summary>The replay created its core over these symbols (replay thread, once).</summary>
    internal void Attach(MarketCore core, IReadOnlyList<string> symbols)
    {
        Volatile.Write(ref _symbols, symbols);
        Volatile.Write(ref _core, core);
    }

    /// <summary>Events replayed so far (replay thread: one release store).</summary>
    internal void SetEvents(long events) => Volatile.Write(ref _events, events);

    /// <summary>The replay read the whole journal (replay thread).</summary>
    internal void Finished()
    {
        Volatile.Write(ref _endTimestamp, Stopwatch.GetTimestamp());
        _finished = true;
    }

    private TimeSpan Elapsed()
    {
        var start = Volatile.Read(ref _startTimestamp);
        var end = Volatile.Read(ref _endTimestamp);
        return start == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start, end == 0 ? Stopwatch.GetTimestamp() : end);
    }

    private static IEnumerable<(string, LatencyHistogram?)> Stages(MarketCore core) =>
    [
        (Reports.ReportStage.PublishedToCore, core.PickupLatency),
        (Reports.ReportStage.FrameToCore, core.ReceiveToCoreLatency),
        (Reports.ReportStage.CoreHandling, core.HandlingLatency),
    ];
}
