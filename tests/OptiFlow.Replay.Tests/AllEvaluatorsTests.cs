using NUnit.Framework;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// Every evaluator and both strategies on at once, over real recordings and a generated spot universe: the core thread
/// allocates nothing in steady state, the strategies emit order commands, and the journaled session replays
/// identically through the built-in catalog, its outbound stream (signals, evaluator records, order commands) byte for byte.
/// </summary>
[TestFixture]
[Category("Data")]
[NonParallelizable]
public sealed class AllEvaluatorsTests
{
    /// <summary>Start-up allocates the rings, the symbol states and the evaluators' tables; steady state allocates nothing.</summary>
    private const long NoGcBudgetBytes = 240L * 1024 * 1024;

    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures)]
    [TestCase("hftbacktest/examples/spot/ethusdt_20240808", Market.Spot)]
    public void ShouldAllocateNothingOnTheCoreAndReplayIdentically_WhenEveryEvaluatorAndStrategyRunsOnARealRecording(string recording, Market market)
    {
        // Arrange
        using var temp = new TempDirectory("all-evaluators");
        var input = RecordingInput.Open([RecordingData.Require(recording)], Adapters.Binance.Recording.RecordingFormat.Auto, market);
        var journal = temp.File("journal");

        // Act
        var result = RunWithoutGc(input, journal, Everything(market == Market.Spot ? 0.3 : 0.5));
        var replay = JournalReplayer.Replay(journal, temp.File("replayed"));
        var divergence = JournalReplayer.CompareOutbound(journal, replay, out var compared);

        // Assert
        var maker = result.Core.Evaluators!.Evaluators.OfType<ObiMaker>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Evaluators.Select(s => s.Name), Is.EqualTo(new[] { "triangles", "triangle-taker", "flow-imbalance", "vpin", "obi-maker" }));
            Assert.That(result.Evaluators.Where(s => s.IsQuarantined), Is.Empty);
            Assert.That(result.Core.SteadyStateAllocatedBytes, Is.Zero, "core thread with every evaluator and strategy on");
            Assert.That(maker.QuotesPlaced, Is.GreaterThan(0), "the maker quoted");
            Assert.That(result.Evaluators.Single(s => s.Name == "flow-imbalance").RecordsEmitted, Is.GreaterThan(0));
            Assert.That(result.Evaluators.Single(s => s.Name == "vpin").RecordsEmitted, Is.GreaterThan(0));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(divergence, Is.Null, "signals, evaluator records and order commands, byte for byte");
            Assert.That(compared, Is.GreaterThan(result.SignalCount));
        }
    }

    [Test]
    public void ShouldAllocateNothingOnTheCoreAndReplayIdentically_WhenEveryEvaluatorAndStrategyRunsOnAGeneratedUniverse()
    {
        // Arrange: 60,000 bookTickers over the whole 1,305-symbol universe with 20 injected mispricings.
        using var temp = new TempDirectory("all-evaluators");
        var file = temp.File("universe.gz");
        _ = RecordingData.Require(GeneratedSpotData.ExchangeInfoPath);
        GeneratedSpotData.Generate(file, new SpotUniverseGeneratorOptions { Seed = 17, FrameCount = 60_000, MispricingCount = 20 });
        var input = RecordingInput.Open([file]);
        var journal = temp.File("journal");

        // Act
        var result = RunWithoutGc(input, journal, Everything(0.5));
        var replay = JournalReplayer.Replay(journal, temp.File("replayed"));
        var divergence = JournalReplayer.CompareOutbound(journal, replay, out _);

        // Assert
        var taker = result.Core.Evaluators!.Evaluators.OfType<TriangleTaker>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Core.SymbolCapacity, Is.GreaterThan(1_305));
            Assert.That(result.Evaluators.Where(s => s.IsQuarantined), Is.Empty);
            Assert.That(result.Core.SteadyStateAllocatedBytes, Is.Zero, "core thread with every evaluator and strategy on, 1,305 symbols");
            Assert.That(taker.CyclesSent, Is.GreaterThan(0), "the taker traded the injected mispricings");
            Assert.That(result.Evaluators.Single(s => s.Name == "triangle-taker").OrdersEmitted, Is.EqualTo(3 * taker.CyclesSent));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(divergence, Is.Null);
        }
    }

    /// <summary>Triangles + taker (spot exchangeInfo), OFI/TFI, VPIN and the OBI maker, in that order.</summary>
    private static IReadOnlyList<EvaluatorFactory> Everything(double obiThreshold) =>
    [
        new TriangleEvaluatorFactory(RecordingData.Require(GeneratedSpotData.ExchangeInfoPath), takerFeeBps: 10, minEdgeBps: 0),
        new TriangleTakerFactory(new TriangleTakerOptions { MinEdgeBps = 0, Limits = new StrategyLimits { MaxOpenOrders = 15, CooldownMs = 0, MaxNotional = long.MaxValue } }),
        new FlowImbalanceFactory(ofiWindow: 50, tfiWindow: 100, emitEvery: 100, fromBookTicker: false),
        new VpinEvaluatorFactory(bucketVolume: 10 * FixedPoint.Scale, window: 50),
        new ObiMakerFactory(new ObiMakerOptions { Measure = ImbalanceMeasure.Wobi10, Threshold = obiThreshold, Limits = new StrategyLimits { CooldownMs = 100 } }),
    ];

    private static SessionResult RunWithoutGc(RecordingInput input, string journal, IReadOnlyList<EvaluatorFactory> evaluators) =>
        NoGcRegion.Run(NoGcBudgetBytes, () => HostedRun.Run(input, new EngineOptions
        {
            JournalDirectory = journal,
            JournalSegmentSize = 256 * 1024 * 1024,
            SteadyStateAfter = 10_000,
            Evaluators = evaluators,
        }));
}
