using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Cli;
using OptiFlow.Engine.Model;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests.Operations;

/// <summary>
/// A live run against the loopback simulator with <c>--status-interval 1</c> and <c>--metrics-port</c>: its status lines
/// (frames/s, ring backlog, each book's state) on standard error, and its Prometheus endpoint scraped over HTTP while it
/// runs (the metric names, and values that agree with the run's own report).
/// </summary>
/// <remarks>One live run (one-time set-up) serves every test here.</remarks>
[TestFixture]
[NonParallelizable]
public sealed class LiveOperationsTests
{
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ScrapeBound = TimeSpan.FromSeconds(30);

    private TempDirectory _directory = null!;
    private int _exit;
    private string _output = "";
    private string _error = "";
    private string _scrape = "";
    private int _port;

    [OneTimeSetUp]
    public async Task RunLiveWithStatusAndMetrics()
    {
        _directory = new TempDirectory("live-ops");
        // x10: about 10 s of data, long enough for several status lines and a scrape while the run goes on.
        await using var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [DemoRecording.Path],
            Market = Market.Futures,
            Pace = SimulatorPace.Times(10),
        });
        await simulator.StartAsync();
        _port = RawLoopbackServer.ClosedPort();
        var (output, error) = (new StringWriter(), new StringWriter());
        string[] args =
        [
            "run", "--venue", "sim", "--endpoint", simulator.StreamBaseAddress.ToString(), "--symbols", "btcusdt",
            "--journal", _directory.File("journal"), "--status-interval", "1", "--metrics-port", _port.ToString(CultureInfo.InvariantCulture),
        ];
        var run = Task.Run(() => OptiFlowCommand.Run(args, output, error));

        // Scrape while it runs: until the book is synced and frames have arrived (bounded), or the run has ended.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + ScrapeBound;
        while (DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            try
            {
                var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_port}/metrics"));
                _scrape = text;
                if (Value(text, "optiflow_book_state{symbol=\"BTCUSDT\",state=\"synced\"}") == 1 && Value(text, "optiflow_frames_read_total") > 0)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        if (await Task.WhenAny(run, Task.Delay(RunBound)) != run)
        {
            Assert.Fail($"the live run did not finish within {RunBound.TotalSeconds:0} s");
        }

        _exit = await run;
        _output = output.ToString();
        _error = error.ToString();
        await TestContext.Out.WriteLineAsync($"exit {_exit}\n--- stdout\n{_output}--- stderr\n{_error}--- scrape\n{_scrape}");
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public void ShouldPrintStatusLinesWithFramesPerSecondAndBookStates_WhenStatusIntervalIsOneSecond()
    {
        // Arrange
        var status = _error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("optiflow: status: ", StringComparison.Ordinal))
            .ToArray();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_exit, Is.EqualTo(OptiFlowCommand.Success), _error);
            Assert.That(status, Has.Length.GreaterThanOrEqualTo(2), "a line a second over a run of several seconds");
            Assert.That(status, Has.All.Match(@"^optiflow: status: [\d,]+ frames/s over \d+\.\d s, ring backlog \d+, frame->core p99 ([\d,]+\.\d (µs|ms)|-); books: BTCUSDT (synced|resyncing|stale)$"));
            Assert.That(status, Has.Some.EndsWith("books: BTCUSDT synced"));
            Assert.That(status.Select(l => double.Parse(Regex.Match(l, @"status: ([\d,]+) frames/s").Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)), Has.Some.GreaterThan(0), "frames arrive every second at x10");
            Assert.That(_error, Does.Contain($"optiflow: metrics: serving Prometheus text at http://127.0.0.1:{_port}/metrics"));
        }
    }

    [Test]
    public void ShouldServeTheEnginesMetrics_WhenScrapedWhileTheRunGoesOn()
    {
        // Arrange
        var framesRead = Value(_scrape, "optiflow_frames_read_total");
        var finalFrames = long.Parse(Regex.Match(_output, @"frames ([\d,]+), decode errors").Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_scrape, Does.Contain("# TYPE optiflow_frames_read_total counter"));
            foreach (var name in new[]
            {
                "optiflow_frames_total{type=\"bookTicker\"}", "optiflow_frames_total{type=\"depthUpdate\"}", "optiflow_frames_total{type=\"trade\"}",
                "optiflow_events_total", "optiflow_gaps_total{symbol=\"BTCUSDT\"}", "optiflow_resyncs_total{symbol=\"BTCUSDT\"}", "optiflow_ring_backlog",
                "optiflow_latency_seconds{stage=\"frame_to_core\",quantile=\"0.99\"}", "optiflow_latency_seconds{stage=\"core_handling\",quantile=\"0.999\"}",
                "optiflow_latency_samples_total{stage=\"frame_to_core\"}",
            })
            {
                Assert.That(Value(_scrape, name), Is.GreaterThanOrEqualTo(0), name);
            }

            Assert.That(framesRead, Is.GreaterThan(0).And.LessThanOrEqualTo(finalFrames), "scraped mid-run: some frames, at most the run's total");
            Assert.That(Value(_scrape, "optiflow_book_state{symbol=\"BTCUSDT\",state=\"synced\"}"), Is.EqualTo(1));
            Assert.That(Value(_scrape, "optiflow_book_state{symbol=\"BTCUSDT\",state=\"stale\"}"), Is.Zero);
            Assert.That(Value(_scrape, "optiflow_frames_total{type=\"depthSnapshot\"}"), Is.GreaterThanOrEqualTo(1), "synced: a snapshot was loaded");
            Assert.That(Value(_scrape, "optiflow_events_total"), Is.GreaterThanOrEqualTo(Value(_scrape, "optiflow_frames_total{type=\"bookTicker\"}")));
            Assert.That(Value(_scrape, "optiflow_latency_samples_total{stage=\"core_handling\"}"), Is.GreaterThan(0));
            var p50 = Value(_scrape, "optiflow_latency_seconds{stage=\"core_handling\",quantile=\"0.5\"}");
            var p999 = Value(_scrape, "optiflow_latency_seconds{stage=\"core_handling\",quantile=\"0.999\"}");
            Assert.That(p50, Is.GreaterThan(0).And.LessThan(1), "the core handles an event well within a second");
            Assert.That(p999, Is.GreaterThanOrEqualTo(p50));
        }
    }

    /// <summary>The value of one sample line (<c>name value</c>) of a Prometheus text scrape; NaN when absent.</summary>
    private static double Value(string scrape, string series)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan(series.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }
}
