using NUnit.Framework;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// Generated spot bookTicker recordings (<see cref="SpotUniverseGenerator"/>) served by the loopback simulator to the
/// live client: many symbols, bookTicker only, no depth and no snapshot; and a universe of more symbols than a default
/// symbol table holds.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GeneratedSpotSimulatorTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ShouldDeliverEveryFrameOfEverySymbol_WhenTheSimulatorServesAGeneratedRecording()
    {
        // Arrange
        using var temp = new TempDirectory("generated-sim");
        var path = temp.File("small.gz");
        var summary = GeneratedSpotData.Generate(path, new SpotUniverseGeneratorOptions { Seed = 11, FrameCount = 3_000, MaxSymbols = 12, MispricingCount = 2 });
        var frames = GeneratedSpotData.ReadFrames(path);

        // Act
        var (result, client, simulator, completion) = await RunAsync(path, summary.Symbols);
        var core = result.Core;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion, Is.EqualTo(MarketDataClientCompletion.RecordingEnded));
            Assert.That(simulator.Statistics.Frames, Is.EqualTo(3_000));
            Assert.That(simulator.Statistics.Sent, Is.EqualTo(3_000), "every frame subscribed");
            Assert.That(client.Frames, Is.EqualTo(3_000), "every frame received");
            Assert.That(client.DecodeErrors, Is.Zero);
            Assert.That(core.DecodeErrors, Is.Zero);
            Assert.That(core.EventsOfKind(MarketEventKind.BookTicker), Is.EqualTo(3_000));
            Assert.That(simulator.Statistics.SnapshotRequests, Is.Zero, "bookTicker needs no snapshot");
            AssertLastQuotes(result, frames);
        }
    }

    [Test]
    public async Task ShouldServeTheSubscribedSymbols_WhenTheRecordingHasMoreSymbolsThanADefaultTable()
    {
        // Arrange
        using var temp = new TempDirectory("generated-sim");
        var path = temp.File("universe.gz");
        var summary = GeneratedSpotData.Generate(path, new SpotUniverseGeneratorOptions { Seed = 12, FrameCount = 20_000, MispricingCount = 0 });
        var frames = GeneratedSpotData.ReadFrames(path);
        string[] subscribed = ["BTCUSDT", "ETHBTC", "ETHUSDT", "BNBBTC", "BNBUSDT", "BNBETH"];
        var expected = frames.Where(f => subscribed.Contains(f.Symbol)).ToList();
        Assert.That(summary.SymbolsWritten, Is.GreaterThan(SymbolTable.DefaultCapacity));

        // Act
        var (result, client, simulator, completion) = await RunAsync(path, subscribed);
        var core = result.Core;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion, Is.EqualTo(MarketDataClientCompletion.RecordingEnded));
            Assert.That(simulator.Statistics.Frames, Is.EqualTo(20_000), "the simulator read every frame of the 1,305 symbols");
            Assert.That(client.Frames, Is.EqualTo(expected.Count), "the subscribed symbols' frames");
            Assert.That(core.DecodeErrors, Is.Zero);
            Assert.That(core.EventsOfKind(MarketEventKind.BookTicker), Is.EqualTo(expected.Count));
            AssertLastQuotes(result, expected);
        }
    }

    private static async Task<(SessionResult Result, MarketDataClient Client, BinanceSimulator Simulator, MarketDataClientCompletion Completion)> RunAsync(string path, IReadOnlyList<string> symbols)
    {
        var simulator = new BinanceSimulator(new SimulatorOptions { Files = [path], Market = Market.Spot, Pace = SimulatorPace.Max });
        await simulator.StartAsync();
        var clientOptions = new MarketDataClientOptions
        {
            Venue = BinanceVenue.Spot,
            Symbols = [.. symbols.Select(s => s.ToLowerInvariant())],
            Streams = ["bookTicker"],
            StreamBaseAddress = simulator.StreamBaseAddress,
            FinishOnRecordingEnd = true,
            ReceiveTimeout = TimeSpan.FromSeconds(10),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        var session = EngineSession.ForLive(clientOptions, new EngineOptions { DrainTimeout = TimeSpan.FromSeconds(20) });
        MarketDataClientCompletion completion;
        SessionResult result;
        try
        {
            session.Start();
            completion = await Task.Run(() => session.RunLive(RunTimeout, CancellationToken.None));
            result = session.Stop();
        }
        finally
        {
            session.Dispose();
            await simulator.StopAsync();
        }

        return (result, session.Client!, simulator, completion);
    }

    private static void AssertLastQuotes(SessionResult result, IReadOnlyList<GeneratedSpotFrame> frames)
    {
        var last = new Dictionary<string, GeneratedSpotFrame>(StringComparer.OrdinalIgnoreCase);
        foreach (var frame in frames)
        {
            last[frame.Symbol] = frame;
        }

        var states = result.Core.Symbols.Where(s => s.BookTickers > 0).ToList();
        Assert.That(states, Has.Count.EqualTo(last.Count), "a book ticker for every symbol");
        foreach (var state in states)
        {
            var expected = last[result.Symbols.NameOf(state.SymbolId)];
            var ticker = state.LastBookTicker;
            Assert.That(
                (ticker.FinalUpdateId, ticker.BidPrice, ticker.BidQuantity, ticker.AskPrice, ticker.AskQuantity),
                Is.EqualTo((expected.UpdateId, expected.Bid, expected.BidQuantity, expected.Ask, expected.AskQuantity)),
                $"{expected.Symbol}: its last book ticker is the file's last frame of the symbol");
        }
    }
}
