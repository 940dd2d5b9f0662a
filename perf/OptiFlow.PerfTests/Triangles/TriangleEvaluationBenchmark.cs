using System.Diagnostics;
using System.Globalization;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.PerfTests.Harness;
using OptiFlow.Testing;

namespace OptiFlow.PerfTests.Triangles;

/// <summary>
/// The triangle evaluator over the full spot universe (2,207 triangles of exchangeInfo's 1,340 TRADING symbols),
/// driven by a bookTicker stream over all its symbols (<c>optiflow generate spot</c>'s generator by default, or
/// <see cref="SeededBookTickerStream"/> with <c>--stream seeded</c>), on the calling thread:
/// <code>
///  core:    seeded bookTickers (array) ─► MarketCore.OnEvent ─► TriangleEvaluator ─► discarding outbound sink
///                                          (baseline: the same core, no evaluator)
///  session: the same stream as a recording file ─► FramePublisher (decode) ─► [ inbound ring ] ─► optiflow-core:
///           MarketCore + TriangleEvaluator ─► [ outbound ring ] (no consumer but the gate); baseline: no evaluator
/// </code>
/// Reports the time to evaluate all triangles of one bookTicker (the evaluator's own histogram, one value per trigger,
/// monotonic clock: median and p99) and the core's throughput with the evaluator on and off, alternating run by run,
/// with the ratio of the medians. Checks each run: the evaluator was called for every event of a symbol in a triangle;
/// reports any bytes allocated on the thread during the measured passes, with and without the evaluator.
/// </summary>
internal static class TriangleEvaluationBenchmark
{
    public static int Run(string[] args)
    {
        var events = 200_000;
        var runs = 7;
        var seed = 1;
        var minEdge = 0.0;
        string? exchangeInfo = null;
        var generated = true;
        int? cpu = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--events": events = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--min-edge-bps": minEdge = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--exchange-info": exchangeInfo = args[++i]; break;
                    case "--cpu": cpu = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--stream":
                        generated = args[++i] switch
                        {
                            "generated" => true,
                            "seeded" => false,
                            _ => throw new ArgumentException("--stream must be generated or seeded"),
                        };
                        break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: OptiFlow.PerfTests triangles [--events N (200000)] [--runs N (7)] [--seed S (1)] [--min-edge-bps M (0)] [--exchange-info FILE] [--cpu N] [--stream generated|seeded (generated)]");
            return 2;
        }

        exchangeInfo ??= RecordingData.Root is { } root ? Path.Combine(root, "SM2A-Binance_API", "exchangeInfoCompact.json") : null;
        if (exchangeInfo is null || !File.Exists(exchangeInfo))
        {
            Console.Error.WriteLine($"exchangeInfo not found ({exchangeInfo ?? "no ../shared/data"}): give --exchange-info FILE");
            return 2;
        }

        if (cpu is { } pinned)
        {
            Engine.Affinity.CpuAffinity.PinCurrentThread(pinned);
        }

        var parsed = ExchangeInfoParser.ParseFile(exchangeInfo);
        var trading = parsed.TradingInstruments();
        var universe = new TriangleUniverse(trading);
        var table = new SymbolTable(4096);
        foreach (var instrument in trading)
        {
            table.GetOrAdd(instrument.Symbol);
        }

        table.Freeze();
        var recording = Path.Combine(Path.GetTempPath(), $"optiflow-triangles-{Environment.ProcessId}.txt");
        MarketEvent[] stream;
        string source;
        if (generated)
        {
            // optiflow generate spot: every TRADING symbol of a triangle, consistent prices on a random walk, mispricings.
            var summary = GeneratedSpotData.Generate(recording, new SpotUniverseGeneratorOptions { Seed = (ulong)seed, FrameCount = events, MispricingCount = Math.Max(1, events / 2_000) });
            stream = [.. GeneratedSpotData.ReadFrames(recording).Select(f => new MarketEvent
            {
                Kind = MarketEventKind.BookTicker,
                Market = Market.Spot,
                SymbolId = table.TryGet(System.Text.Encoding.ASCII.GetBytes(f.Symbol), out var id) ? id : throw new InvalidDataException(f.Symbol),
                FinalUpdateId = f.UpdateId,
                BidPrice = f.Bid,
                BidQuantity = f.BidQuantity,
                AskPrice = f.Ask,
                AskQuantity = f.AskQuantity,
                LocalTimestampNs = f.TimestampNs,
            })];
            source = $"optiflow generate spot (seed {seed}): {summary.SymbolsWritten} symbols, {summary.Mispricings.Count} mispricings";
        }
        else
        {
            var generator = new SeededBookTickerStream(trading, table, seed);
            stream = generator.Generate(events);
            File.WriteAllLines(recording, stream.Select(e => Line(table.NameOf(e.SymbolId), e)));
            source = $"SeededBookTickerStream (seed {seed})";
        }

        var inTriangles = new bool[table.Capacity];
        for (var i = 0; i < trading.Count; i++)
        {
            inTriangles[i] = universe.TrianglesOf(i).Length > 0; // table ids follow the instruments' order
        }

        var expectedTriggers = stream.Count(e => inTriangles[e.SymbolId]);
        Console.WriteLine($"machine: {MachineInfo.Read()}");
        Console.WriteLine($"command: dotnet run -c Release --project perf/OptiFlow.PerfTests -- triangles {string.Join(' ', args)}");
        Console.WriteLine($"universe: {trading.Count} TRADING symbols, {universe.Count} triangles; stream: {events} bookTickers from {source}; min edge {minEdge.ToString(CultureInfo.InvariantCulture)} bps; runs: {runs}; {expectedTriggers} events of symbols in a triangle; cpu: {(cpu is null ? "not pinned" : cpu.Value.ToString(CultureInfo.InvariantCulture))}");

        var on = new List<double>();
        var untimed = new List<double>();
        var off = new List<double>();
        var p50 = new List<long>();
        var p99 = new List<long>();
        var mean = new List<double>();
        var failures = 0;
        var gcBefore = GC.CollectionCount(0);
        for (var run = 0; run < runs; run++)
        {
            // Baseline first, then the evaluator: each run builds fresh cores and warms them with one pass.
            var plain = new MarketCore(table.Capacity, new DiscardingSink());
            Pass(plain, stream, 0);
            Pass(plain, stream, 0);
            var plainAllocated = GC.GetAllocatedBytesForCurrentThread();
            off.Add(Pass(plain, stream, events));
            plainAllocated = GC.GetAllocatedBytesForCurrentThread() - plainAllocated;


            var quiet = new TriangleEvaluator(universe, table, 10, minEdge, measureLatency: false);
            var quietCore = new MarketCore(table.Capacity, new DiscardingSink(), evaluators: new EvaluatorSet([quiet]));
            Pass(quietCore, stream, 0);
            Pass(quietCore, stream, 0);
            untimed.Add(Pass(quietCore, stream, events));

            var evaluator = new TriangleEvaluator(universe, table, 10, minEdge);
            var core = new MarketCore(table.Capacity, new DiscardingSink(), evaluators: new EvaluatorSet([evaluator]));
            Pass(core, stream, 0);
            Pass(core, stream, 0);
            evaluator.EvaluationLatency.Reset();
            var triggersBefore = evaluator.Triggers;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            on.Add(Pass(core, stream, events));
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            var histogram = evaluator.EvaluationLatency;
            p50.Add(histogram.ValueAtPercentile(50));
            p99.Add(histogram.ValueAtPercentile(99));
            mean.Add(histogram.Mean);
            if (evaluator.Triggers - triggersBefore != expectedTriggers)
            {
                failures++;
                Console.WriteLine($"run {run + 1}: CHECK FAILED: {evaluator.Triggers - triggersBefore} triggers of {expectedTriggers}");
            }

            if (allocated != 0 || plainAllocated != 0)
            {
                // Seen as often without the evaluator as with it (a few tens of bytes per 200,000 events, not every
                // run): the runtime's, not the hot path's. The test suite asserts 0 B per event over 25,000 events.
                Console.WriteLine($"run {run + 1}: bytes allocated on the thread during the measured pass: {allocated} B with the evaluator, {plainAllocated} B without");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: eval p50 {p50[^1]} ns, p99 {p99[^1]} ns, mean {mean[^1]:F0} ns over {histogram.TotalCount} triggers ({evaluator.Evaluations / (double)evaluator.Triggers:F1} cycles and {evaluator.Opportunities / (double)evaluator.Triggers:F2} records per trigger); core on {on[^1] / 1e6:F2}M ev/s (untimed {untimed[^1] / 1e6:F2}M), off {off[^1] / 1e6:F2}M ev/s"));
        }

        // The session: the stream's recording, decoded and published by the caller's thread, the core on its own.
        var sessionOn = new List<double>();
        var sessionOff = new List<double>();
        try
        {
            var factory = new TriangleEvaluatorFactory(exchangeInfo, 10, minEdge);
            for (var run = 0; run < runs; run++)
            {
                sessionOff.Add(Session(recording, factory.ExchangeInfo.SymbolTableCapacity(), null));
                sessionOn.Add(Session(recording, factory.ExchangeInfo.SymbolTableCapacity(), factory));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"session run {run + 1}: with evaluator {sessionOn[^1] / 1e6:F2}M ev/s, without {sessionOff[^1] / 1e6:F2}M ev/s"));
            }
        }
        finally
        {
            File.Delete(recording);
            File.Delete(SpotUniverseGenerator.SidecarPath(recording));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {runs}: session (decode + ring + core) with evaluator {Median(sessionOn) / 1e6:F2}M ev/s, without {Median(sessionOff) / 1e6:F2}M ev/s, ratio off/on {Median(sessionOff) / Median(sessionOn):F2}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {runs}: eval p50 {Median(p50)} ns, p99 {Median(p99)} ns, mean {Median(mean):F0} ns; core with evaluator {Median(on) / 1e6:F2}M ev/s (untimed {Median(untimed) / 1e6:F2}M ev/s), without {Median(off) / 1e6:F2}M ev/s, ratio off/on {Median(off) / Median(on):F2}x (untimed {Median(off) / Median(untimed):F2}x); gen0 GCs {GC.CollectionCount(0) - gcBefore}"));
        return failures == 0 ? 0 : 1;
    }

    private static double Pass(MarketCore core, MarketEvent[] stream, long firstSequence)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < stream.Length; i++)
        {
            core.OnEvent(ref stream[i], firstSequence + i);
        }

        return stream.Length / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static double Session(string recording, int capacity, EvaluatorFactory? factory)
    {
        var input = RecordingInput.Open([recording], Adapters.Binance.Recording.RecordingFormat.Hftbacktest, Market.Spot, capacity);
        using var session = EngineSession.ForRecording(input, new EngineOptions { Evaluators = factory is null ? [] : [factory], MeasureLatency = false });
        session.Start();
        session.PublishRecording();
        var result = session.Stop();
        return result.Frames / result.Elapsed.TotalSeconds;
    }

    private static string Line(string symbol, MarketEvent e) => string.Create(CultureInfo.InvariantCulture,
        $"{e.LocalTimestampNs} {{\"stream\":\"{symbol.ToLowerInvariant()}@bookTicker\",\"data\":{{\"u\":{e.FinalUpdateId},\"s\":\"{symbol}\",\"b\":\"{FixedPoint.ToString(e.BidPrice)}\",\"B\":\"{FixedPoint.ToString(e.BidQuantity)}\",\"a\":\"{FixedPoint.ToString(e.AskPrice)}\",\"A\":\"{FixedPoint.ToString(e.AskQuantity)}\"}}}}");

    private static T Median<T>(List<T> values) => values.Order().ElementAt(values.Count / 2);

    private sealed class DiscardingSink : IOutboundSink
    {
        public void OnSignal(in SignalEvent signal, OrderBook book)
        {
        }

        public void OnSnapshotRequest(in SnapshotRequest request)
        {
        }

        public void OnEvaluatorRecord(in EvaluatorRecord record)
        {
        }

        public void OnOrderCommand(in OrderCommand command)
        {
        }
    }
}
