using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using OptiFlow.Engine.Telemetry;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Telemetry;

/// <summary>
/// Recording speed of the engine's own <see cref="LatencyHistogram"/> against HdrHistogram's <see cref="LongHistogram"/>
/// (3 significant digits, 1 ns to 1 h), on the calling thread, over the same precomputed latency values:
/// <code>
///  long[] values (log-normal: 99 % around 2 µs, 1 % around 50 µs; seeded) ─► for each: histogram.Record(value)
///                                              └── LatencyHistogram.Record │ LongHistogram.RecordValue (interleaved runs)
/// </code>
/// One warm-up pass of each, then <c>--runs</c> measured passes of each, interleaved (ours, theirs; then theirs, ours on
/// the next run, so neither always goes first). A pass times the whole loop with the monotonic clock: ns per record =
/// elapsed / values (the array read is included for both). Reported: each one's median over runs, and the ratio of the
/// medians. Each pass is checked: the total count, and the p99 of both within their precision; the bytes allocated on
/// the thread and the GC count over the passes are printed.
/// </summary>
internal static class HistogramRecordingBenchmark
{
    private const long HighestTrackableNs = 3_600_000_000_000;

    public static int Run(string[] args)
    {
        var count = 4_000_000;
        var runs = 9;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--values": count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: histogram-recording [--values N] [--runs N]");
                    return 2;
            }
        }

        if (runs < 1 || count < 1)
        {
            Console.Error.WriteLine("--runs and --values must be at least 1");
            return 2;
        }

        Console.WriteLine($"machine: {MachineInfo.Read()}");
        Console.WriteLine($"histogram-recording: {count:N0} values per pass, {runs} measured passes each (interleaved), 1 warm-up pass each");
        var values = Values(count);
        var ours = new LatencyHistogram("ours");
        var theirs = new LongHistogram(HighestTrackableNs, 3);
        var oursNs = new List<double>();
        var theirsNs = new List<double>();
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        long allocated = 0;
        for (var run = -1; run < runs; run++)
        {
            double a, b;
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            if (run % 2 == 0)
            {
                a = Pass(values, ours);
                b = Pass(values, theirs);
            }
            else
            {
                b = Pass(values, theirs);
                a = Pass(values, ours);
            }

            allocated += run < 0 ? 0 : GC.GetAllocatedBytesForCurrentThread() - allocatedBefore; // the warm-up pass JITs
            Check(ours, theirs, count);
            if (run < 0)
            {
                continue;
            }

            oursNs.Add(a);
            theirsNs.Add(b);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run + 1}: LatencyHistogram {a,6:F2} ns/record   LongHistogram {b,6:F2} ns/record"));
        }

        var collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore;
        var (mine, other) = (Stats.Median(oursNs), Stats.Median(theirsNs));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LatencyHistogram.Record: median {mine:F2} ns/record (runs {oursNs.Min():F2}-{oursNs.Max():F2})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LongHistogram.RecordValue: median {other:F2} ns/record (runs {theirsNs.Min():F2}-{theirsNs.Max():F2})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio LongHistogram / LatencyHistogram: {other / mine:F2}; allocated on this thread by the measured passes: {allocated} B; GCs: {collections}"));
        return 0;
    }

    private static double Pass(long[] values, LatencyHistogram histogram)
    {
        histogram.Reset();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Record(values[i]);
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / values.Length;
    }

    private static double Pass(long[] values, LongHistogram histogram)
    {
        histogram.Reset();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < values.Length; i++)
        {
            histogram.RecordValue(values[i]);
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / values.Length;
    }

    /// <summary>Both hold every value, and agree on the p99 within their precision (1/64 and 1/1000).</summary>
    private static void Check(LatencyHistogram ours, LongHistogram theirs, int count)
    {
        var (p99Ours, p99Theirs) = (ours.ValueAtPercentile(99), theirs.GetValueAtPercentile(99));
        if (ours.TotalCount != count || theirs.TotalCount != count || Math.Abs(p99Ours - p99Theirs) > (p99Ours / 50) + 1)
        {
            throw new InvalidOperationException($"histograms disagree: counts {ours.TotalCount} and {theirs.TotalCount} of {count}, p99 {p99Ours} and {p99Theirs} ns");
        }
    }

    /// <summary>Latencies as a pipeline stage sees them: 99 % log-normal around 2 µs (σ 0.6), 1 % around 50 µs (σ 1), seeded.</summary>
    private static long[] Values(int count)
    {
        var random = new Random(19);
        var values = new long[count];
        for (var i = 0; i < count; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var (median, sigma) = random.NextDouble() < 0.99 ? (2_000.0, 0.6) : (50_000.0, 1.0);
            values[i] = Math.Min(HighestTrackableNs, (long)(median * Math.Exp(sigma * normal)));
        }

        return values;
    }
}
