using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Reports;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <c>DIR/report.html</c> of <c>optiflow demo --report DIR</c>, opened in headless Chromium: it renders (a screenshot with
/// many colours, not a blank page), every chart is in the DOM with its title, and nothing leaves the page (no external
/// URL in the file, no request by the page in Chromium's network log). Skipped, saying why, only where Chromium is
/// missing and cannot be installed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ReportHtmlTests
{
    private static readonly string[] MarketStages = [ReportStage.FrameToPublished, ReportStage.PublishedToCore, ReportStage.FrameToCore, ReportStage.CoreHandling, ReportStage.FeedLatency];

    private TempDirectory _temp = null!;
    private string _report = null!;

    private string Page => Path.Combine(_report, SessionReport.PageFileName);

    [OneTimeSetUp]
    public void RunDemoWithReport()
    {
        _temp = new TempDirectory("report-html");
        _report = Path.Combine(_temp.Path, "report");
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = OptiFlowCommand.Run(["demo", "--journal", Path.Combine(_temp.Path, "journal"), "--report", _report], output, error);
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
    }

    [OneTimeTearDown]
    public void RemoveTemp() => _temp.Dispose();

    [Test]
    public void ShouldBeSelfContained_WhenWritten()
    {
        // Arrange
        var html = File.ReadAllText(Page);

        // Act
        var addresses = UrlPattern().Matches(html).Select(m => m.Value).ToList();

        // Assert
        Assert.That(addresses, Is.Empty, "no URL of any scheme in the page");
        Assert.That(html, Does.Contain($"<meta http-equiv=\"Content-Security-Policy\" content=\"{SessionReport.PageContentSecurityPolicy}\">"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("<iframe").And.Not.Contain("@import").And.Not.Contain("url("));
    }

    [Test]
    public void ShouldRenderANonBlankPage_WhenOpenedInHeadlessChromium()
    {
        // Arrange
        HeadlessChromium.RequirePath();
        var png = Path.Combine(_temp.Path, "screenshot.png");
        var netLog = Path.Combine(_temp.Path, "screenshot-net.json");

        // Act
        HeadlessChromium.Screenshot(Page, png, netLog);
        var image = PngPixels.Read(png);
        var colours = new HashSet<int>();
        long nonWhite = 0;
        for (var y = 0; y < image.Height; y += 2)
        {
            for (var x = 0; x < image.Width; x += 2)
            {
                var rgb = image.Rgb(x, y);
                colours.Add(rgb);
                nonWhite += rgb is 0xFFFFFF or 0xFAFAFA ? 0 : 1;
            }
        }

        // Assert
        Assert.That((image.Width, image.Height), Is.EqualTo((1400, 4000)));
        Assert.That(colours, Has.Count.GreaterThan(50), "text, lines in several colours, bars: not a blank or one-colour page");
        Assert.That(nonWhite, Is.GreaterThan(image.Width / 2 * (image.Height / 2) / 50), "more than 2 % of the page is drawn");
        Assert.That(HeadlessChromium.PageRequests(netLog), Is.Empty, "the page made no network request");
    }

    [Test]
    public void ShouldHaveEveryChartWithItsTitle_WhenChromiumLoadsThePage()
    {
        // Arrange
        HeadlessChromium.RequirePath();
        var netLog = Path.Combine(_temp.Path, "dom-net.json");

        // Act
        var dom = HeadlessChromium.DumpDom(Page, netLog, Path.Combine(_temp.Path, "dom-profile"));

        // Assert
        Assert.That(dom, Does.Contain("<svg class=\"chart\" id=\"counts\"").And.Contain("<title>Counts: frames by type, events by kind, errors by code, book sync</title>"));
        Assert.That(dom, Does.Contain("<title>depthUpdate: 4,322</title>").And.Contain("<title>gaps: 0</title>").And.Contain(">decode errors by code<"), "the counts' bars");
        Assert.That(dom, Does.Contain("<svg class=\"chart\" id=\"percentiles\"").And.Contain("<title>Latency by percentile, per stage</title>"));
        foreach (var label in new[] { ">50%<", ">90%<", ">99%<", ">99.9%<" })
        {
            Assert.That(dom, Does.Contain(label), "the percentile axis is labelled " + label);
        }

        foreach (var stage in MarketStages.Append("tick_to_order"))
        {
            Assert.That(dom, Does.Contain($"<svg class=\"chart\" id=\"over-time-{stage}\"").And.Contain($"<title>{stage}: p50, p99 and max per interval</title>"), stage);
            Assert.That(dom, Does.Contain($"<path class=\"series\" stroke=\"#1f77b4\"").Or.Contain("<circle"), stage);
        }

        foreach (var (id, title) in new[] { ("mid", "BTCUSDT mid price"), ("spread", "BTCUSDT spread (best ask - best bid)"), ("obi", "BTCUSDT order-book imbalance (1, 5 and 10 levels)") })
        {
            Assert.That(dom, Does.Contain($"<svg class=\"chart\" id=\"signals-BTCUSDT-{id}\"").And.Contain($"<title>{title}</title>"), id);
        }

        Assert.That(dom, Does.Contain("<table id=\"books\">").And.Contain("28155.1"), "the final top of book");
        Assert.That(dom, Does.Not.Contain("id=\"no-journal\""));
        Assert.That(HeadlessChromium.PageRequests(netLog), Is.Empty, "the page made no network request");
    }

    [Test]
    public void ShouldSeeThePagesRequest_WhenAPageFetchesSomething()
    {
        // Arrange: proves the network-log check can fail: a page (without our CSP) that loads an image from loopback.
        HeadlessChromium.RequirePath();
        var page = Path.Combine(_temp.Path, "canary.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/canary.png\"><p>canary</p></body></html>");
        var netLog = Path.Combine(_temp.Path, "canary-net.json");

        // Act
        HeadlessChromium.DumpDom(page, netLog, Path.Combine(_temp.Path, "canary-profile"));

        // Assert
        Assert.That(HeadlessChromium.PageRequests(netLog), Has.Some.StartsWith("http://127.0.0.1:9/canary.png"));
    }

    [Test]
    public void ShouldSaySoInThePage_WhenTheSessionHadNoJournal()
    {
        // Arrange: a library session without JournalDirectory.
        var directory = Path.Combine(_temp.Path, "no-journal-report");
        SessionResult result;
        using (var session = EngineSession.ForRecording(RecordingInput.Open(OptiFlowCommand.DemoRecording)))
        {
            session.Start();
            session.PublishRecording();
            result = session.Stop();
        }

        // Act
        SessionReport.Write(directory, "run", result, replay: null);
        var html = File.ReadAllText(Path.Combine(directory, SessionReport.PageFileName));

        // Assert
        Assert.That(html, Does.Contain("id=\"no-journal\"").And.Contain("This run has no journal"));
        Assert.That(html, Does.Not.Contain("id=\"signals-BTCUSDT-mid\""));
        Assert.That(html, Does.Contain("id=\"percentiles\""));
        Assert.That(File.Exists(Path.Combine(directory, LatencyIntervalRecorder.FileName)), "latency.hlog: one whole-run interval per stage without a recorder");
    }

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://")]
    private static partial Regex UrlPattern();
}
