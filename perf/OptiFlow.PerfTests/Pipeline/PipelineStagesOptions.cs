using System.Globalization;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>The options of <c>OptiFlow.PerfTests stages</c>, parsed and checked.</summary>
/// <param name="Files">The recording's files, in session order.</param>
/// <param name="Market">The sync rule, or null to detect it from the data.</param>
/// <param name="Runs">Measured runs per stage (after the warm-up rounds).</param>
/// <param name="Json">Where to write the JSON report, or null.</param>
/// <param name="JournalRoot">The directory (tmpfs) under which the journals of (c) and (d) are written.</param>
/// <param name="Stages">The stages to run, in the fixed order of <see cref="AllStages"/>.</param>
/// <param name="WaitStrategy">The core's wait strategy (and the journal's unless <paramref name="JournalWaitStrategy"/>), as
/// <c>optiflow run --wait-strategy</c>; null: the file-run default.</param>
/// <param name="JournalWaitStrategy">The journal consumers' wait strategy, as <c>--journal-wait-strategy</c>; null: the default.</param>
/// <param name="SegmentSize">The journals' segment size in bytes for (c) and (d) (<see cref="EngineOptions.JournalSegmentSize"/>,
/// both journals), or null for the session's own choice (<see cref="JournalSizing"/>).</param>
/// <param name="WarmUpRounds">Uncounted rounds before the measured ones (default 1; more let the JIT tier the hot paths
/// up before the first counted run: perf/ARCHIVE.md, "Replay: the JIT's tier-up and the session records").</param>
/// <param name="JournalPlacement">Where the sessions ((d), (d')) journal (<see cref="EngineOptions.JournalPlacement"/>),
/// as <c>--journal-placement</c>; default Auto, as <c>optiflow run</c>.</param>
/// <param name="LatencySampleInterval">The core's latency sample interval for (b) and the sessions
/// (<see cref="EngineOptions.LatencySampleInterval"/>), as <c>--latency-sample N</c>; null: the file-run default.</param>
internal sealed record PipelineStagesOptions(IReadOnlyList<string> Files, Market? Market, int Runs, string? Json, string JournalRoot, IReadOnlyList<string> Stages, WaitStrategyKind? WaitStrategy = null, WaitStrategyKind? JournalWaitStrategy = null, int? SegmentSize = null, int WarmUpRounds = 1, JournalPlacement JournalPlacement = JournalPlacement.Auto, int? LatencySampleInterval = null)
{
    /// <summary>Every stage key, in the order each round runs them.</summary>
    public static readonly IReadOnlyList<string> AllStages = ["decode", "core", "core-untimed", "journal", "pipeline-memory", "pipeline", "replay", "read"];

    /// <summary>The recording relative to the data root when none is given: the largest USDⓈ-M recording (issue 20).</summary>
    public const string DefaultRecording = "hftbacktest/examples/usdm/btcusdt_20240808";

    public const string Usage =
        "usage: OptiFlow.PerfTests stages [--recording FILE (repeat for a session over several files; default ../shared/data/binance/"
        + DefaultRecording + ")] [--market futures|spot (default: detected)] [--runs N (7)] [--warm-up N (1)] [--json PATH] [--journal-root DIR (/dev/shm)] [--stages "
        + "decode,core,core-untimed,journal,pipeline-memory,pipeline,replay,read (all)] [--wait-strategy W] [--journal-wait-strategy W] [--segment-size BYTES (a power of two; default: the session's)] [--journal-placement auto|own-thread|core-thread (auto)] [--latency-sample N (a power of two; default: the file run's)] (W: yielding, blocking, sleeping, busy-spin, batching; default: optiflow run's)";

    /// <summary>Parses the arguments after <c>stages</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value, or its value is refused (the message names it).</exception>
    public static PipelineStagesOptions Parse(string[] args)
    {
        var files = new List<string>();
        Market? market = null;
        var runs = 7;
        var warmUp = 1;
        string? json = null;
        var journalRoot = "/dev/shm";
        IReadOnlyList<string> stages = AllStages;
        WaitStrategyKind? wait = null;
        WaitStrategyKind? journalWait = null;
        int? segmentSize = null;
        var placement = JournalPlacement.Auto;
        int? latencySample = null;
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{option}: give a value");
            switch (option)
            {
                case "--recording": files.Add(Value()); break;
                case "--market":
                    market = Value() switch
                    {
                        "futures" => Engine.Model.Market.Futures,
                        "spot" => Engine.Model.Market.Spot,
                        var other => throw new ArgumentException($"--market: '{other}' is not futures or spot"),
                    };
                    break;
                case "--runs":
                    var text = Value();
                    runs = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : throw new ArgumentException($"--runs: '{text}' is not a positive whole number");
                    break;
                case "--warm-up":
                    var rounds = Value();
                    warmUp = int.TryParse(rounds, NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w >= 1 ? w : throw new ArgumentException($"--warm-up: '{rounds}' is not a positive whole number");
                    break;
                case "--json": json = Value(); break;
                case "--journal-root": journalRoot = Value(); break;
                case "--stages": stages = ParseStages(Value()); break;
                case "--wait-strategy": wait = ParseWait(option, Value()); break;
                case "--journal-wait-strategy": journalWait = ParseWait(option, Value()); break;
                case "--latency-sample": latencySample = ParsePowerOfTwo(option, Value(), minimum: 1); break;
                case "--journal-placement":
                    var name = Value();
                    placement = JournalPlacementExtensions.TryParse(name, out var parsed)
                        ? parsed
                        : throw new ArgumentException($"--journal-placement: '{name}' is not {JournalPlacementExtensions.Names}");
                    break;
                case "--segment-size": segmentSize = ParsePowerOfTwo(option, Value(), minimum: 4096); break;
                default: throw new ArgumentException($"unknown option '{option}'");
            }
        }

        if (files.Count == 0)
        {
            files.Add(RecordingData.Root is { } root
                ? Path.Combine(root, DefaultRecording)
                : throw new ArgumentException($"no ../shared/data/binance found for the default recording ({DefaultRecording}): give --recording FILE"));
        }

        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new ArgumentException($"--recording: file not found: {file}");
            }
        }

        if (!Directory.Exists(journalRoot))
        {
            throw new ArgumentException($"--journal-root: directory not found: {journalRoot}");
        }

        if (stages.Contains("replay") && !stages.Contains("pipeline") && !stages.Contains("pipeline-memory"))
        {
            throw new ArgumentException("--stages: replay replays the journal a pipeline stage writes; add pipeline or pipeline-memory");
        }

        return new PipelineStagesOptions(files, market, runs, json, journalRoot, stages, wait, journalWait, segmentSize, warmUp, placement, latencySample);
    }

    /// <summary>A power of two of at least <paramref name="minimum"/> (itself a power of two), or an error naming <paramref name="option"/>.</summary>
    private static int ParsePowerOfTwo(string option, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && int.IsPow2(value)
            ? value
            : throw new ArgumentException($"{option}: '{text}' is not a power of two{(minimum > 1 ? $" of at least {minimum}" : "")}");

    private static WaitStrategyKind ParseWait(string option, string text) =>
        WaitStrategyKindExtensions.TryParse(text, out var kind) ? kind : throw new ArgumentException($"{option}: '{text}' is not yielding, blocking, sleeping, busy-spin or batching");

    private static string[] ParseStages(string text)
    {
        var given = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var stage in given)
        {
            if (!AllStages.Contains(stage))
            {
                throw new ArgumentException($"--stages: '{stage}' is not one of {string.Join(", ", AllStages)}");
            }
        }

        return given.Length == 0 ? throw new ArgumentException("--stages: give at least one stage") : [.. AllStages.Where(given.Contains)];
    }
}
