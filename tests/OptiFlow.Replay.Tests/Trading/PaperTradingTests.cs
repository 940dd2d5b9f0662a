using NUnit.Framework;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Hosting.Trading;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Strategies;
using OptiFlow.Journal;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests.Trading;

/// <summary>
/// The whole trading path in process: the OBI maker's commands cross the outbound ring to the order gateway, pre-trade
/// risk (real USDⓈ-M exchangeInfo filters), the paper venue's matching engine on the recorded book, and execution reports
/// back through the inbound ring into the core and the journal; a replay reproduces every order command byte for byte.
/// </summary>
[TestFixture]
[Category("Data")]
[NonParallelizable]
public sealed class PaperTradingTests
{
    private const string FuturesExchangeInfo = "AlphaDogsResearch-Coinbase-Python/futures_exchange_info.json";

    [Test]
    public void ShouldTradeOnThePaperVenueAndReplayTheOrderCommands_WhenTheObiMakerRunsOnARecording()
    {
        // Arrange
        using var temp = new TempDirectory("paper-trading");
        var exchangeInfo = ExchangeInfoParser.ParseFile(RecordingData.Require(FuturesExchangeInfo));
        var input = RecordingInput.Open([RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20230404.dat.gz")], RecordingFormat.Auto, Market.Futures);
        var journal = temp.File("journal");
        var options = new EngineOptions
        {
            JournalDirectory = journal,
            Evaluators = [new ObiMakerFactory(new ObiMakerOptions { Threshold = 0.3, Quantity = FixedPoint.Scale / 100, Limits = new StrategyLimits { CooldownMs = 200 } })],
            Trading = new TradingOptions { Mode = TradingMode.Paper, Matching = new MatchingOptions { MakerFeeBasisPoints = 2, TakerFeeBasisPoints = 5 } }.WithExchangeInfo(exchangeInfo),
        };

        // Act
        var result = HostedRun.Run(input, options);
        var replay = JournalReplayer.Replay(journal, temp.File("replayed"));
        var divergence = JournalReplayer.CompareOutbound(journal, replay, out _);

        // Assert
        var trading = result.Trading!;
        TestContext.Out.WriteLine($"commands {trading.Commands} sent {trading.Sent} acked {trading.Acknowledged} filled {trading.Filled} canceled {trading.Canceled} expired {trading.Expired} rejected {trading.Rejected} fills {trading.Fills} reports {trading.ReportsPublished} late {trading.LateCommands}");
        TestContext.Out.WriteLine(string.Join(", ", trading.RiskRejections.Select(kv => $"{kv.Key}={kv.Value}")) + " | " + string.Join(", ", trading.RejectedByReason.Select(kv => $"{kv.Key}={kv.Value}")));
        foreach (var s in trading.Symbols)
        {
            TestContext.Out.WriteLine(s.ToString());
        }

        TestContext.Out.WriteLine($"tick-to-order p50 {trading.Stages.TickToOrder.ValueAtPercentile(50)} ns p99 {trading.Stages.TickToOrder.ValueAtPercentile(99)} ns n {trading.Stages.TickToOrder.TotalCount}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading.Fault, Is.Null);
            Assert.That(trading.Venue, Is.EqualTo("paper"));
            Assert.That(trading.Sent, Is.GreaterThan(0), "orders reached the paper venue");
            Assert.That(trading.Acknowledged, Is.GreaterThan(0));
            Assert.That(trading.ReportsLost, Is.Zero);
            Assert.That(trading.LateCommands, Is.Zero, "every command was handled right after its causing event");
            Assert.That(trading.Stages.TickToOrder.TotalCount, Is.EqualTo(trading.Sent - trading.GatewaySent), "one sample per order the core decided; the gateway's own stop cancels have no tick");
            Assert.That(trading.GatewaySent, Is.EqualTo(trading.StopCancels + trading.KillSwitchCancels));
            Assert.That(trading.GatewaySteadyStateBytes, Is.Zero, "0 B per order on the gateway thread (risk, paper matching, reports) over a real recording");
            Assert.That(result.Core.SteadyStateAllocatedBytes, Is.Zero, "the core, execution reports included");
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(divergence, Is.Null, "order commands byte for byte");
        }
    }

    [Test]
    public void ShouldRefuseEveryOrderAndTellTheCore_WhenTheQuoteIsBelowTheMinimumNotional()
    {
        // Arrange: 0.001 BTC at ~28,000 USDT is ~28 USDT, below BTCUSDT's MIN_NOTIONAL of 100.
        using var temp = new TempDirectory("paper-trading");
        var options = Options(temp.File("journal"), quantity: FixedPoint.Scale / 1000, trading => trading);

        // Act
        var result = HostedRun.Run(DemoInput(), options);

        // Assert
        var trading = result.Trading!;
        TestContext.Out.WriteLine(string.Join(", ", trading.RiskRejections.Select(kv => $"{kv.Key}={kv.Value}")) + " | " + string.Join(", ", trading.RejectedByReason.Select(kv => $"{kv.Key}={kv.Value}")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading.NewOrders, Is.GreaterThan(0));
            Assert.That(trading.RiskRejections.GetValueOrDefault(RiskReason.NotionalBelowMin), Is.EqualTo(trading.NewOrders), "every new order refused by MIN_NOTIONAL");
            Assert.That(trading.Acknowledged, Is.Zero, "nothing reached the venue as a new order");
            Assert.That(trading.RejectedByReason.GetValueOrDefault(ExecutionReason.RiskRejected), Is.EqualTo(trading.NewOrders), "each refusal came back through the inbound ring as a REJECTED report");
            Assert.That(trading.RejectedByReason.GetValueOrDefault(ExecutionReason.UnknownOrder), Is.EqualTo(trading.Cancels), "cancels pass risk and the venue knows no such order");
            Assert.That(trading.OpenOrdersAtEnd, Is.Zero);
        }
    }

    [Test]
    public void ShouldRefuseTheThirdLeg_WhenTheAccountAllowsTwoOpenOrders()
    {
        // Arrange: a triangle's three IOC legs leave at once, before any report can close the first.
        using var temp = new TempDirectory("paper-trading");
        var exchangeInfoPath = Path.Combine(AppContext.BaseDirectory, "Data", "demo-spot-exchange-info.json");
        var exchangeInfo = ExchangeInfoParser.ParseFile(exchangeInfoPath);
        var recording = temp.File("universe.gz");
        new SpotUniverseGenerator(exchangeInfo, new SpotUniverseGeneratorOptions { Seed = 7, FrameCount = 20_000, MispricingCount = 10 }).GenerateFile(recording);
        var options = new EngineOptions
        {
            JournalDirectory = temp.File("journal"),
            Evaluators = [new TriangleEvaluatorFactory(exchangeInfoPath, takerFeeBps: 10, minEdgeBps: 0), new TriangleTakerFactory(new TriangleTakerOptions { MinEdgeBps = 0 })],
            Trading = new TradingOptions { Mode = TradingMode.Paper, Limits = new RiskLimits { MaxOpenOrders = 2 } }.WithExchangeInfo(exchangeInfo),
        };

        // Act
        var result = HostedRun.Run(RecordingInput.Open([recording]), options);

        // Assert
        var trading = result.Trading!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading.NewOrders, Is.GreaterThan(0));
            Assert.That(trading.RiskRejections.GetValueOrDefault(RiskReason.MaxOpenOrders), Is.EqualTo(trading.NewOrders / 3), "the third leg of every cycle");
            Assert.That(trading.Acknowledged, Is.EqualTo(trading.NewOrders - (trading.NewOrders / 3)));
            Assert.That(trading.OpenOrdersAtEnd, Is.Zero, "IOC legs never rest");
        }
    }

    [Test]
    public void ShouldTripTheKillSwitchCancelEverythingAndRefuseNewOrders_WhenTheLossLimitIsHit()
    {
        // Arrange: any fill pays commission, so a loss limit of 0.00000001 USDT trips at the first fill.
        using var temp = new TempDirectory("paper-trading");
        var journal = temp.File("journal");
        var options = Options(journal, quantity: FixedPoint.Scale / 100, trading => trading with { MaxLoss = 1 });

        // Act
        var result = HostedRun.Run(DemoInput(), options);
        var replay = JournalReplayer.Replay(journal, temp.File("replayed"));
        var divergence = JournalReplayer.CompareOutbound(journal, replay, out _);

        // Assert
        var trading = result.Trading!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading.Fills, Is.GreaterThan(0));
            Assert.That(trading.LossLimitHit, Is.True);
            Assert.That(trading.KillSwitchTripped, Is.True);
            Assert.That(trading.OpenOrdersAtEnd, Is.Zero, "every open order was cancelled");
            Assert.That(trading.RiskRejections.GetValueOrDefault(RiskReason.KillSwitch), Is.GreaterThan(0), "new orders after the trip were refused");
            Assert.That(trading.Symbols.Single().Position, Is.EqualTo(trading.Symbols.Single().BoughtQuantity - trading.Symbols.Single().SoldQuantity), "position = sum of fills");
            Assert.That(divergence, Is.Null, "the replay reproduces the order commands");
        }
    }

    [Test]
    public void ShouldCancelOpenOrders_WhenTheHostTripsTheKillSwitchBeforeTheData()
    {
        // Arrange
        using var temp = new TempDirectory("paper-trading");
        var options = Options(temp.File("journal"), quantity: FixedPoint.Scale / 100, trading => trading);

        // Act
        using var session = EngineSession.ForRecording(DemoInput(), options);
        var pacesChases = session.CorePacesChases;
        session.Start();
        session.TripKillSwitch();
        session.PublishRecording();
        var trading = session.Stop().Trading!;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading.KillSwitchTripped, Is.True);
            Assert.That(pacesChases, Is.False, "a trading core never holds a published event back");
            Assert.That(trading.Acknowledged, Is.Zero);
            Assert.That(trading.RiskRejections.GetValueOrDefault(RiskReason.KillSwitch), Is.EqualTo(trading.NewOrders));
        }
    }

    [Test]
    public void ShouldSendTheSameOrdersAndGetTheSameFills_WhenAPaperRunIsRepeated()
    {
        // Arrange: lockstep (the default) publishes each frame after the gateway has answered everything before it.
        using var temp = new TempDirectory("paper-trading");
        var first = temp.File("first");
        var second = temp.File("second");

        // Act
        var a = HostedRun.Run(DemoInput(), Options(first, quantity: FixedPoint.Scale / 100, trading => trading)).Trading!;
        var b = HostedRun.Run(DemoInput(), Options(second, quantity: FixedPoint.Scale / 100, trading => trading)).Trading!;

        // Assert
        var commands = OrderCommandBytes(first);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(commands, Has.Count.GreaterThan(10));
            Assert.That(OrderCommandBytes(second), Is.EqualTo(commands), "the same order commands, byte for byte, in the same order");
            Assert.That(ReportPositions(second), Is.EqualTo(ReportPositions(first)), "each execution report at the same inbound sequence with the same content");
            Assert.That(b.Symbols, Is.EqualTo(a.Symbols), "the same fills, position and PnL");
        }
    }

    /// <summary>Every order command of a journal's outbound stream, as raw bytes.</summary>
    private static List<byte[]> OrderCommandBytes(string journal)
    {
        var commands = new List<byte[]>();
        using var reader = new JournalReader(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName));
        while (reader.TryRead(out var record))
        {
            if (record.Type == JournalRecordType.OrderCommand)
            {
                commands.Add(record.Payload.ToArray());
            }
        }

        return commands;
    }

    /// <summary>Each execution report of a journal's inbound stream: its sequence and its report (times of arrival left out).</summary>
    private static List<(long Sequence, ExecutionReport Report)> ReportPositions(string journal)
    {
        var reports = new List<(long, ExecutionReport)>();
        using var reader = new JournalReader(journal);
        while (reader.TryRead(out var record))
        {
            if (record.Type == JournalRecordType.MarketEvent && record.MarketEvent.Kind == MarketEventKind.ExecutionReport)
            {
                ExecutionReportEvent.Read(in record.MarketEvent, out var report);
                reports.Add((record.Sequence, report));
            }
        }

        return reports;
    }

    private static RecordingInput DemoInput() =>
        RecordingInput.Open([RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20230404.dat.gz")], RecordingFormat.Auto, Market.Futures);

    private static EngineOptions Options(string journal, long quantity, Func<TradingOptions, TradingOptions> configure) => new()
    {
        JournalDirectory = journal,
        Evaluators = [new ObiMakerFactory(new ObiMakerOptions { Threshold = 0.3, Quantity = quantity, Limits = new StrategyLimits { CooldownMs = 200 } })],
        Trading = configure(new TradingOptions { Mode = TradingMode.Paper, Matching = new MatchingOptions { MakerFeeBasisPoints = 2, TakerFeeBasisPoints = 5 } }
            .WithExchangeInfo(ExchangeInfoParser.ParseFile(RecordingData.Require(FuturesExchangeInfo)))),
    };
}
