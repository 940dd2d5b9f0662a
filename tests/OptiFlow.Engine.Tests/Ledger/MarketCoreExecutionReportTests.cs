using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Strategies;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests.Ledger;

/// <summary>
/// The core fed a real recording (USDⓈ-M BTCUSDT, 2024-08-08) with the OBI maker quoting, and a fake venue answering every
/// command with execution-report slots (<see cref="ExecutionReportEvent.Write"/>) interleaved into the inbound sequence:
/// the ledger and the strategy hear the reports, open orders close, positions equal the fills, nothing is allocated in
/// steady state, and feeding the same inbound slots again reproduces every order command.
/// </summary>
public class MarketCoreExecutionReportTests
{
    private const string Recording = "hftbacktest/examples/usdm/btcusdt_20240808";
    private const long NoGcBudgetBytes = 64L * 1024 * 1024;

    private static ObiMaker Maker() => new(new ObiMakerOptions
    {
        Measure = ImbalanceMeasure.Obi1,
        Threshold = 0.5,
        Quantity = FixedPoint.Scale / 1_000,
        Limits = new StrategyLimits { MaxOpenOrders = 1, CooldownMs = 100 },
    });

    private sealed record Run(MarketCore Core, ObiMaker Maker, RecordingOutboundSink Sink, FakeOrderVenue Venue, List<MarketEvent> Inbound);

    /// <summary>Feeds every recorded slot; after each, the venue's reports to the commands emitted so far, each in a slot of its own.</summary>
    private static Run Feed(MarketEvent[] slots, int symbolCapacity, bool trading, List<MarketEvent>? inbound = null)
    {
        var maker = Maker();
        var sink = new RecordingOutboundSink(1 << 16);
        var core = new MarketCore(symbolCapacity, sink, evaluators: new EvaluatorSet([maker]), orders: new OrderLedgerOptions { Trading = trading })
        {
            SteadyStateAfterEvents = 20_000,
        };
        var venue = new FakeOrderVenue();
        var scratch = default(MarketEvent);
        long sequence = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            inbound?.Add(slots[i]);
            core.OnEvent(ref slots[i], sequence++);
            while (venue.TryNext(sink.Orders, out var report))
            {
                ExecutionReportEvent.Write(ref scratch, in report, Market.Futures, receiveTimestampNs: 0);
                inbound?.Add(scratch);
                core.OnEvent(ref scratch, sequence++);
            }
        }

        core.OnShutdown();
        return new Run(core, maker, sink, venue, inbound ?? []);
    }

    [Test]
    public void ShouldCloseQuotesOnTheirReportsAndKeepPositionsEqualToTheFills_WhenAVenueAnswersARealRecording()
    {
        // Arrange
        var (slots, symbols) = RecordedSlots.Load(Recording, Market.Futures, "BTCUSDT");
        const int btc = 0; // the first symbol interned

        // Act
        var run = Feed(slots, symbols.Capacity, trading: true);

        // Assert
        var (core, maker, sink, venue, _) = run;
        var ledger = core.Orders;
        var snapshot = core.OrdersSnapshot();
        var news = sink.Orders.Count(o => o.Action == OrderAction.New);
        TestContext.Out.WriteLine($"news {news}, cancelled {venue.Cancelled}, filled {venue.FilledOrders}, open {venue.OpenCount}, reports {ledger.Reports}, net {ledger.PositionOf(btc).NetQuantity}, pnl {snapshot.SymbolPositions.Single().MarkToMarket}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(news, Is.GreaterThan(10), "the maker quoted");
            Assert.That(venue.Cancelled, Is.Positive, "quotes closed by cancels");
            Assert.That(venue.FilledOrders, Is.Positive, "quotes closed by fills");
            Assert.That(core.EventsOfKind(MarketEventKind.ExecutionReport), Is.EqualTo(ledger.Reports));
            Assert.That(ledger.ReportsOf(OrderStatus.New), Is.EqualTo(news), "every New acknowledged");
            Assert.That(maker.QuotesClosed, Is.EqualTo(venue.Cancelled + venue.FilledOrders), "the strategy heard every closing report");
            Assert.That(maker.QuotesFilled, Is.EqualTo(venue.FilledOrders));
            Assert.That(maker.OpenOrders, Is.EqualTo(venue.OpenCount), "open = placed − closed, from the ledger");
            Assert.That(ledger.OpenOrders(0), Is.EqualTo(venue.OpenCount));
            Assert.That(ledger.PendingNewOrders(0), Is.Zero, "every New answered at once");
            Assert.That(ledger.PositionOf(btc).NetQuantity, Is.EqualTo(venue.NetFilled[btc]), "position = sum of fills");
            Assert.That(ledger.Fills, Is.EqualTo(venue.FilledOrders * 2), "two halves each");
            Assert.That(venue.CancelRejects, Is.Zero, "a trading maker never cancels a quote twice nor after it closed");
            Assert.That(snapshot.TotalAnomalies, Is.Zero, string.Join(", ", snapshot.Anomalies));
            Assert.That(snapshot.SymbolPositions.Single().MarkPrice, Is.GreaterThan(0), "marked at the last mid");
            Assert.That(snapshot.StrategyPositions.Single().StrategyId, Is.Zero);
            Assert.That(core.Evaluators!.UndeliveredReports, Is.Zero);
        }
    }

    [Test]
    public void ShouldKeepACancelledQuoteOpenUntilItsReport_WhenTradingButReleaseItAtTheCancel_WhenNot()
    {
        // Arrange: a venue that never fills, so quotes close only by their cancels.
        var (slots, symbols) = RecordedSlots.Load(Recording, Market.Futures, "BTCUSDT");
        var maker = Maker();
        var sink = new RecordingOutboundSink(1 << 16);
        var core = new MarketCore(symbols.Capacity, sink, evaluators: new EvaluatorSet([maker]), orders: new OrderLedgerOptions { Trading = true });
        long sequence = 0;

        // Act: feed until the first cancel, withhold the venue's answer for one more event, then answer.
        var i = 0;
        for (; i < slots.Length && !sink.Orders.Any(o => o.Action == OrderAction.Cancel); i++)
        {
            core.OnEvent(ref slots[i], sequence++);
        }

        var openAfterCancel = core.Orders.OpenOrders(0);
        var cancelPending = core.Orders.TryGetOrder(sink.Orders[^1].OriginalClientOrderId, out var quote) && quote.CancelPending;
        var venue = new FakeOrderVenue { FillEvery = 0 };
        var scratch = default(MarketEvent);
        while (venue.TryNext(sink.Orders, out var report))
        {
            ExecutionReportEvent.Write(ref scratch, in report, Market.Futures, 0);
            core.OnEvent(ref scratch, sequence++);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(i, Is.LessThan(slots.Length), "the maker cancelled a quote");
            Assert.That(openAfterCancel, Is.EqualTo(1), "trading: open until its CANCELED report");
            Assert.That(cancelPending, Is.True);
            Assert.That(core.Orders.OpenOrders(0), Is.Zero, "closed by the report");
            Assert.That(maker.OpenOrders, Is.Zero);
            Assert.That(maker.QuotesClosed, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldAllocateNothingInSteadyState_WhenRealMessagesAndReportsFlowThroughTheCore()
    {
        // Arrange
        var (slots, symbols) = RecordedSlots.Load(Recording, Market.Futures, "BTCUSDT");

        // Act
        var run = NoGcRegion.Run(NoGcBudgetBytes, () => Feed(slots, symbols.Capacity, trading: true));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Core.EventCount, Is.GreaterThan(run.Core.SteadyStateAfterEvents));
            Assert.That(run.Core.Orders.Reports, Is.GreaterThan(10));
            Assert.That(run.Core.SteadyStateAllocatedBytes, Is.Zero, "core thread: books, maker, ledger and report dispatch");
        }
    }

    [Test]
    public void ShouldReproduceEveryOrderCommand_WhenTheSameInboundSlotsAreFedAgain()
    {
        // Arrange: the first run records its inbound stream (market slots and report slots, in sequence), as the journal does.
        var (slots, symbols) = RecordedSlots.Load(Recording, Market.Futures, "BTCUSDT");
        var live = Feed(slots, symbols.Capacity, trading: true, inbound: new List<MarketEvent>(slots.Length * 2));

        // Act: replay the recorded inbound stream through a fresh core, no venue.
        var maker = Maker();
        var sink = new RecordingOutboundSink(1 << 16);
        var replay = new MarketCore(symbols.Capacity, sink, evaluators: new EvaluatorSet([maker]), orders: new OrderLedgerOptions { Trading = true });
        var inbound = live.Inbound.ToArray();
        for (var i = 0; i < inbound.Length; i++)
        {
            replay.OnEvent(ref inbound[i], i);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.Core.Orders.Reports, Is.GreaterThan(10));
            Assert.That(sink.Orders, Is.EqualTo(live.Sink.Orders), "order commands, field for field (the struct has no padding)");
            Assert.That(replay.SignalDigest, Is.EqualTo(live.Core.SignalDigest));
            Assert.That(replay.OrdersSnapshot().SymbolPositions, Is.EqualTo(live.Core.OrdersSnapshot().SymbolPositions));
        }
    }
}
