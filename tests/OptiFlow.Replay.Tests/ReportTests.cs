using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrHistogram;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting.Reports;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary><c>--report DIR</c> (report.json and latency/*.hgrm) and <c>optiflow report compare</c>, on the demo recording.</summary>
[TestFixture]
public sealed class ReportTests
{
    /// <summary>The demo trades (the OBI maker on the paper venue): the market-data stages, then tick-to-order and its stages.</summary>
    private static readonly string[] Stages =
    [
        ReportStage.FrameToPublished, ReportStage.PublishedToCore, ReportStage.FrameToCore, ReportStage.CoreHandling, ReportStage.FeedLatency,
        "tick_to_order", "order_decision", "order_risk", "order_encode_sign", "order_send",
    ];

    private TempDirectory _temp = null!;
    private string _report = null!;
    private string _journal = null!;
    private string _runOutput = null!;

    [OneTimeSetUp]
    public void RunDemoWithReport()
    {
        _temp = new TempDirectory("report");
        _report = Path.Combine(_temp.Path, "demo-report");
        _journal = Path.Combine(_temp.Path, "journal");
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = OptiFlowCommand.Run(["demo", "--journal", _journal, "--report", _report], output, error);
        _runOutput = output.ToString();
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
    }

    [OneTimeTearDown]
    public void RemoveTemp() => _temp.Dispose();

    [Test]
    public void ShouldWriteMetadataCountsDigestsAndVerdict_WhenDemoRunsWithReport()
    {
        // Arrange
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_report, SessionReport.FileName)));
        var root = json.RootElement;

        // Act
        var counts = root.GetProperty("counts");
        var digests = root.GetProperty("digests");

        // Assert
        Assert.That(_runOutput, Does.Contain($"report: {Path.Combine(_report, SessionReport.FileName)}"));
        Assert.That(root.GetProperty("format").GetString(), Is.EqualTo(SessionReport.Format));
        Assert.That(root.GetProperty("version").GetInt32(), Is.EqualTo(SessionReport.Version));
        Assert.That(root.GetProperty("command").GetString(), Is.EqualTo("demo"));
        Assert.That(root.GetProperty("engine").GetProperty("version").GetString(), Is.Not.Empty);
        Assert.That(root.GetProperty("engine").GetProperty("commit").GetString(), Is.Not.Empty);
        var machine = root.GetProperty("machine");
        Assert.That(machine.GetProperty("cpu_model").GetString(), Is.Not.Empty);
        Assert.That(machine.GetProperty("kernel").GetString(), Is.Not.Empty);
        Assert.That(machine.GetProperty("logical_cpus").GetInt32(), Is.EqualTo(Environment.ProcessorCount));
        Assert.That(machine.GetProperty("process_cpus").GetString(), Is.Not.Empty);
        var threads = root.GetProperty("threads");
        Assert.That(threads.GetProperty("core_cpu").ValueKind, Is.EqualTo(JsonValueKind.Null), "not pinned");
        Assert.That(threads.GetProperty("core_wait_strategy").GetString(), Is.EqualTo("yielding"));
        Assert.That(threads.GetProperty("journal_wait_strategy").GetString(), Is.EqualTo("yielding"));
        Assert.That(threads.GetProperty("outbound_wait_strategy").GetString(), Is.EqualTo("yielding"));
        Assert.That(threads.GetProperty("journal_cpu").ValueKind, Is.EqualTo(JsonValueKind.Null), "not pinned");
        Assert.That(threads.GetProperty("outbound_cpu").ValueKind, Is.EqualTo(JsonValueKind.Null), "not pinned");
        Assert.That(threads.GetProperty("gateway_cpu").ValueKind, Is.EqualTo(JsonValueKind.Null), "the demo's paper gateway, not pinned");
        Assert.That(threads.GetProperty("gateway_wait_strategy").GetString(), Is.EqualTo("yielding"));
        var gc = root.GetProperty("gc");
        Assert.That(gc.GetProperty("server").GetBoolean(), Is.EqualTo(System.Runtime.GCSettings.IsServerGC));
        Assert.That(gc.GetProperty("latency_mode").GetString(), Is.Not.Empty);
        Assert.That(gc.GetProperty("concurrent").ValueKind, Is.EqualTo(JsonValueKind.False).Or.EqualTo(JsonValueKind.True));
        Assert.That(gc.GetProperty("settings").EnumerateObject().Select(p => p.Name), Does.Contain("ServerGC"), "GC.GetConfigurationVariables");
        Assert.That(root.GetProperty("live").ValueKind, Is.EqualTo(JsonValueKind.Null), "a file run");
        var input = root.GetProperty("inputs")[0];
        Assert.That(input.GetProperty("path").GetString(), Is.EqualTo(Path.GetFullPath(OptiFlowCommand.DemoRecording)));
        Assert.That(input.GetProperty("bytes").GetInt64(), Is.EqualTo(new FileInfo(OptiFlowCommand.DemoRecording).Length));

        // The counts are the run's own: the same numbers the terminal report printed.
        Assert.That(counts.GetProperty("frames").GetInt64(), Is.EqualTo(PrintedCount("frames read")));
        Assert.That(counts.GetProperty("events_by_kind").GetProperty("book_ticker").GetInt64(), Is.EqualTo(PrintedCount("bookTicker")));
        Assert.That(counts.GetProperty("depth_updates").GetInt64(), Is.EqualTo(PrintedCount("depthUpdate")));
        Assert.That(counts.GetProperty("snapshots").GetInt64(), Is.EqualTo(PrintedCount("depth snapshot")));
        Assert.That(counts.GetProperty("events_by_kind").GetProperty("trade").GetInt64(), Is.EqualTo(PrintedCount("trade")));
        Assert.That(counts.GetProperty("decode_errors").GetProperty("total").GetInt64(), Is.EqualTo(PrintedCount("decode errors")).And.Zero);
        Assert.That(counts.GetProperty("decode_errors").GetProperty("by_code").EnumerateObject().Count(), Is.Zero);
        Assert.That(counts.GetProperty("gaps").GetInt64(), Is.Zero);
        Assert.That(counts.GetProperty("resyncs").GetInt64(), Is.Zero);
        Assert.That(counts.GetProperty("depth_updates").GetInt64(), Is.EqualTo(4322), "every diff of the demo");
        var framesByType = counts.GetProperty("frames_by_type");
        Assert.That(framesByType.GetProperty("book_ticker").GetInt64(), Is.EqualTo(PrintedCount("bookTicker")));
        Assert.That(framesByType.GetProperty("depth_update").GetInt64(), Is.EqualTo(PrintedCount("depthUpdate")));
        Assert.That(framesByType.GetProperty("depth_snapshot").GetInt64(), Is.EqualTo(PrintedCount("depth snapshot")));
        Assert.That(framesByType.GetProperty("trade").GetInt64(), Is.EqualTo(PrintedCount("trade")));
        Assert.That(framesByType.GetProperty("agg_trade").GetInt64(), Is.EqualTo(PrintedCount("aggTrade")));
        Assert.That(framesByType.EnumerateObject().Sum(p => p.Value.GetInt64()), Is.EqualTo(counts.GetProperty("frames").GetInt64()), "every frame has a type");

        var book = root.GetProperty("books")[0];
        Assert.That(book.GetProperty("symbol").GetString(), Is.EqualTo("BTCUSDT"));
        Assert.That(book.GetProperty("best_bid").GetString(), Is.EqualTo("28155.1"));
        Assert.That(book.GetProperty("best_ask").GetString(), Is.EqualTo("28155.2"));
        Assert.That(book.GetProperty("last_update_id").GetInt64(), Is.EqualTo(2710249412032));

        Assert.That(_runOutput, Does.Contain($"books crc32c {digests.GetProperty("books").GetString()}"));
        Assert.That(_runOutput, Does.Contain($"(crc32c {digests.GetProperty("signals").GetString()})"));
        Assert.That(digests.GetProperty("signal_count").GetInt64(), Is.EqualTo(4322));
        Assert.That(root.GetProperty("replay").GetProperty("verdict").GetString(), Is.EqualTo("identical"));
        Assert.That(root.GetProperty("replay").GetProperty("differences").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void ShouldWritePlausibleLatencyPerStage_WhenDemoRunsWithReport()
    {
        // Arrange
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_report, SessionReport.FileName)));
        var counts = json.RootElement.GetProperty("counts");
        var latency = json.RootElement.GetProperty("latency");

        // Act
        var keys = latency.EnumerateObject().Select(p => p.Name).ToList();

        // Assert
        Assert.That(keys, Is.EqualTo(Stages));
        Assert.That(latency.GetProperty(ReportStage.FrameToPublished).GetProperty("count").GetInt64(), Is.EqualTo(counts.GetProperty("frames").GetInt64()), "one per frame");
        Assert.That(latency.GetProperty(ReportStage.CoreHandling).GetProperty("count").GetInt64(), Is.EqualTo(counts.GetProperty("events").GetInt64()), "one per event");
        Assert.That(latency.GetProperty(ReportStage.PublishedToCore).GetProperty("count").GetInt64(), Is.EqualTo(counts.GetProperty("events").GetInt64()));
        Assert.That(latency.GetProperty(ReportStage.FeedLatency).GetProperty("count").GetInt64(), Is.EqualTo(counts.GetProperty("frames").GetInt64() - 1), "every stream frame of the demo (all but its one REST snapshot) carries E");
        Assert.That(json.RootElement.GetProperty("feed_clock").GetProperty("negative_samples").GetInt64(), Is.EqualTo(latency.GetProperty(ReportStage.FeedLatency).GetProperty("negative_samples").GetInt64()));
        var trading = json.RootElement.GetProperty("trading");
        Assert.That(trading.GetProperty("venue").GetString(), Is.EqualTo("paper"));
        Assert.That(trading.GetProperty("sent").GetInt64(), Is.Positive);
        Assert.That(latency.GetProperty("tick_to_order").GetProperty("count").GetInt64(), Is.EqualTo(trading.GetProperty("sent").GetInt64() - trading.GetProperty("gateway_sent").GetInt64()), "one tick-to-order sample per order the core decided (the gateway's own stop cancels have no tick)");
        foreach (var key in Stages)
        {
            var stage = latency.GetProperty(key);
            var values = new[] { "min", "p50", "p90", "p99", "p99_9", "max" }.Select(k => stage.GetProperty(k).GetInt64()).ToArray();
            Assert.That(stage.GetProperty("count").GetInt64(), Is.Positive, key);
            Assert.That(values, Is.Ordered, $"{key}: min <= p50 <= p90 <= p99 <= p99.9 <= max");
            Assert.That(values[0], key == ReportStage.FeedLatency ? Is.Not.Negative : Is.Positive, key);
            Assert.That(stage.GetProperty("mean").GetDouble(), Is.InRange(values[0], values[^1]), key);
        }
    }

    [Test]
    public void ShouldWriteHgrmMatchingTheReport_WhenDemoRunsWithReport()
    {
        // Arrange
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_report, SessionReport.FileName)));
        var latency = json.RootElement.GetProperty("latency");

        foreach (var key in Stages)
        {
            // Act
            var (lines, totalCount, maxUs) = ReadHgrm(Path.Combine(_report, SessionReport.LatencyFolder, key + ".hgrm"));
            var stage = latency.GetProperty(key);

            // Assert
            Assert.That(totalCount, Is.EqualTo(stage.GetProperty("count").GetInt64()), key);
            Assert.That(lines[^1].Percentile, Is.EqualTo(1.0), key);
            Assert.That(lines.Select(l => l.ValueUs), Is.Ordered, key);
            Assert.That(maxUs * 1000, Is.EqualTo((double)stage.GetProperty("max").GetInt64()).Within(Tolerance(stage.GetProperty("max").GetInt64())), $"{key} max");
            foreach (var (name, percentile) in SessionReport.Percentiles)
            {
                // HdrHistogram rounds a percentile's count to nearest where ours takes the ceiling, and reports its own
                // bucket's top: the .hgrm value at the percentile's line lies between its neighbours' values, within precision.
                var p = percentile / 100;
                var at = lines.FindIndex(l => l.Percentile >= p - 1e-9);
                Assert.That(at, Is.GreaterThanOrEqualTo(0), $"{key}: a line at {percentile}");
                var low = lines[Math.Max(0, at - 1)].ValueUs * 1000;
                var high = lines[Math.Min(lines.Count - 1, at + 1)].ValueUs * 1000;
                var reported = stage.GetProperty(name).GetInt64();
                Assert.That(reported, Is.InRange(low - Tolerance(low), high + Tolerance(high)), $"{key} {name}: report {reported} ns vs .hgrm {lines[at].ValueUs} µs");
            }
        }
    }

    [Test]
    public void ShouldWriteAnIntervalLogMatchingTheReport_WhenDemoRunsWithReport()
    {
        // Arrange
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_report, SessionReport.FileName)));
        var latency = json.RootElement.GetProperty("latency");
        var path = Path.Combine(_report, LatencyIntervalRecorder.FileName);

        // Act: read back with the HdrHistogram package's own reader.
        List<HistogramBase> intervals;
        using (var stream = File.OpenRead(path))
        using (var reader = new HistogramLogReader(stream))
        {
            intervals = [.. reader.ReadHistograms()];
        }

        var byStage = intervals.GroupBy(h => h.Tag).ToDictionary(g => g.Key!, g => g.ToList());

        // Assert
        Assert.That(_runOutput, Does.Contain(path), "the run names the log");
        Assert.That(File.ReadLines(path).Take(8).ToList(), Has.Some.Contains("Values are recorded in ns").And.Some.StartWith("#[Histogram log format version"));
        Assert.That(intervals.Select(h => h.Tag).Distinct(), Is.EqualTo(Stages), "one tag per stage, in report order");
        foreach (var key in Stages)
        {
            var stage = latency.GetProperty(key);
            var list = byStage[key];
            Assert.That(list, Is.Not.Empty, $"{key}: at least one interval, however short the run");
            Assert.That(list.Sum(h => h.TotalCount), Is.EqualTo(stage.GetProperty("count").GetInt64()), $"{key}: the intervals add up to the stage's count");
            for (var i = 1; i < list.Count; i++)
            {
                // The log holds seconds with 3 decimals and the reader truncates start + length back to ms: 1 ms of rounding.
                Assert.That(list[i].StartTimeStamp, Is.EqualTo(list[i - 1].EndTimeStamp).Within(1), $"{key}: interval {i} starts where {i - 1} ended");
            }

            var merged = new LongHistogram(LatencyIntervalRecorder.HighestTrackableValueNs, LatencyIntervalRecorder.SignificantDigits);
            foreach (var interval in list)
            {
                merged.Add(interval);
            }

            var max = stage.GetProperty("max").GetInt64();
            Assert.That(merged.GetMaxValue(), Is.EqualTo(max).Within((long)IntervalTolerance(max)), $"{key} max");
            foreach (var (name, percentile) in SessionReport.Percentiles)
            {
                var reported = stage.GetProperty(name).GetInt64();
                Assert.That(ValueAtRank(merged, percentile), Is.EqualTo(reported).Within((long)IntervalTolerance(reported)), $"{key} {name}");
            }
        }
    }

    [Test]
    public void ShouldWriteTheHtmlPage_WhenDemoRunsWithReport()
    {
        // Arrange
        var path = Path.Combine(_report, SessionReport.PageFileName);

        // Act
        var html = File.ReadAllText(path);

        // Assert (ReportHtmlTests opens it in a browser)
        Assert.That(_runOutput, Does.Contain(path));
        Assert.That(html, Does.StartWith("<!DOCTYPE html>").And.Contain(SessionReport.PageContentSecurityPolicy));
        Assert.That(html, Does.Contain("id=\"percentiles\"").And.Contain("id=\"counts\"").And.Contain("id=\"signals-BTCUSDT-obi\""));
    }

    [Test]
    public void ShouldRoundTripThroughHdrHistogramLog_WhenExported()
    {
        // Arrange
        var histogram = new LatencyHistogram("test");
        var random = new Random(19);
        for (var i = 0; i < 50_000; i++)
        {
            histogram.Record((long)Math.Exp(random.NextDouble() * 16));
        }

        // Act
        var export = HdrHistogramExport.ToLongHistogram(histogram);
        using var stream = new MemoryStream();
        using (var writer = new HistogramLogWriter(stream))
        {
            writer.Write(DateTime.UnixEpoch, export);
        }

        stream.Position = 0;
        using var reader = new HistogramLogReader(stream);
        var read = reader.ReadHistograms().Single();

        // Assert
        Assert.That(read.TotalCount, Is.EqualTo(histogram.TotalCount));
        Assert.That(export.TotalCount, Is.EqualTo(histogram.TotalCount));
        foreach (var percentile in new[] { 1.0, 10, 50, 90, 99, 99.9, 99.99, 100 })
        {
            var ours = histogram.ValueAtPercentile(percentile);
            Assert.That(read.GetValueAtPercentile(percentile), Is.EqualTo(export.GetValueAtPercentile(percentile)), $"p{percentile} survives the log");
            Assert.That(read.GetValueAtPercentile(percentile), Is.EqualTo(ours).Within((long)Tolerance(ours)), $"p{percentile}");
        }
    }

    [Test]
    public void ShouldWriteReplayReportWithTheSameDigests_WhenReplayingWithReport()
    {
        // Arrange
        var replayReport = Path.Combine(_temp.Path, "replay-report");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["replay", _journal, "--report", replayReport], output, error);
        var compareExit = OptiFlowCommand.Run(["report", "compare", _report, replayReport], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(replayReport, SessionReport.FileName)));
        var root = json.RootElement;
        Assert.That(root.GetProperty("command").GetString(), Is.EqualTo("replay"));
        Assert.That(root.GetProperty("replay").GetProperty("verdict").GetString(), Is.EqualTo("identical"));
        Assert.That(root.GetProperty("counts").GetProperty("depth_updates").GetInt64(), Is.EqualTo(4322));
        Assert.That(root.GetProperty("inputs").GetArrayLength(), Is.Positive, "the journal's files");
        using (var stream = File.OpenRead(Path.Combine(replayReport, LatencyIntervalRecorder.FileName)))
        using (var reader = new HistogramLogReader(stream))
        {
            Assert.That(reader.ReadHistograms().Select(h => h.Tag), Is.EqualTo(root.GetProperty("latency").EnumerateObject().Select(p => p.Name)), "a replay's log: one whole-replay interval per stage");
        }

        Assert.That(File.ReadAllText(Path.Combine(replayReport, SessionReport.PageFileName)), Does.Contain("id=\"signals-BTCUSDT-mid\""), "the replayed journal's signals");
        Assert.That(compareExit, Is.EqualTo(OptiFlowCommand.Success), output.ToString() + error);
    }

    [Test]
    public void ShouldExitZero_WhenComparingAReportWithItself()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["report", "compare", _report, Path.Combine(_report, SessionReport.FileName)], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output.ToString() + error);
        Assert.That(output.ToString(), Does.Contain("verdict: OK"));
        foreach (var stage in Stages)
        {
            Assert.That(output.ToString(), Does.Contain(stage));
        }
    }

    [Test]
    public void ShouldExitOneAndNameTheStage_WhenAP99Doubled()
    {
        // Arrange
        var copy = Modified("slower.json", root =>
        {
            var stage = root["latency"]![ReportStage.CoreHandling]!;
            stage["p99"] = stage["p99"]!.GetValue<long>() * 2;
        });
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["report", "compare", _report, copy, "--max-regression", "10%", "--percentiles", "50,99,99.9"], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors), output.ToString() + error);
        Assert.That(output.ToString(), Does.Contain($"REGRESSED beyond 10%: {ReportStage.CoreHandling} p99"));
        Assert.That(output.ToString(), Does.Not.Contain(ReportStage.FrameToCore + " p99"));
    }

    [Test]
    public void ShouldExitZero_WhenTheIncreaseIsWithinTheThreshold()
    {
        // Arrange
        var copy = Modified("doubled-allowed.json", root =>
        {
            var stage = root["latency"]![ReportStage.CoreHandling]!;
            stage["p99"] = stage["p99"]!.GetValue<long>() * 2;
        });
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["report", "compare", _report, copy, "--max-regression", "150%"], output, error);
        var notChosen = OptiFlowCommand.Run(["report", "compare", _report, copy, "--percentiles", "50"], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output.ToString() + error);
        Assert.That(notChosen, Is.EqualTo(OptiFlowCommand.Success), "p99 was not chosen");
    }

    [Test]
    public void ShouldExitOneAndSaySo_WhenTheBooksDigestDiffers()
    {
        // Arrange
        var copy = Modified("other-books.json", root => root["digests"]!["books"] = "00000000");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["report", "compare", _report, copy], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors), output.ToString() + error);
        Assert.That(output.ToString(), Does.Contain("books digest differs"));
        Assert.That(output.ToString(), Does.Contain("OUTPUT DIFFERS"));
    }

    [TestCase("--max-regression", "abc")]
    [TestCase("--max-regression", "-5%")]
    [TestCase("--percentiles", "42")]
    [TestCase("--percentiles", "x")]
    public void ShouldExitTwo_WhenAnOptionIsBad(string option, string value)
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["report", "compare", _report, _report, option, value], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(error.ToString(), Does.Contain(option));
    }

    [Test]
    public void ShouldExitTwo_WhenAReportIsMissingOrNotAReport()
    {
        // Arrange
        var notAReport = Path.Combine(_temp.Path, "not-a-report.json");
        File.WriteAllText(notAReport, "{\"hello\": 1}");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var missing = OptiFlowCommand.Run(["report", "compare", _report, Path.Combine(_temp.Path, "nowhere")], output, error);
        var wrong = OptiFlowCommand.Run(["report", "compare", notAReport, _report], output, error);
        var noArguments = OptiFlowCommand.Run(["report", "compare"], output, error);
        var reportIsAFile = OptiFlowCommand.Run(["demo", "--report", notAReport], output, error);

        // Assert
        Assert.That(missing, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(wrong, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(noArguments, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(reportIsAFile, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(error.ToString(), Does.Contain("not an OptiFlow report"));
        Assert.That(error.ToString(), Does.Contain("no report at"));
    }

    /// <summary>The value at <paramref name="percentile"/> by our rule (the ceiling of the rank; HdrHistogram rounds it), HdrHistogram's highest equivalent value of that bucket.</summary>
    private static long ValueAtRank(HistogramBase histogram, double percentile)
    {
        var target = Math.Max(1, (long)Math.Ceiling(percentile / 100 * histogram.TotalCount));
        foreach (var value in histogram.RecordedValues())
        {
            if (value.TotalCountToThisValue >= target)
            {
                return histogram.HighestEquivalentValue(value.ValueIteratedTo);
            }
        }

        return histogram.GetMaxValue();
    }

    /// <summary>Our buckets are within 1/64 of a value, the interval log's (2 digits: 128 sub-buckets per power of two) within 1/128.</summary>
    private static double IntervalTolerance(double valueNs) => (valueNs * (1.0 / 64 + 1.0 / 128)) + 1;

    /// <summary>Our buckets are within 1/64 of a value, HdrHistogram's (3 digits) within 1/1024; plus 1 ns of µs rounding.</summary>
    private static double Tolerance(double valueNs) => (valueNs * (1.0 / 64 + 1.0 / 1024)) + 1;

    private long PrintedCount(string label)
    {
        var line = _runOutput.Split('\n').First(l => l.TrimStart().StartsWith(label + " ", StringComparison.Ordinal));
        var number = line.Trim()[label.Length..].Trim().Split(' ')[0];
        return long.Parse(number, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private string Modified(string name, Action<JsonNode> change)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(_report, SessionReport.FileName)))!;
        change(root);
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    /// <summary>Parses HdrHistogram's percentile text: "Value Percentile TotalCount 1/(1-Percentile)" rows and the "#[Max = …, Total count = …]" footer.</summary>
    private static (List<(double ValueUs, double Percentile, long Count)> Lines, long TotalCount, double MaxUs) ReadHgrm(string path)
    {
        var lines = new List<(double, double, long)>();
        long total = -1;
        double max = -1;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith("#[Max", StringComparison.Ordinal))
            {
                var parts = line.Trim('#', '[', ']').Split(',');
                max = double.Parse(parts[0].Split('=')[1], CultureInfo.InvariantCulture);
                total = long.Parse(parts[1].Split('=')[1], CultureInfo.InvariantCulture);
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percentile))
            {
                lines.Add((value, percentile, long.Parse(fields[2], CultureInfo.InvariantCulture)));
            }
        }

        Assert.That(lines, Is.Not.Empty, path);
        Assert.That(total, Is.GreaterThanOrEqualTo(0), $"{path}: footer");
        return (lines, total, max);
    }
}
