using System.Text.Json;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.PerfTests.Harness;

/// <summary>
/// Writes the results as JSON for scripts: machine, command, and per test its name, ops/s min/median/max, mean batch
/// size, the mean share of CPU time stolen by the host (<c>meanStealPercent</c>), each successful run's ops/s, mean
/// batch, steal share and the cache-line round trip measured before it (<c>perRun</c>; median in
/// <c>medianLineRoundTripNs</c>), GC counts per run, failures, and (for ring tests) its baseline's name and median
/// ops/s with the ratio (<c>baseline</c> is the bounded Channel; <c>baselines</c> lists every baseline). Latency
/// tests give percentiles in ns.
/// </summary>
internal static class JsonReport
{
    public static void Write(
        string path,
        MachineInfo machine,
        string command,
        PerfOptions options,
        List<TestResult> throughput,
        List<(ILatencyTest Test, LatencyHistogram Histogram, List<string> Failures)> latency,
        Func<TestResult, string, TestResult?> baselineOf)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("machine");
        json.WriteString("cpuModel", machine.CpuModel);
        json.WriteNumber("logicalCores", machine.LogicalCores);
        json.WriteString("allowedCpus", machine.AllowedCpus);
        json.WriteString("os", machine.Os);
        json.WriteString("runtime", machine.Runtime);
        json.WriteEndObject();
        json.WriteString("command", command);
        json.WriteNumber("runs", options.Runs);
        json.WriteNumber("bufferSize", options.BufferSize);
        json.WriteString("waitStrategy", options.Wait);
        json.WriteNumber("batchDivisor", options.BatchDivisor);
        json.WriteNumber("lingerBatchSize", options.LingerBatchSize);
        json.WriteNumber("lingerNanoseconds", options.LingerNanoseconds);
        json.WriteBoolean("chasePacing", !options.NoChasePacing);
        json.WriteString("timestampUtc", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartArray("tests");
        foreach (var r in throughput)
        {
            json.WriteStartObject();
            json.WriteString("name", r.Name);
            json.WriteString("topology", r.Test.Topology);
            json.WriteString("implementation", r.Test.Implementation);
            json.WriteStartObject("opsPerSecond");
            WriteNumber(json, "min", r.Min);
            WriteNumber(json, "median", r.Median);
            WriteNumber(json, "max", r.Max);
            json.WriteEndObject();
            WriteNumber(json, "meanBatchSize", r.MeanBatchSize);
            WriteNumber(json, "meanStealPercent", r.MeanStealPercent);
            WriteNumber(json, "medianLineRoundTripNs", r.MedianLineRoundTripNs);
            json.WriteStartArray("perRun");
            for (var i = 0; i < r.OpsPerSecond.Count; i++)
            {
                json.WriteStartObject();
                WriteNumber(json, "opsPerSecond", r.OpsPerSecond[i]);
                WriteNumber(json, "meanBatchSize", r.MeanBatchSizes[i]);
                WriteNumber(json, "stealPercent", r.StealPercents[i]);
                WriteNumber(json, "lineRoundTripNs", r.LineRoundTripNs[i]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("gcPerRun");
            foreach (var (gen0, gen1, gen2) in r.Gc)
            {
                json.WriteStartArray();
                json.WriteNumberValue(gen0);
                json.WriteNumberValue(gen1);
                json.WriteNumberValue(gen2);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("failures");
            foreach (var failure in r.Failures)
            {
                json.WriteStringValue(failure);
            }

            json.WriteEndArray();
            if (r.Test.Implementation == "Ring")
            {
                if (baselineOf(r, "Channel") is { } channel)
                {
                    json.WriteStartObject("baseline");
                    WriteBaseline(json, r, channel);
                    json.WriteEndObject();
                    WriteNumber(json, "ratio", r.Median / channel.Median);
                }

                json.WriteStartArray("baselines");
                foreach (var implementation in new[] { "Channel", "ConcurrentQueue" })
                {
                    if (baselineOf(r, implementation) is { } b)
                    {
                        json.WriteStartObject();
                        WriteBaseline(json, r, b);
                        WriteNumber(json, "ratio", r.Median / b.Median);
                        json.WriteEndObject();
                    }
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("latency");
        foreach (var (test, h, failures) in latency)
        {
            json.WriteStartObject();
            json.WriteString("name", h.Name);
            json.WriteNumber("count", h.TotalCount);
            json.WriteStartObject("roundTripNs");
            json.WriteNumber("p50", h.ValueAtPercentile(50));
            json.WriteNumber("p90", h.ValueAtPercentile(90));
            json.WriteNumber("p99", h.ValueAtPercentile(99));
            json.WriteNumber("p99_9", h.ValueAtPercentile(99.9));
            json.WriteNumber("max", h.Max);
            json.WriteNumber("mean", h.Mean);
            json.WriteEndObject();
            json.WriteNumber("failures", failures.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteBaseline(Utf8JsonWriter json, TestResult ring, TestResult baseline)
    {
        json.WriteString("name", baseline.Name);
        WriteNumber(json, "opsPerSecondMedian", baseline.Median);
        _ = ring;
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
