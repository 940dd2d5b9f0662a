using System.Diagnostics;
using System.Globalization;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Hosting;
using OptiFlow.Journal;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>
/// Issue 20, item 1: the speed of each stage of <c>optiflow run</c> alone and of the whole pipeline, on one recording
/// loaded in memory (file reading and gunzip are out of every stage but (d') and (r)):
/// <code>
///  recording ─► lines in memory ─┬─► (a) decode ─► [ ring ] ─► advancing consumer                 ─┐
///                                └─► decode once ─► events[] ─┬─► (b) core (books + signals)       ├─ each alone, one after another
///                                                             └─► (c) journal (tmpfs)             ─┘
///  recording in memory ─► (d) EngineSession: decode ─► [ ring ] ─┬─► core ─► [ outbound ] ─► outbound journal
///                                                                └─► journal (tmpfs)
///  recording file ─► (d') the same session, reading the files (as optiflow run)
///  (d)'s or (d')'s journal ─► (e) JournalReplayer ─► core          recording file ─► (r) reader only
/// </code>
/// Each round runs every stage once, in that order; warm-up rounds (<c>--warm-up N</c>, default 1) run first and are not counted. Reports per stage
/// events/s and frames/s (median, min, max of the measured runs), the ratio (d) ÷ min(a, b, c) (and (d') ÷ min(a, b, c)), and (e) as the replay
/// baseline. Checks every run of every stage (warm-up included): each handled all the recording's events and frames,
/// and every core ((b), (d), (e)) ended with the same book digest and signal stream; exit code 1 when one did not,
/// 2 on bad arguments or an unreadable recording, 0 otherwise.
/// </summary>
internal static class PipelineStagesBenchmark
{
    public static int Run(string[] args)
    {
        PipelineStagesOptions options;
        try
        {
            options = PipelineStagesOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"stages: {e.Message}");
            Console.Error.WriteLine(PipelineStagesOptions.Usage);
            return 2;
        }

        var work = Path.Combine(options.JournalRoot, string.Create(CultureInfo.InvariantCulture, $"optiflow-stages-{Environment.ProcessId}"));
        try
        {
            Directory.CreateDirectory(work);
            return Measure(options, work, "OptiFlow.PerfTests stages " + string.Join(' ', args));
        }
        catch (Exception e) when (e is DamagedRecordingException or InvalidDataException or IOException or UnauthorizedAccessException or JournalDirectoryException)
        {
            Console.Error.WriteLine($"stages: {e.Message}");
            return 2;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static int Measure(PipelineStagesOptions options, string work, string command)
    {
        var machine = MachineInfo.Read();
        var loadAtStart = LoadAverage();
        Console.WriteLine($"machine: {machine}");
        Console.WriteLine($"load average (1, 5, 15 min) at start: {loadAtStart}");
        if (options.Runs < 7)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: {options.Runs} runs per stage: medians of fewer than 7 runs check the harness; they are not figures to quote"));
        }

        var opening = Stopwatch.StartNew();
        var input = RecordingInput.Open(options.Files, RecordingFormat.Auto, options.Market);
        var lines = RecordedLines.Load(input);
        // optiflow run's options without --core-cpu, --trade or strategy options: every consumer batching
        // (EngineOptions.ForRecording, unless --wait-strategy/--journal-wait-strategy say otherwise), default ring sizes,
        // page-cache durability, latency stamps on, no evaluators; the journal here in tmpfs, replaced run after run.
        var engineOptions = EngineOptions.ForRecording() with { JournalDirectory = Path.Combine(work, "session"), JournalOverwrite = true, JournalPlacement = options.JournalPlacement };
        if (options.LatencySampleInterval is { } sample)
        {
            engineOptions = engineOptions with { LatencySampleInterval = sample };
        }

        if (options.WaitStrategy is { } wait)
        {
            engineOptions = engineOptions with { CoreWaitStrategy = wait };
        }

        if (options.SegmentSize is { } size)
        {
            engineOptions = engineOptions with { JournalSegmentSize = size };
        }

        if (options.JournalWaitStrategy is { } journalWait)
        {
            engineOptions = engineOptions with { JournalWaitStrategy = journalWait };
        }
        var segmentSize = options.SegmentSize ?? JournalSizing.SegmentSizeFor(input.Files);

        // (d) as the issue defines it, "on a recording loaded in memory": the session reads the recording's frames from
        // an in-memory copy (RecordingInput.LoadIntoMemory), loaded once here, instead of the files.
        var inMemory = options.Stages.Contains("pipeline-memory") ? input.LoadIntoMemory() : null;
        var captured = PipelineStages.Capture(lines, input, engineOptions, out var frames);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recording: {string.Join(", ", input.Files)} ({input.Format}, {input.Market}, {input.Symbols.Count} symbols): {lines.Count:N0} frames ({lines.TotalBytes:N0} bytes) in memory → {frames:N0} frames decoded → {captured.Count:N0} ring events; loaded and decoded once in {opening.ElapsedMilliseconds:N0} ms"));
        var journalOnCoreThread = engineOptions.JournalsOnCoreThread(fileRun: true, Environment.ProcessorCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"journals under {work} (segment size {segmentSize / (1 << 20)} MiB; the sessions journal on {(journalOnCoreThread ? "the core's thread" : "their own thread")}, --journal-placement {options.JournalPlacement}); {options.Runs} runs after {options.WarmUpRounds} warm-up round{(options.WarmUpRounds == 1 ? "" : "s")}"));

        var stages = options.Stages.Select(Define).ToList();
        var outcomes = new List<(StageRuns Stage, int Round, StageOutcome Outcome)>();
        // Rounds 1 − WarmUpRounds … 0 are the warm-up, 1 … Runs the measured runs.
        for (var round = 1 - options.WarmUpRounds; round <= options.Runs; round++)
        {
            var line = new List<string>();
            foreach (var stage in stages)
            {
                var outcome = stage.Key switch
                {
                    "decode" => PipelineStages.Decode(lines, input, engineOptions),
                    "core" => PipelineStages.Core(captured, input, engineOptions, frames, measureLatency: true),
                    "core-untimed" => PipelineStages.Core(captured, input, engineOptions, frames, measureLatency: false),
                    "journal" => PipelineStages.Journal(captured, input, engineOptions, Path.Combine(work, "journal"), segmentSize, frames),
                    "pipeline-memory" => PipelineStages.Session(inMemory!, engineOptions),
                    "pipeline" => PipelineStages.Session(input, engineOptions),
                    "replay" => PipelineStages.Replay(engineOptions.JournalDirectory!, frames),
                    "read" => PipelineStages.Read(input, captured.Count),
                    _ => throw new InvalidOperationException($"no stage {stage.Key}"),
                };
                outcomes.Add((stage, round, outcome));
                if (round > 0)
                {
                    stage.Samples.Add(outcome.Sample);
                }
                else if (round == 1 - options.WarmUpRounds)
                {
                    stage.WarmUp = outcome.Sample;
                }

                line.Add(string.Create(CultureInfo.InvariantCulture, $"{stage.Key} {outcome.Sample.Seconds * 1e3:F1} ms"));
            }

            Console.WriteLine($"{RoundName(round, options.WarmUpRounds)}: {string.Join(", ", line)}");
        }

        var checks = Check(outcomes, captured.Count, frames);
        var loadAtEnd = LoadAverage();
        Print(stages, frames, captured.Count, checks, loadAtEnd);
        if (options.Json is { } json)
        {
            StageReport.Write(json, new StageReport.Inputs(machine, command, options, input, lines, frames, captured.Count, segmentSize, journalOnCoreThread, engineOptions.LatencySampleInterval, stages, checks, loadAtStart, loadAtEnd));
            Console.WriteLine($"json: {json}");
        }

        return checks.Failures.Count == 0 ? 0 : 1;
    }

    private static StageRuns Define(string key) => key switch
    {
        "decode" => new StageRuns(key, "(a) decode → ring slots",
            "FramePublisher + BinanceFrameDecoder decoding the in-memory frames straight into claimed slots of a single-producer inbound ring (the session's size and core wait strategy), as a recording session's producer does; one consumer thread that only advances its sequence"),
        "core" => new StageRuns(key, "(b) core: books + signals",
            "MarketCore as a run builds it (no evaluators, symbols prepared, latency stamps on), fed the pre-decoded events through CoreEventHandler on one thread; its signals go through OutboundRingPublisher into an outbound ring with no consumer"),
        "core-untimed" => new StageRuns(key, "(b') core, no latency stamps",
            "the same core without latency stamps (MeasureLatency off, as a replay runs it): what the two clock reads per event cost"),
        "journal" => new StageRuns(key, "(c) journal appends (tmpfs)",
            "JournalEventHandler → JournalWriter appending the pre-decoded events (and the symbol records) to a new journal in tmpfs, the session's segment size and durability"),
        "pipeline-memory" => new StageRuns(key, "(d) whole pipeline, in memory",
            "EngineSession.ForRecording over the recording loaded in memory (RecordingInput.LoadIntoMemory, before the window), with a journal in tmpfs, timed from Start through PublishRecording to Stop: decode ∥ core ∥ journal ∥ outbound journal, on the same in-memory frames as (a)"),
        "pipeline" => new StageRuns(key, "(d') whole run, reading the files",
            "EngineSession.ForRecording with a journal in tmpfs, timed from Start through PublishRecording to Stop, as optiflow run --journal DIR (no replay); the session reads the recording file itself: (d) plus (r)"),
        "replay" => new StageRuns(key, "(e) replay of (d)'s journal",
            "JournalReplayer.Replay of the journal the last pipeline stage of the round just wrote: read, core without latency stamps, compared with the run summary"),
        "read" => new StageRuns(key, "(r) read the file, no decode",
            "the session's recording reader over the file (page cache), frames only: the part of (d) that (a) to (c) leave out"),
        _ => throw new InvalidOperationException($"no stage {key}"),
    };

    /// <summary>"warm-up" (or "warm-up k of n"), or "run k".</summary>
    private static string RoundName(int round, int warmUpRounds) => round > 0
        ? string.Create(CultureInfo.InvariantCulture, $"run {round}")
        : warmUpRounds == 1 ? "warm-up" : string.Create(CultureInfo.InvariantCulture, $"warm-up {round + warmUpRounds} of {warmUpRounds}");

    private static StageChecks Check(List<(StageRuns Stage, int Round, StageOutcome Outcome)> outcomes, long events, long frames)
    {
        var failures = new List<string>();
        StageWork? reference = null;
        string? referenceName = null;
        foreach (var (stage, round, outcome) in outcomes)
        {
            var where = round <= 0 ? $"{stage.Key} (warm-up)" : string.Create(CultureInfo.InvariantCulture, $"{stage.Key} run {round}");
            var work = outcome.Work;
            failures.AddRange(work.Problems.Select(p => $"{where}: {p}"));
            if (work.Events is { } handled && handled != events)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {handled:N0} events, the recording has {events:N0}"));
            }

            if (work.Frames != frames)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {work.Frames:N0} frames, the recording has {frames:N0}"));
            }

            if (work.BooksDigest is null)
            {
                continue;
            }

            if (reference is null)
            {
                reference = work;
                referenceName = where;
                continue;
            }

            if (work.BooksDigest != reference.BooksDigest || work.SignalCount != reference.SignalCount || work.SignalDigest != reference.SignalDigest)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: books digest {work.BooksDigest:x8}, {work.SignalCount:N0} signals (digest {work.SignalDigest:x8}); {referenceName}: {reference.BooksDigest:x8}, {reference.SignalCount:N0} signals ({reference.SignalDigest:x8})"));
            }
        }

        return new StageChecks(failures, reference?.BooksDigest, reference?.SignalCount, reference?.SignalDigest);
    }

    private static void Print(List<StageRuns> stages, long frames, long events, StageChecks checks, string loadAtEnd)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"{frames:N0} frames → {events:N0} ring events per run; medians of {stages[0].Samples.Count} runs (min – max); CPU ms: the whole process's user + system time in the window (every thread); warm-up: the first uncounted round"));
        Console.WriteLine($"  {"stage",-32} {"events/s",9} {"(min",9} {"– max)",9}  {"frames/s",9} {"(min",9} {"– max)",9}  {"ms",8}  {"ns/event",8}  {"CPU ms",8}  {"warm-up ms",10}");
        foreach (var s in stages)
        {
            Console.WriteLine(string.Create(inv,
                $"  {s.Label,-32} {Stats.Rate(s.MedianEventsPerSecond)} {Stats.Rate(s.MinEventsPerSecond)} {Stats.Rate(s.MaxEventsPerSecond)}  {Stats.Rate(s.MedianFramesPerSecond)} {Stats.Rate(s.MinFramesPerSecond)} {Stats.Rate(s.MaxFramesPerSecond)}  {s.MedianSeconds * 1e3,8:F1}  {s.MedianSeconds * 1e9 / events,8:F1}  {s.MedianCpuSeconds * 1e3,8:F1}  {s.WarmUp?.Seconds * 1e3,10:F1}"));
        }

        Console.WriteLine("JIT: the JIT's compilation time inside each window (its background thread tiering methods up takes a CPU from a stage that uses two):");
        foreach (var s in stages)
        {
            var free = s.JitFree.Count == 0 ? "—" : Stats.Rate(s.MedianJitFreeEventsPerSecond).Trim() + " events/s";
            Console.WriteLine(string.Create(inv, $"  {s.Label,-32} JIT ms per run: median {s.MedianJitSeconds * 1e3:F1}, max {s.Samples.Max(x => x.JitSeconds) * 1e3:F1}; runs without JIT (< {StageSample.JitFreeSeconds * 1e3:F1} ms): {s.JitFree.Count} of {s.Samples.Count}, median {free}"));
        }

        if (Ratio(stages) is { } ratio)
        {
            Console.WriteLine(string.Create(inv, $"{ratio.Pipeline.Label} ÷ min(a, b, c) = {ratio.Value:F2}: the whole pipeline runs at {ratio.Value * 100:F0}% of its slowest stage alone, {ratio.Slowest.Label}"));
        }

        if (Ratio(stages, "pipeline") is { } files && stages.Any(s => s.Key == "pipeline-memory"))
        {
            Console.WriteLine(string.Create(inv, $"(d') ÷ min(a, b, c) = {files.Value:F2}: the same, reading the files"));
        }

        if (stages.FirstOrDefault(s => s.Key == "replay") is { } replay)
        {
            Console.WriteLine(string.Create(inv, $"replay: {replay.MedianEventsPerSecond / 1e6:F2}M events/s (median; compare builds with perf/scripts/stages_before_after.sh)"));
        }

        if (checks.BooksDigest is { } digest)
        {
            Console.WriteLine(string.Create(inv, $"core: books digest {digest:x8}, {checks.SignalCount:N0} signals (digest {checks.SignalDigest:x8})"));
        }

        Console.WriteLine($"load average (1, 5, 15 min) at end: {loadAtEnd}");
        if (checks.Failures.Count == 0)
        {
            Console.WriteLine("checks: passed (every run of every stage handled every event and frame; every core ended with the same books and signals)");
            return;
        }

        Console.WriteLine(string.Create(inv, $"checks: {checks.Failures.Count} FAILED"));
        foreach (var failure in checks.Failures)
        {
            Console.WriteLine($"  {failure}");
        }
    }

    /// <summary>
    /// The median events/s of a whole-pipeline stage over the lowest median of (a), (b) and (c): (d), in memory, when it
    /// ran, else (d'), reading the files (<paramref name="key"/> picks one); null unless (a), (b), (c) and that stage ran.
    /// </summary>
    public static (double Value, StageRuns Slowest, StageRuns Pipeline)? Ratio(IReadOnlyList<StageRuns> stages, string? key = null)
    {
        var pipeline = key is not null
            ? stages.FirstOrDefault(s => s.Key == key)
            : stages.FirstOrDefault(s => s.Key == "pipeline-memory") ?? stages.FirstOrDefault(s => s.Key == "pipeline");
        var parts = stages.Where(s => s.Key is "decode" or "core" or "journal").ToList();
        if (pipeline is null || parts.Count < 3)
        {
            return null;
        }

        var slowest = parts.MinBy(s => s.MedianEventsPerSecond)!;
        return (pipeline.MedianEventsPerSecond / slowest.MedianEventsPerSecond, slowest, pipeline);
    }

    /// <summary>The first three fields of /proc/loadavg, or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
