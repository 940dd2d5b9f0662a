using OptiFlow.Engine.Core;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>What <see cref="ReportPage"/> draws: a finished run's results, stages and intervals.</summary>
/// <param name="Command">The verb that ran.</param>
/// <param name="Elapsed">The run's duration.</param>
/// <param name="Options">The session's options (null for a replay).</param>
/// <param name="Files">The input files.</param>
/// <param name="Core">The core, stopped.</param>
/// <param name="Frames">Frames read.</param>
/// <param name="Books">The final books.</param>
/// <param name="Stages">The latency stages.</param>
/// <param name="Intervals">The stages' intervals (latency.hlog).</param>
/// <param name="IntervalsPerSecond">True: sampled once a second during the run; false: one interval spanning the run.</param>
/// <param name="JournalDirectory">The session's journal, or null when it had none.</param>
/// <param name="NameOf">Symbol id → name.</param>
/// <param name="Replay">The replay, or null.</param>
/// <param name="Trading">The trading result, or null.</param>
internal sealed record ReportPageContent(
    string Command,
    TimeSpan Elapsed,
    EngineOptions? Options,
    IReadOnlyList<string> Files,
    MarketCore Core,
    long Frames,
    IReadOnlyList<BookResult> Books,
    IReadOnlyList<ReportStage> Stages,
    IReadOnlyList<LatencyInterval> Intervals,
    bool IntervalsPerSecond,
    string? JournalDirectory,
    Func<int, string> NameOf,
    ReplayResult? Replay,
    Trading.TradingResult? Trading);
