using System.Globalization;
using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.PerfTests.Harness;

/// <summary>
/// Runs every selected test <c>--runs</c> times, interleaving a topology's implementations run by run (so the ring
/// and its baselines see the same machine weather), then prints min/median/max ops/s, the mean batch size, GC counts
/// per run, and the ratios of the ring's median to each baseline's median from the same invocation; writes JSON
/// with <c>--json</c>. Exit code: 0 when every run's result check passed, 1 when one failed, 2 on bad arguments.
/// </summary>
internal static class PerfRunner
{
    private const string Ring = "Ring";
    private const string Reference = "Channel";

    public static int Run(string[] args)
    {
        PerfOptions options;
        try
        {
            options = PerfOptions.Parse(args);
            if (options.Cpus is { } cpus && OperatingSystem.IsLinux())
            {
                var allowed = CpuAffinity.GetAllowedCpus();
                var outside = cpus.Where(c => Array.IndexOf(allowed, c) < 0).ToArray();
                if (outside.Length > 0)
                {
                    throw new CpuAffinityException(
                        $"--cpus {CpuAffinity.FormatList(cpus)}: CPU(s) {string.Join(',', outside)} are outside this process's mask {CpuAffinity.FormatList(allowed)}.");
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or CpuAffinityException)
        {
            Console.Error.WriteLine(e.Message == "usage" ? string.Empty : e.Message);
            Console.Error.WriteLine("usage: OptiFlow.PerfTests [--json PATH] [--runs N (7)] [--cpus LIST] [--filter NAME] [--scale X (1.0)] [--wait yielding|busyspin|sleeping|blocking] [--batch-divisor D (0 = unlimited, the engine default; 4 = a quarter ring)] [--buffer-size N (1024; ring and baseline queues alike)] [--linger BATCH:NS (0 = none, the engine default; 256:2000: batches under 256 events wait up to 2 us)] [--no-chase-pacing]");
            return 2;
        }

        OptiFlow.PerfTests.Ring.RingTestSupport.WaitStrategyName = options.Wait;
        OptiFlow.PerfTests.Ring.RingTestSupport.BatchDivisor = options.BatchDivisor;
        OptiFlow.PerfTests.Ring.RingTestSupport.LingerBatchSize = options.LingerBatchSize;
        OptiFlow.PerfTests.Ring.RingTestSupport.LingerNanoseconds = options.LingerNanoseconds;
        OptiFlow.PerfTests.Ring.RingTestSupport.NoChasePacing = options.NoChasePacing;
        OptiFlow.PerfTests.Ring.RingTestSupport.BufferSize = options.BufferSize;
        var machine = MachineInfo.Read();
        var command = "dotnet run -c Release --project perf/OptiFlow.PerfTests --" + (args.Length == 0 ? string.Empty : " " + string.Join(' ', args));
        Console.WriteLine($"machine: {machine}");
        Console.WriteLine($"command: {command}");
        Console.WriteLine($"runs: {options.Runs}, cpus: {(options.Cpus is null ? "not pinned" : CpuAffinity.FormatList(options.Cpus))}, scale: {options.Scale.ToString(CultureInfo.InvariantCulture)}, ring wait strategy: {options.Wait}, processor batch limit: {(options.BatchDivisor > 0 ? $"ring/{options.BatchDivisor}" : "none")}, processor linger (throughput tests and the ping-pong's ponger): {(options.LingerBatchSize > 0 ? $"batches under {options.LingerBatchSize} wait up to {options.LingerNanoseconds} ns" : "none")}, capacity (ring and queues): {options.BufferSize}, chase pacing: {(options.NoChasePacing ? "off" : "the engine's default")}");
        Console.WriteLine();

        var plan = new ThreadPlan(options.Cpus);
        var throughput = TestCatalog.Throughput().Where(t => Selected(options, t.Topology, t.Implementation)).Select(t => new TestResult(t)).ToList();
        foreach (var group in throughput.GroupBy(r => r.Test.Topology))
        {
            RunGroup(plan, options, [.. group]);
        }

        var latency = TestCatalog.Latency().Where(t => Selected(options, t.Topology, t.Implementation)).ToList();
        var latencyResults = new List<(ILatencyTest Test, LatencyHistogram Histogram, List<string> Failures)>();
        foreach (var test in latency)
        {
            var histogram = new LatencyHistogram($"{test.Topology}.{test.Implementation}");
            var failures = new List<string>();
            var iterations = Scaled(test.Iterations, options.Scale);
            test.Run(plan, Math.Max(1000, iterations / 10), new LatencyHistogram());
            for (var run = 0; run < options.Runs; run++)
            {
                if (test.Run(plan, iterations, histogram) is { } failure)
                {
                    failures.Add($"run {run + 1}: {failure}");
                }
            }

            latencyResults.Add((test, histogram, failures));
            Console.Error.WriteLine($"  done {histogram.Name}");
        }

        Print(throughput, latencyResults);
        if (options.JsonPath is { } path)
        {
            JsonReport.Write(path, machine, command, options, throughput, latencyResults, Baseline);
            Console.WriteLine($"json: {path}");
        }

        var failed = throughput.Sum(r => r.Failures.Count) + latencyResults.Sum(r => r.Failures.Count);
        if (failed > 0)
        {
            Console.WriteLine($"FAILED: {failed} run(s) had a wrong result");
            return 1;
        }

        return 0;

        TestResult? Baseline(TestResult ring, string implementation) =>
            throughput.FirstOrDefault(r => r.Test.Implementation == implementation && r.Test.Topology == ring.BaselineTopology);
    }

    private static bool Selected(PerfOptions options, string topology, string implementation) =>
        options.Filter is null || $"{topology}.{implementation}".Contains(options.Filter, StringComparison.OrdinalIgnoreCase);

    private static long Scaled(long events, double scale) => Math.Max(1000, (long)(events * scale));

    private static void RunGroup(ThreadPlan plan, PerfOptions options, TestResult[] group)
    {
        foreach (var result in group)
        {
            // Warm-up: tiered JIT, SpinWait calibration, first-touch of the slots. Not recorded.
            result.Test.Run(plan, Math.Max(1000, Scaled(result.Test.Events, options.Scale) / 10));
        }

        for (var run = 0; run < options.Runs; run++)
        {
            foreach (var result in group)
            {
                // Measured first: its threads and closures are not the run's, and the collections below clear them.
                var roundTrip = LineRoundTrip.MeasureNs(plan);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var gen0 = GC.CollectionCount(0);
                var gen1 = GC.CollectionCount(1);
                var gen2 = GC.CollectionCount(2);
                var stealBefore = HostSteal.ReadSeconds();
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var outcome = result.Test.Run(plan, Scaled(result.Test.Events, options.Scale));
                var wall = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                var steal = HostSteal.Percent(stealBefore, HostSteal.ReadSeconds(), wall);
                result.Gc.Add((GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2));
                if (outcome.Failure is not null)
                {
                    result.Failures.Add($"run {run + 1}: {outcome.Failure}");
                    continue;
                }

                result.OpsPerSecond.Add(outcome.OpsPerSecond);
                result.MeanBatchSizes.Add(outcome.MeanBatchSize);
                result.StealPercents.Add(steal);
                result.LineRoundTripNs.Add(roundTrip);
            }
        }

        Console.Error.WriteLine($"  done {group[0].Test.Topology}");
    }

    private static string Steal(double percent) => double.IsFinite(percent) ? percent.ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private static string RoundTrip(double ns) => double.IsFinite(ns) ? ns.ToString("F0", CultureInfo.InvariantCulture) : "n/a";

    private static void Print(List<TestResult> throughput, List<(ILatencyTest Test, LatencyHistogram Histogram, List<string> Failures)> latency)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"{"test",-42} {"min ops/s",9} {"median",9} {"max",9} {"batch",7} {"steal%",6} {"line rt",7}  {"GC0/1/2 per run",-22} {"vs Channel",10} {"vs CQueue",10}");
        foreach (var r in throughput)
        {
            var gc = string.Join(' ', r.Gc.Select(g => $"{g.Gen0}/{g.Gen1}/{g.Gen2}").Distinct());
            string Ratio(string impl)
            {
                if (r.Test.Implementation != Ring)
                {
                    return string.Empty;
                }

                var b = throughput.FirstOrDefault(x => x.Test.Implementation == impl && x.Test.Topology == r.BaselineTopology);
                return b is null ? "n/a" : $"{(r.Median / b.Median).ToString("F1", inv)}x";
            }

            var batch = r.Test.Implementation == Ring ? r.MeanBatchSize.ToString("F1", inv) : "-";
            Console.WriteLine($"{r.Name,-42} {Stats.Rate(r.Min),9} {Stats.Rate(r.Median),9} {Stats.Rate(r.Max),9} {batch,7} {Steal(r.MeanStealPercent),6} {RoundTrip(r.MedianLineRoundTripNs),7}  {gc,-22} {Ratio(Reference),10} {Ratio("ConcurrentQueue"),10}");
            foreach (var failure in r.Failures)
            {
                Console.WriteLine($"    FAILED {failure}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"latency (round trip, ns)",-42} {"p50",8} {"p90",8} {"p99",8} {"p99.9",8} {"max",10} {"count",10}");
        foreach (var (test, h, failures) in latency)
        {
            Console.WriteLine($"{h.Name,-42} {h.ValueAtPercentile(50),8} {h.ValueAtPercentile(90),8} {h.ValueAtPercentile(99),8} {h.ValueAtPercentile(99.9),8} {h.Max,10} {h.TotalCount,10}");
            foreach (var failure in failures)
            {
                Console.WriteLine($"    FAILED {failure}");
            }
        }
    }
}
