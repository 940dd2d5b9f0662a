using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// <c>optiflow run --venue sim --endpoint …</c> against endpoints that fail, each a loopback server the test starts
/// itself: a closed port, a name that does not resolve, an HTTP server that is not a WebSocket, a server that speaks
/// garbage, one that accepts and closes, one that upgrades and then stays silent, one whose frame announces 2^62 bytes,
/// one whose message never ends, and a simulator killed mid-run. Each run ends by itself (small attempt limits) with
/// exit 4, each failed attempt on standard error with its cause, one last line naming the endpoint and the last OS or
/// protocol error, and the book reported stale, never "Live".
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class LiveFailureTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TempDirectory("live-fail");

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task ShouldExit4NamingConnectionRefused_WhenPortIsClosed()
    {
        // Arrange
        var endpoint = $"ws://127.0.0.1:{RawLoopbackServer.ClosedPort()}";

        // Act
        var result = await CliRun.RunAsync(Args(endpoint, "--max-failed-attempts", "2"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Is.EqualTo($"optiflow: {endpoint}/stream: the feed is down: 2 connection attempts in a row failed (--max-failed-attempts); last error: Connection refused [ConnectionRefused]"));
            Assert.That(result.Error, Does.Contain($"optiflow: {endpoint}/stream: connection attempt 1 of 2 failed: Connection refused [ConnectionRefused]; retrying in "));
            Assert.That(result.Output, Does.Contain("ended: Failed"));
            Assert.That(result.Output, Does.Contain("failed connection attempts 2,"));
            Assert.That(result.Output, Does.Contain($"feed failed: {endpoint}/stream: 2 attempts in a row failed; last error (Refused): Connection refused [ConnectionRefused]"));
            AssertStale(result);
        }
    }

    [Test]
    public async Task ShouldExit4NamingTheResolverError_WhenHostDoesNotResolve()
    {
        // Arrange: .invalid never resolves (RFC 6761 §6.4).
        const string endpoint = "ws://nonexistent.invalid:1";

        // Act
        var result = await CliRun.RunAsync(Args(endpoint, "--max-failed-attempts", "2"));

        // Assert: the resolver's own words; a box without any DNS times out instead, which the line also says.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Does.StartWith($"optiflow: {endpoint}/stream: the feed is down: 2 connection attempts in a row failed (--max-failed-attempts); last error: "));
            Assert.That(result.LastErrorLine, Does.Match(@"\[(HostNotFound|TryAgain|NoData)\]$|no TCP connection within"));
            AssertStale(result);
        }
    }

    [Test]
    public async Task ShouldExit4SayingNotAWebSocket_WhenHttpServerAnswers200()
    {
        // Arrange
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.HttpOkWithoutUpgrade);

        // Act
        var result = await CliRun.RunAsync(Args(server.Endpoint, "--max-failed-attempts", "2"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Is.EqualTo(
                $"optiflow: {server.Endpoint}/stream: the feed is down: 2 connection attempts in a row failed (--max-failed-attempts); last error: the server answered the WebSocket upgrade with 'HTTP/1.1 200 OK', not 101 Switching Protocols: not a WebSocket endpoint"));
            Assert.That(server.Accepted, Is.EqualTo(2), "one connection per attempt, then it gave up (no snapshot request: never connected)");
            AssertStale(result);
        }
    }

    [Test]
    public async Task ShouldExit4QuotingWhatItSent_WhenServerSpeaksGarbage()
    {
        // Arrange
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.Garbage);

        // Act
        var result = await CliRun.RunAsync(Args(server.Endpoint, "--max-failed-attempts", "2"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Does.StartWith(
                $"optiflow: {server.Endpoint}/stream: the feed is down: 2 connection attempts in a row failed (--max-failed-attempts); last error: the server's answer to the WebSocket upgrade is not HTTP: '\\x16\\x03\\x01garbage"));
            AssertStale(result);
        }
    }

    [Test]
    public async Task ShouldExit4_WhenServerAcceptsAndCloses()
    {
        // Arrange
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.AcceptAndClose);

        // Act
        var result = await CliRun.RunAsync(Args(server.Endpoint, "--max-failed-attempts", "2"));

        // Assert: the close arrives as an end of stream or, when the request raced it, as a reset.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Does.StartWith($"optiflow: {server.Endpoint}/stream: the feed is down: 2 connection attempts in a row failed (--max-failed-attempts); last error: "));
            Assert.That(result.LastErrorLine, Does.EndWith("the server closed the connection without answering the WebSocket upgrade").Or.EndWith("[ConnectionReset]"));
            AssertStale(result);
        }
    }

    [Test]
    public async Task ShouldExit4SayingNothingArrived_WhenServerUpgradesAndStaysSilent()
    {
        // Arrange
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.SilentWebSocket);

        // Act
        var result = await CliRun.RunAsync(Args(server.Endpoint, "--seconds", "2"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Does.Match($@"^optiflow: {Regex.Escape(server.Endpoint)}/stream: received nothing in \d+\.\d s \(1 connects, 0 failed attempts\)$"));
            Assert.That(result.Output, Does.Contain("ended: Stopped"));
            Assert.That(result.Output, Does.Contain("BTCUSDT book: stale (core: AwaitingSnapshot; nothing received for this symbol)"));
            Assert.That(result.Output, Does.Not.Contain("book: Live"));
        }
    }

    [Test]
    public async Task ShouldCloseWith1009AndExit4_WhenFrameAnnounces2Pow62Bytes()
    {
        // Arrange
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.HugeFrame);

        // Act
        var result = await CliRun.RunAsync(Args(server.Endpoint, "--max-failed-attempts", "2"));

        // Assert: bounded at the default 4 MiB, closed with 1009 each time, counted, reconnected once, then given up.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Is.EqualTo(
                $"optiflow: {server.Endpoint}/stream: the feed is down: 2 connection attempts in a row failed (--max-failed-attempts); last error: a message longer than 4,194,304 bytes (MaxMessageSize; 4,194,304 received and not ended): closed with 1009 message too big"));
            Assert.That(result.Output, Does.Contain("messages too big 2,"));
            Assert.That(server.Upgraded, Is.EqualTo(2));
            Assert.That(server.CloseCodesOnceThereAre(2), Is.EqualTo(new[] { 1009, 1009 }));
            Assert.That(server.MaxBytesSentOnOneConnection, Is.LessThan(RawLoopbackServer.SendCap / 2), "the client stopped reading at its bound");
            AssertStale(result);
        }
    }

    [Test]
    public async Task ShouldBoundTheSumOfFragments_WhenMessageNeverEnds()
    {
        // Arrange: 64 KiB fragments, none small enough to notice alone, without FIN.
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.EndlessFragments);

        // Act
        var result = await CliRun.RunAsync(Args(server.Endpoint, "--max-failed-attempts", "1"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.LastErrorLine, Does.EndWith("last error: a message longer than 4,194,304 bytes (MaxMessageSize; 4,194,304 received and not ended): closed with 1009 message too big"));
            Assert.That(result.Output, Does.Contain("messages too big 1,"));
            Assert.That(server.CloseCodesOnceThereAre(1), Is.EqualTo(new[] { 1009 }));
            Assert.That(server.MaxBytesSentOnOneConnection, Is.LessThan(RawLoopbackServer.SendCap / 2));
        }
    }

    [Test]
    public async Task ShouldExit4AndReportTheBookStale_WhenSimulatorIsKilledMidRun()
    {
        // Arrange: the simulator as a process of its own, replaying at the recording's pace (about 100 s of data).
        using var simulator = SimulatorProcess.Start(DemoRecording.Path, "original", TimeSpan.FromSeconds(30));
        var run = CliRun.RunAsync(Args(simulator.Endpoint, "--max-failed-attempts", "2"));
        BoundedWait.Until(simulator.HasEstablishedClient, TimeSpan.FromSeconds(30), () => "the live run never connected to the simulator");

        // Let data flow for a moment (frames arrive every few ms at this pace; the connection above is only TCP, the
        // child's WebSocket handshake and first frames follow it, later on a loaded machine), then SIGKILL it.
        await Task.Delay(TimeSpan.FromSeconds(4));

        // Act
        simulator.Kill();
        var result = await run;

        // Assert
        var frames = long.Parse(FramesPattern().Match(result.Output).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames, Is.GreaterThan(0), "data flowed before the kill");
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(result.Error, Does.Match($@"optiflow: {Regex.Escape(simulator.Endpoint)}/stream: connection lost after [\d,]+ frames: "), "the loss itself is logged");
            Assert.That(result.LastErrorLine, Is.EqualTo($"optiflow: {simulator.Endpoint}/stream: the feed is down: 2 connection attempts in a row failed (--max-failed-attempts); last error: Connection refused [ConnectionRefused]"));
            Assert.That(result.Output, Does.Contain("ended: Failed"));
            Assert.That(result.Output, Does.Contain("replay verdict: IDENTICAL"), "what was journaled before the kill is kept and replays");
            AssertStale(result);
        }
    }

    [Test]
    public async Task ShouldExit2_WhenMaxFailedAttemptsIsNegative()
    {
        // Act
        var result = await CliRun.RunAsync(Args("ws://127.0.0.1:1", "--max-failed-attempts", "-1"));

        // Assert
        Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(result.LastErrorLine, Is.EqualTo("optiflow: --max-failed-attempts must be 0 (never give up) or more, not -1"));
    }

    private static void AssertStale(CliResult result)
    {
        Assert.That(result.Output, Does.Contain("BTCUSDT book: stale ("));
        Assert.That(result.Output, Does.Not.Contain("book: Live"));
    }

    [GeneratedRegex(@"^frames ([\d,]+),", RegexOptions.Multiline)]
    private static partial Regex FramesPattern();

    private string[] Args(string endpoint, params string[] extra) =>
        ["run", "--venue", "sim", "--endpoint", endpoint, "--symbols", "btcusdt", "--journal", _directory.File("journal"), .. extra];
}
