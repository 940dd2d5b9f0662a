using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Model;
using OptiFlow.Simulator.Tests.Support;

namespace OptiFlow.Simulator.Tests;

/// <summary>Reconnect back-off, Binance's connection-attempt limit, and 429/418 Retry-After, all on a fake clock.</summary>
[TestFixture]
public sealed class BackoffTests
{
    [Test]
    public void ShouldDoubleUpToTheCapWithinJitter_WhenAttemptsRepeat()
    {
        // Arrange
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0.5, new Random(7));

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(backoff.Ceiling(1), Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(backoff.Ceiling(2), Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(backoff.Ceiling(4), Is.EqualTo(TimeSpan.FromMilliseconds(800)));
            Assert.That(backoff.Ceiling(5), Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(backoff.Ceiling(60), Is.EqualTo(TimeSpan.FromSeconds(1)));
            for (var attempt = 1; attempt <= 10; attempt++)
            {
                var delay = backoff.Delay(attempt);
                Assert.That(delay, Is.InRange(backoff.Ceiling(attempt) / 2, backoff.Ceiling(attempt)));
            }
        }
    }

    [Test]
    public void ShouldWaitForTheOldestAttemptToLeaveTheWindow_WhenLimitReached()
    {
        // Arrange: 300 attempts per 5 minutes (binance.md §2.1), one every 100 ms.
        var clock = new FakeTimeProvider();
        var limiter = new ConnectionAttemptLimiter(300, TimeSpan.FromMinutes(5), clock);
        for (var i = 0; i < 300; i++)
        {
            Assert.That(limiter.DelayBeforeNextAttempt(), Is.EqualTo(TimeSpan.Zero));
            limiter.RecordAttempt();
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Act
        var wait = limiter.DelayBeforeNextAttempt();

        // Assert: the first attempt was 30 s ago; it leaves the window in 4 min 30 s.
        Assert.That(wait, Is.EqualTo(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task ShouldSendNoRequestUntilRetryAfter_WhenSnapshotAnswered429Then418()
    {
        // Arrange: no stream connection, so a request that passes the faults waits 200 ms and gets 503.
        await using var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [DemoRecording.Path],
            Market = Market.Futures,
            Faults = SimulatorFault.ParseScript("429@1=5,418@2=7"),
            SnapshotWaitTimeout = TimeSpan.FromMilliseconds(200),
        });
        await simulator.StartAsync();
        var clock = new FakeTimeProvider();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var client = new DepthSnapshotClient(http, simulator.RestBaseAddress, "/fapi/v1/depth", clock);

        // Act
        var first = await client.FetchAsync("BTCUSDT", 1000, CancellationToken.None);
        var inside429 = await client.FetchAsync("BTCUSDT", 1000, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = await client.FetchAsync("BTCUSDT", 1000, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(6));
        var inside418 = await client.FetchAsync("BTCUSDT", 1000, CancellationToken.None);
        var requestsInsideBan = simulator.Statistics.SnapshotRequests;
        clock.Advance(TimeSpan.FromSeconds(1));
        var third = await client.FetchAsync("BTCUSDT", 1000, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(SnapshotFetchStatus.TooManyRequests));
            Assert.That(first.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(inside429.Status, Is.EqualTo(SnapshotFetchStatus.BackingOff));
            Assert.That(inside429.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(second.Status, Is.EqualTo(SnapshotFetchStatus.Banned));
            Assert.That(second.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(inside418.Status, Is.EqualTo(SnapshotFetchStatus.BackingOff));
            Assert.That(inside418.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(requestsInsideBan, Is.EqualTo(2), "nothing sent inside a Retry-After");
            Assert.That(third.Status, Is.Not.EqualTo(SnapshotFetchStatus.BackingOff), "sent once the ban is over");
            Assert.That(simulator.Statistics.SnapshotRequests, Is.EqualTo(3));
            Assert.That(client.UsedWeight1M, Is.GreaterThan(0), "X-MBX-USED-WEIGHT-1M read");
        }
    }

    [Test]
    public void ShouldParseEveryFaultKind_WhenScriptIsWellFormed()
    {
        // Arrange + Act
        var faults = SimulatorFault.ParseScript("drop@depth:50, duplicate@60, reorder@trade:70, delay@depth:80=300, disconnect@1000, malformed@90, shutdown@200, stall@300, 429@1=2, 418@2=3s");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(faults, Has.Count.EqualTo(10));
            Assert.That(faults[0], Is.EqualTo(new SimulatorFault(SimulatorFaultKind.Drop, MarketEventKind.DepthLevel, 50, 0)));
            Assert.That(faults[3], Is.EqualTo(new SimulatorFault(SimulatorFaultKind.Delay, MarketEventKind.DepthLevel, 80, 300)));
            Assert.That(faults[9], Is.EqualTo(new SimulatorFault(SimulatorFaultKind.Banned, MarketEventKind.None, 2, 3)));
            Assert.That(() => SimulatorFault.ParseScript("explode@1"), Throws.TypeOf<FormatException>());
        }
    }
}
