using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Simulator.Tests.Support;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// The same failures through the public host and client (what a user's own program sees): the client finishes
/// <see cref="MarketDataClientCompletion.Failed"/> with the endpoint and the last error, logs each failed attempt off the
/// receive threads, bounds a message and closes it with 1009, and <see cref="SessionResult.Live"/> reports the book
/// stale; a live session given no options idles cheaply (blocking core, sleeping consumers).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LiveFeedFailureTests
{
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ShouldFailWithTheLastErrorAndReportTheBookStale_WhenEveryAttemptIsRefused()
    {
        // Arrange
        var port = RawLoopbackServer.ClosedPort();
        var log = new RecordingLogger();
        using var session = EngineSession.ForLive(Client($"ws://127.0.0.1:{port}", maxFailedAttempts: 3, log));

        // Act
        session.Start();
        var completion = await Task.Run(() => session.RunLive(RunBound, CancellationToken.None));
        var result = session.Stop();

        // Assert
        var live = result.Live!;
        var book = live.Books.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion, Is.EqualTo(MarketDataClientCompletion.Failed));
            Assert.That(live.Failure, Is.Not.Null);
            Assert.That(live.Failure!.Endpoint, Is.EqualTo(new Uri($"ws://127.0.0.1:{port}/stream")));
            Assert.That(live.Failure.Kind, Is.EqualTo(ConnectionFailureKind.Refused));
            Assert.That(live.Failure.Attempt, Is.EqualTo(3));
            Assert.That(live.Failure.Cause, Is.EqualTo("Connection refused [ConnectionRefused]"));
            Assert.That(live.FailedAttempts, Is.EqualTo(3));
            Assert.That(live.FeedFailed, Is.True);
            Assert.That(book.Feed.State, Is.EqualTo(SymbolFeedState.Down));
            Assert.That(book.IsLive, Is.False);
            Assert.That(book.State, Is.EqualTo("stale"));
            Assert.That(log.Messages.Select(m => m.Text), Is.EqualTo(new[]
            {
                $"ws://127.0.0.1:{port}/stream: connection attempt 1 of 3 failed: Connection refused [ConnectionRefused]; retrying in {log.Messages[0].RetryIn}",
                $"ws://127.0.0.1:{port}/stream: connection attempt 2 of 3 failed: Connection refused [ConnectionRefused]; retrying in {log.Messages[1].RetryIn}",
                $"ws://127.0.0.1:{port}/stream: connection attempt 3 failed: Connection refused [ConnectionRefused]; giving up (3 failed attempts in a row, MaxConsecutiveFailedAttempts)",
            }));
            Assert.That(log.Messages.Select(m => m.Level), Is.EqualTo(new[] { LogLevel.Warning, LogLevel.Warning, LogLevel.Error }));
            Assert.That(log.Messages.Select(m => m.Thread), Has.None.StartsWith("optiflow-ws"), "never logged on a receive thread");
        }
    }

    [Test]
    public async Task ShouldCloseWith1009CountAndReconnect_WhenMessageExceedsMaxMessageSize()
    {
        // Arrange: a small bound, so each attempt ends after 64 KiB.
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.HugeFrame);
        using var session = EngineSession.ForLive(Client(server.Endpoint, maxFailedAttempts: 3, logger: null, maxMessageSize: 64 * 1024));

        // Act
        session.Start();
        var completion = await Task.Run(() => session.RunLive(RunBound, CancellationToken.None));
        var result = session.Stop();

        // Assert
        var client = session.Client!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion, Is.EqualTo(MarketDataClientCompletion.Failed));
            Assert.That(client.OversizedMessages, Is.EqualTo(3), "counted once per connection");
            Assert.That(client.Connects, Is.EqualTo(3), "reconnected after each");
            Assert.That(server.Upgraded, Is.EqualTo(3));
            Assert.That(server.CloseCodesOnceThereAre(3), Is.EqualTo(new[] { 1009, 1009, 1009 }));
            Assert.That(result.Live!.Failure!.Kind, Is.EqualTo(ConnectionFailureKind.MessageTooBig));
            Assert.That(result.Live.OversizedMessages, Is.EqualTo(3));
            Assert.That(result.Live.Books.Single().IsStale, Is.True);
        }
    }

    [Test]
    public async Task ShouldReportEveryBookLiveAndTheFeedEnded_WhenSimulatorEndsTheRecording()
    {
        // Arrange
        await using var simulator = new BinanceSimulator(new SimulatorOptions { Files = [DemoRecording.Path], Market = Market.Futures, Pace = SimulatorPace.Max });
        await simulator.StartAsync();
        var options = Client(simulator.StreamBaseAddress.ToString().TrimEnd('/'), maxFailedAttempts: 3, logger: null);
        using var session = EngineSession.ForLive(new MarketDataClientOptions
        {
            Venue = options.Venue,
            Symbols = options.Symbols,
            Streams = DemoRecording.Streams,
            StreamBaseAddress = options.StreamBaseAddress,
            FinishOnRecordingEnd = true,
        });

        // Act
        session.Start();
        var completion = await Task.Run(() => session.RunLive(RunBound, CancellationToken.None));
        var result = session.Stop();

        // Assert
        var book = result.Live!.Books.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion, Is.EqualTo(MarketDataClientCompletion.RecordingEnded));
            Assert.That(book.Feed.State, Is.EqualTo(SymbolFeedState.Ended));
            Assert.That(book.SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(book.IsLive, Is.True);
            Assert.That(result.Live.FeedFailed, Is.False);
            Assert.That(result.Live.Failure, Is.Null);
        }
    }

    [Test]
    public async Task ShouldBlockTheCoreAndSleepTheOtherConsumers_WhenLiveSessionIsGivenNoOptions()
    {
        // Arrange
        using var session = EngineSession.ForLive(Client($"ws://127.0.0.1:{RawLoopbackServer.ClosedPort()}", maxFailedAttempts: 1, logger: null));

        // Act
        session.Start();
        await Task.Run(() => session.RunLive(RunBound, CancellationToken.None));
        var options = session.Stop().Options;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(session.CorePacesChases, Is.False, "a live core never holds a published event back");
            Assert.That(options.CoreWaitStrategy, Is.EqualTo(WaitStrategyKind.Blocking));
            Assert.That(options.EffectiveJournalWaitStrategy, Is.EqualTo(WaitStrategyKind.Sleeping));
            Assert.That(options.EffectiveOutboundWaitStrategy, Is.EqualTo(WaitStrategyKind.Sleeping));
        }
    }

    private static MarketDataClientOptions Client(string endpoint, int maxFailedAttempts, ILogger? logger, int maxMessageSize = MarketDataClientOptions.DefaultMaxMessageSize) => new()
    {
        Venue = BinanceVenue.UsdmFutures,
        Symbols = ["btcusdt"],
        Streams = DemoRecording.Streams,
        StreamBaseAddress = new Uri(endpoint),
        FinishOnRecordingEnd = true,
        MaxConsecutiveFailedAttempts = maxFailedAttempts,
        MaxMessageSize = maxMessageSize,
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        Logger = logger,
    };

    /// <summary>Records what the client logs, with the thread it was logged on.</summary>
    private sealed class RecordingLogger : ILogger
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Text, string Thread, string RetryIn)> _messages = new();

        public List<(LogLevel Level, string Text, string Thread, string RetryIn)> Messages => [.. _messages];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
            var retryIn = values?.FirstOrDefault(v => v.Key == "RetryIn").Value?.ToString() ?? "";
            _messages.Enqueue((logLevel, formatter(state, exception), Thread.CurrentThread.Name ?? $"#{Environment.CurrentManagedThreadId}", retryIn));
        }
    }
}
