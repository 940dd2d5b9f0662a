using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Simulator.Tests.Support;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// The client's connection plan: USDⓈ-M streams split over <c>/public</c> and <c>/market</c> (binance.md §2.2
/// `[F-SPLIT]`), one combined route elsewhere, and the proactive renewal before Binance's 24-hour cut (binance.md
/// §2.1), on a fake clock.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MarketDataClientTests
{
    private MarketCore _fileCore = null!;

    [OneTimeSetUp]
    public void RunFileMode() => _fileCore = FileRun.Run(DemoRecording.Path, Market.Futures);

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
    public void ShouldSendBookTickerAndDepthToPublicAndTheRestToMarket_WhenUsdmFuturesOnBinance()
    {
        // Arrange
        var options = new MarketDataClientOptions
        {
            Venue = BinanceVenue.UsdmFutures,
            Symbols = ["btcusdt", "ETHUSDT"],
            Streams = ["bookTicker", "depth@100ms", "depth5@100ms", "rpiDepth@500ms", "aggTrade", "markPrice@1s", "trade"],
        };

        // Act
        var uris = StreamUrisOf(options);

        // Assert
        Assert.That(uris.Select(u => u.ToString()), Is.EqualTo(new[]
        {
            "wss://fstream.binance.com/public/stream?streams=btcusdt@bookTicker/btcusdt@depth@100ms/btcusdt@depth5@100ms/btcusdt@rpiDepth@500ms"
                + "/ethusdt@bookTicker/ethusdt@depth@100ms/ethusdt@depth5@100ms/ethusdt@rpiDepth@500ms",
            "wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade/btcusdt@markPrice@1s/btcusdt@trade"
                + "/ethusdt@aggTrade/ethusdt@markPrice@1s/ethusdt@trade",
        }));
    }

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
    public void ShouldOpenPublicRouteOnly_WhenOnlyHighFrequencyStreamsAsked()
    {
        // Arrange
        var options = new MarketDataClientOptions { Venue = BinanceVenue.UsdmFutures, Symbols = ["btcusdt"], Streams = ["bookTicker", "depth@0ms"] };

        // Act
        var uris = StreamUrisOf(options);

        // Assert
        Assert.That(uris.Select(u => u.AbsolutePath), Is.EqualTo(new[] { "/public/stream" }), "no empty /market connection");
    }

    [TestCase(BinanceVenue.Spot, null, null, "wss://stream.binance.com:9443/stream")]
    [TestCase(BinanceVenue.UsdmFutures, "ws://127.0.0.1:5000", null, "ws://127.0.0.1:5000/stream")]
    [TestCase(BinanceVenue.UsdmFutures, null, false, "wss://fstream.binance.com/stream")]
    public void ShouldUseOneCombinedRoute_WhenNotSplit(BinanceVenue venue, string? endpoint, bool? split, string expected)
    {
        // Arrange: spot has no split; an endpoint override (simulator, testnet) or SplitFuturesRoutes = false turns it off.
        var options = new MarketDataClientOptions
        {
            Venue = venue,
            Symbols = ["btcusdt"],
            Streams = ["bookTicker", "depth@100ms", "aggTrade"],
            StreamBaseAddress = endpoint is null ? null : new Uri(endpoint),
            SplitFuturesRoutes = split,
        };

        // Act
        var uris = StreamUrisOf(options);

        // Assert
        Assert.That(uris.Select(u => u.GetLeftPart(UriPartial.Path)), Is.EqualTo(new[] { expected }));
        Assert.That(uris[0].Query, Is.EqualTo("?streams=btcusdt@bookTicker/btcusdt@depth@100ms/btcusdt@aggTrade"));
    }

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
    public async Task ShouldEndWithFileRunBooks_WhenFuturesStreamsSplitOverPublicAndMarket()
    {
        // Arrange + Act: the simulator serves both routes, filtering by route as the venue does.
        var live = await LiveRun.RunAsync(splitFuturesRoutes: true);

        // Assert
        var state = live.Core.StateOf(0)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.Client.StreamUris.Select(u => u.PathAndQuery), Is.EqualTo(new[]
            {
                "/public/stream?streams=btcusdt@bookTicker/btcusdt@depth@0ms",
                "/market/stream?streams=btcusdt@trade",
            }));
            Assert.That(live.Finished, Is.True);
            Assert.That(live.Client.Completion, Is.EqualTo(MarketDataClientCompletion.RecordingEnded), "both routes closed with 'recording ended'");
            Assert.That(live.Simulator.Statistics.ConnectionsAccepted, Is.EqualTo(2));
            Assert.That(live.Client.Connects, Is.EqualTo(2));
            Assert.That(live.Client.Frames, Is.EqualTo(live.Simulator.Statistics.Sent), "every frame sent was received");

            // The replay starts with the first connection, so frames sent before the second one connected are not
            // counted here: trades came over /market only (the /public request does not name them), depth and
            // bookTicker over /public only.
            Assert.That(state.Trades, Is.InRange(1, _fileCore.Symbols[0].Trades));
            Assert.That(state.BookTickers, Is.InRange(1, _fileCore.Symbols[0].BookTickers));
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(live.Core.BooksDigest(), Is.EqualTo(_fileCore.BooksDigest()));
        }
    }

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
    public async Task ShouldRenewConnectionOnceBeforeTheDayLimit_WhenFakeClockPassesMaxConnectionAge()
    {
        // Arrange: the receive thread reads the clock once per frame; the clock moves 1 ms per read and jumps by the
        // default age limit (23.5 h) at the 3,000th read, and the new connection, younger than the limit, is not
        // renewed again. The recording (99.6 s) is paced at x50: at max pace the simulator runs ahead of a slow client
        // by what the loopback socket buffers hold (megabytes, the whole recording on a loaded machine), so the
        // renewal could come after the last frame was sent and leave nothing for the new connection to resync on.
        var limit = new MarketDataClientOptions { Venue = BinanceVenue.UsdmFutures, Symbols = ["x"] }.MaxConnectionAge;
        var clock = new JumpingTimeProvider(3000, limit);

        // Act
        var live = await LiveRun.RunAsync(clock: clock, pace: SimulatorPace.Times(50));

        // Assert
        var state = live.Core.StateOf(0)!;
        var detail = $"core: gaps {state.Gaps}, snapshots {state.Snapshots} (last L {state.SnapshotLastUpdateId}), behind the book {state.SnapshotsBehindBook}, "
            + $"last applied {state.LastAppliedUpdateId}, dropped before snapshot {state.DroppedBeforeSnapshot}, overflow {state.PendingOverflowMessages}; "
            + $"client: gaps {live.Client.Counters[0].Gaps}, stale snapshots {live.Client.Counters[0].StaleSnapshots}, frames {live.Client.Frames}, sent {live.Simulator.Statistics.Sent}";
        await TestContext.Out.WriteLineAsync(detail);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(limit, Is.LessThan(TimeSpan.FromHours(24)), "renewed before Binance's 24-hour cut");
            Assert.That(live.Finished, Is.True);
            Assert.That(live.Client.Renewals, Is.EqualTo(1), $"clock read {clock.Reads} times");
            Assert.That(live.Client.Connects, Is.EqualTo(2), "renewed at once, without back-off");
            Assert.That(live.Client.Drops + live.Client.Stalls + live.Client.Closes + live.Client.FailedConnectAttempts, Is.Zero, "nothing else reconnected");
            Assert.That(live.Simulator.Statistics.ConnectionsAccepted, Is.EqualTo(2));
            Assert.That(live.Client.Counters[0].Resyncs, Is.EqualTo(2), "start-up + the renewal");
            Assert.That(live.Client.Completion, Is.EqualTo(MarketDataClientCompletion.RecordingEnded));
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live), detail);
            Assert.That(live.Core.BooksDigest(), Is.EqualTo(_fileCore.BooksDigest()), detail);
        }
    }

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
    public void ShouldRefuseTable_WhenASubscribedSymbolIsMissingOrTheTableIsNotFrozen()
    {
        // Arrange: the client only looks symbols up; the session interns them at configuration.
        var options = new MarketDataClientOptions { Venue = BinanceVenue.UsdmFutures, Symbols = ["btcusdt", "ethusdt"], Streams = ["bookTicker"] };
        var ring = new RingBuffer<MarketEvent>(64, new YieldingWaitStrategy(), ProducerType.Multi);
        var missing = new SymbolTable();
        missing.GetOrAdd("BTCUSDT");
        missing.Freeze();
        var open = new SymbolTable();
        open.GetOrAdd("BTCUSDT");
        open.GetOrAdd("ETHUSDT");

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new MarketDataClient(options, ring, missing), Throws.ArgumentException.With.Message.Contains("ETHUSDT"));
            Assert.That(() => new MarketDataClient(options, ring, open), Throws.ArgumentException.With.Message.Contains("frozen"));
            Assert.That(missing.Count, Is.EqualTo(1), "nothing interned");
        }
    }

    private static Uri[] StreamUrisOf(MarketDataClientOptions options)
    {
        var ring = new RingBuffer<MarketEvent>(64, new YieldingWaitStrategy(), ProducerType.Multi);
        var symbols = new SymbolTable();
        foreach (var symbol in options.Symbols)
        {
            symbols.GetOrAdd(symbol);
        }

        using var client = new MarketDataClient(options, ring, symbols.Freeze());
        return [.. client.StreamUris];
    }
}
