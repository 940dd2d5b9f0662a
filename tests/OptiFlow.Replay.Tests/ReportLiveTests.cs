using System.Text.Json;
using HdrHistogram;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting.Reports;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <c>optiflow run --venue sim … --report DIR</c>: a live run against the loopback simulator (the demo recording paced at
/// 20 ×, about 5 s) writes the same report as a file run: report.json with the live endpoints, latency/*.hgrm,
/// latency.hlog with an interval per second per stage adding up to each stage's count, and report.html with the
/// journal's signals.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReportLiveTests
{
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(120);

    private TempDirectory _temp = null!;
    private string _report = null!;
    private int _exit;
    private string _output = "";
    private string _error = "";
    private string _endpoint = "";

    [OneTimeSetUp]
    public async Task RunLiveWithReport()
    {
        _temp = new TempDirectory("report-live");
        _report = Path.Combine(_temp.Path, "report");
        await using var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [OptiFlowCommand.DemoRecording],
            Market = Market.Futures,
            Pace = SimulatorPace.Times(20),
        });
        await simulator.StartAsync();
        _endpoint = simulator.StreamBaseAddress.ToString();
        var (output, error) = (new StringWriter(), new StringWriter());
        string[] args = ["run", "--venue", "sim", "--endpoint", _endpoint, "--symbols", "btcusdt", "--journal", Path.Combine(_temp.Path, "journal"), "--report", _report];
        var run = Task.Run(() => OptiFlowCommand.Run(args, output, error));
        if (await Task.WhenAny(run, Task.Delay(RunBound)) != run)
        {
            Assert.Fail($"optiflow run --venue sim --report did not finish within {RunBound.TotalSeconds:0} s; output so far:\n{output}\n{error}");
        }

        _exit = await run;
        _output = output.ToString();
        _error = error.ToString();
    }

    [OneTimeTearDown]
    public void RemoveTemp() => _temp.Dispose();

    [Test]
    public void ShouldWriteTheReport_WhenALiveRunHasReport()
    {
        // Arrange
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_report, SessionReport.FileName)));
        var root = json.RootElement;

        // Act
        var latency = root.GetProperty("latency");
        var frames = root.GetProperty("counts").GetProperty("frames").GetInt64();

        // Assert
        Assert.That(_exit, Is.EqualTo(OptiFlowCommand.Success), _output + _error);
        Assert.That(_output, Does.Contain($"report: {Path.Combine(_report, SessionReport.FileName)}"));
        Assert.That(root.GetProperty("command").GetString(), Is.EqualTo("run"));
        Assert.That(root.GetProperty("inputs").GetArrayLength(), Is.Zero, "no files");
        Assert.That(root.GetProperty("live").GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()), Has.Some.StartsWith(_endpoint.TrimEnd('/')));
        Assert.That(root.GetProperty("threads").GetProperty("core_wait_strategy").GetString(), Is.EqualTo("blocking"), "a live run's default");
        Assert.That(frames, Is.Positive);
        Assert.That(root.GetProperty("replay").GetProperty("verdict").GetString(), Is.EqualTo("identical"));
        Assert.That(root.GetProperty("books")[0].GetProperty("state").GetString(), Is.EqualTo("live"));
        Assert.That(latency.GetProperty(ReportStage.FrameToPublished).GetProperty("count").GetInt64(), Is.EqualTo(frames), "one per frame, over the connections");
        Assert.That(latency.GetProperty(ReportStage.CoreHandling).GetProperty("count").GetInt64(), Is.Positive);
        Assert.That(File.Exists(Path.Combine(_report, SessionReport.LatencyFolder, ReportStage.CoreHandling + ".hgrm")));
    }

    [Test]
    public void ShouldWriteAnIntervalPerSecondAddingUpToEachStage_WhenALiveRunHasReport()
    {
        // Arrange
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_report, SessionReport.FileName)));
        var latency = json.RootElement.GetProperty("latency");

        // Act
        List<HistogramBase> intervals;
        using (var stream = File.OpenRead(Path.Combine(_report, LatencyIntervalRecorder.FileName)))
        using (var reader = new HistogramLogReader(stream))
        {
            intervals = [.. reader.ReadHistograms()];
        }

        // Assert
        var stages = latency.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(intervals.Select(h => h.Tag).Distinct(), Is.EqualTo(stages));
        foreach (var stage in stages)
        {
            var mine = intervals.Where(h => h.Tag == stage).ToList();
            Assert.That(mine, Has.Count.GreaterThanOrEqualTo(2), $"{stage}: the simulator paces the 100 s recording at 20 ×, so the run lasts over 1 s");
            Assert.That(mine.Sum(h => h.TotalCount), Is.EqualTo(latency.GetProperty(stage).GetProperty("count").GetInt64()), $"{stage}: the intervals add up to the stage's count");
        }
    }

    [Test]
    public void ShouldExitTwoBeforeConnecting_WhenTheLiveReportIsAFile()
    {
        // Arrange
        var file = Path.Combine(_temp.Path, "a-file");
        File.WriteAllText(file, "x");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--venue", "sim", "--endpoint", "ws://127.0.0.1:9", "--symbols", "btcusdt", "--report", file], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), output.ToString() + error);
        Assert.That(error.ToString(), Does.Contain("--report").And.Contain("is a file"));
        Assert.That(output.ToString(), Does.Not.Contain("streams:"), "refused before the session started");
    }

    [Test]
    public void ShouldPlotTheJournalsSignals_WhenALiveRunHasReport()
    {
        // Arrange
        var html = File.ReadAllText(Path.Combine(_report, SessionReport.PageFileName));

        // Act
        var hasSignals = html.Contains("id=\"signals-BTCUSDT-mid\"", StringComparison.Ordinal);

        // Assert
        Assert.That(hasSignals, "mid, spread and OBI from the live run's journal");
        Assert.That(html, Does.Contain("id=\"over-time-" + ReportStage.FrameToPublished + "\""));
        Assert.That(html, Does.Not.Contain("id=\"no-journal\""));
    }
}
