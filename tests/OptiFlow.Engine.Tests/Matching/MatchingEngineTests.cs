using OptiFlow.Testing;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Tests.Support;

namespace OptiFlow.Engine.Tests.Matching;

[TestFixture]
public sealed class MatchingEngineTests
{
    private const int Symbol = 0;
    private const long T0 = 1_700_000_000_000;
    private long _nextId;

    private static long P(decimal units) => (long)(units * MatchingMath.Scale);

    private static long Q(decimal units) => (long)(units * MatchingMath.Scale);

    private long NextId() => ++_nextId;

    private static (MatchingEngine Engine, RecordingExecutionReportSink Sink) Create(MatchingOptions? options = null)
    {
        var sink = new RecordingExecutionReportSink();
        return (new MatchingEngine(2, sink, options), sink);
    }

    private static void Asks(MatchingEngine engine, params (decimal Price, decimal Qty)[] levels)
    {
        foreach (var (price, qty) in levels)
        {
            engine.ApplyLevel(Symbol, BookSide.Ask, P(price), Q(qty), T0);
        }
    }

    private static void Bids(MatchingEngine engine, params (decimal Price, decimal Qty)[] levels)
    {
        foreach (var (price, qty) in levels)
        {
            engine.ApplyLevel(Symbol, BookSide.Bid, P(price), Q(qty), T0);
        }
    }

    private long Limit(MatchingEngine engine, OrderSide side, decimal price, decimal qty, TimeInForce tif, long timeMs = T0)
    {
        var id = NextId();
        engine.Submit(OrderCommand.NewLimit(Symbol, side, P(price), Q(qty), tif, id, 7, timeMs));
        return id;
    }

    [Test]
    public void ShouldWalkSeveralLevelsWithPartialFills_WhenLimitIsMarketable()
    {
        // Arrange
        var (engine, sink) = Create();
        Asks(engine, (100m, 1m), (101m, 2m), (102m, 5m));

        // Act
        var id = Limit(engine, OrderSide.Buy, 102m, 4m, TimeInForce.GoodTillCancelled);

        // Assert
        var r = sink.ToArray();
        Assert.That(r.Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.New, OrderStatus.PartiallyFilled, OrderStatus.PartiallyFilled, OrderStatus.Filled }));
        Assert.That(r.Skip(1).Select(x => (x.LastPrice, x.LastQuantity)), Is.EqualTo(new[] { (P(100m), Q(1m)), (P(101m), Q(2m)), (P(102m), Q(1m)) }));
        Assert.That(r.Skip(1).Select(x => x.CumulativeQuantity), Is.EqualTo(new[] { Q(1m), Q(3m), Q(4m) }));
        Assert.That(r.Skip(1).All(x => !x.IsMaker && x.ClientOrderId == id && x.EventTimeMs == T0), Is.True);
        Assert.That(r.Skip(1).Select(x => x.TradeId), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(r[^1].RemainingQuantity, Is.Zero);
        Assert.That(engine.Book(Symbol).Asks.Count, Is.EqualTo(1));
        Assert.That(engine.Book(Symbol).Asks.QuantityAt(0), Is.EqualTo(Q(4m)), "taken liquidity leaves the replayed level");
        Assert.That(engine.OpenOrderCount, Is.Zero);
    }

    [Test]
    public void ShouldRestTheRemainder_WhenGtcLimitExhaustsLevelsWithinItsPrice()
    {
        // Arrange
        var (engine, sink) = Create();
        Asks(engine, (100m, 1m), (103m, 2m));
        Bids(engine, (101m, 0.5m));

        // Act
        var id = Limit(engine, OrderSide.Buy, 101m, 3m, TimeInForce.GoodTillCancelled);

        // Assert
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.PartiallyFilled));
        Assert.That(sink.Last.RemainingQuantity, Is.EqualTo(Q(2m)));
        Assert.That(engine.TryGetQueueAhead(id, out var ahead), Is.True);
        Assert.That(ahead, Is.EqualTo(Q(0.5m)));
    }

    [Test]
    public void ShouldExpireTheRest_WhenIocPartiallyFills()
    {
        // Arrange
        var (engine, sink) = Create();
        Asks(engine, (100m, 1m), (101m, 2m));

        // Act
        Limit(engine, OrderSide.Buy, 100m, 3m, TimeInForce.ImmediateOrCancel);

        // Assert
        var r = sink.ToArray();
        Assert.That(r.Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.New, OrderStatus.PartiallyFilled, OrderStatus.Expired }));
        Assert.That(r[2].Reason, Is.EqualTo(ExecutionReason.UnfilledIocQuantityExpired));
        Assert.That(r[2].CumulativeQuantity, Is.EqualTo(Q(1m)));
        Assert.That(r[2].RemainingQuantity, Is.EqualTo(Q(2m)));
        Assert.That(engine.OpenOrderCount, Is.Zero);
    }

    [Test]
    public void ShouldFillCompletely_WhenFokHasEnoughLiquidityWithinItsPrice()
    {
        // Arrange
        var (engine, sink) = Create();
        Asks(engine, (100m, 1m), (101m, 2m), (102m, 10m));

        // Act
        Limit(engine, OrderSide.Buy, 101m, 3m, TimeInForce.FillOrKill);

        // Assert
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.Filled));
        Assert.That(sink.Last.CumulativeQuantity, Is.EqualTo(Q(3m)));
        Assert.That(engine.GetPosition(Symbol).NetQuantity, Is.EqualTo(Q(3m)));
    }

    [Test]
    public void ShouldExpireWithoutFills_WhenFokCannotFillCompletely()
    {
        // Arrange
        var (engine, sink) = Create();
        Asks(engine, (100m, 1m), (101m, 2m), (102m, 10m));
        var digest = engine.Book(Symbol).Digest();

        // Act
        Limit(engine, OrderSide.Buy, 101m, 3.5m, TimeInForce.FillOrKill);

        // Assert
        var r = sink.ToArray();
        Assert.That(r.Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.New, OrderStatus.Expired }));
        Assert.That(r[1].Reason, Is.EqualTo(ExecutionReason.UnfilledFokOrderExpired));
        Assert.That(r[1].CumulativeQuantity, Is.Zero);
        Assert.That(engine.Book(Symbol).Digest(), Is.EqualTo(digest), "the book is untouched");
        Assert.That(engine.GetPosition(Symbol), Is.EqualTo(default(Position)));
    }

    [Test]
    public void ShouldFillWhatTheBookHasAndExpireTheRest_WhenMarketOrderMeetsAThinBook()
    {
        // Arrange
        var (engine, sink) = Create();
        Bids(engine, (99m, 0.4m), (98m, 0.6m));

        // Act
        engine.Submit(OrderCommand.NewMarket(Symbol, OrderSide.Sell, Q(2m), NextId(), 1, T0));

        // Assert
        var r = sink.ToArray();
        Assert.That(r.Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.New, OrderStatus.PartiallyFilled, OrderStatus.PartiallyFilled, OrderStatus.Expired }));
        Assert.That(r[1].LastPrice, Is.EqualTo(P(99m)));
        Assert.That(r[2].LastPrice, Is.EqualTo(P(98m)));
        Assert.That(r[3].Reason, Is.EqualTo(ExecutionReason.InsufficientLiquidity));
        Assert.That(r[3].CumulativeQuantity, Is.EqualTo(Q(1m)));
        Assert.That(engine.Book(Symbol).Bids.Count, Is.Zero);
        Assert.That(engine.GetPosition(Symbol).NetQuantity, Is.EqualTo(-Q(1m)));
    }

    [Test]
    public void ShouldExpireWithoutFills_WhenMarketOrderMeetsAnEmptyBook()
    {
        // Arrange
        var (engine, sink) = Create();

        // Act
        engine.Submit(OrderCommand.NewMarket(Symbol, OrderSide.Buy, Q(1m), NextId(), 1, T0));

        // Assert
        Assert.That(sink.ToArray().Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.New, OrderStatus.Expired }));
        Assert.That(sink.Last.Reason, Is.EqualTo(ExecutionReason.InsufficientLiquidity));
    }

    [Test]
    public void ShouldExpireGtx_WhenItWouldCross()
    {
        // Arrange
        var (engine, sink) = Create();
        Asks(engine, (100m, 1m));

        // Act
        Limit(engine, OrderSide.Buy, 100m, 1m, TimeInForce.GoodTillCrossing);

        // Assert
        Assert.That(sink.Count, Is.EqualTo(1));
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.Expired));
        Assert.That(sink.Last.Reason, Is.EqualTo(ExecutionReason.PostOnlyWouldTake));
        Assert.That(engine.OpenOrderCount, Is.Zero);
        Assert.That(engine.Book(Symbol).Asks.QuantityAt(0), Is.EqualTo(Q(1m)));
    }

    [Test]
    public void ShouldRestGtx_WhenItWouldNotCross()
    {
        // Arrange
        var (engine, sink) = Create();
        Asks(engine, (100m, 1m));
        Bids(engine, (99.5m, 2m));

        // Act
        var id = Limit(engine, OrderSide.Buy, 99.5m, 1m, TimeInForce.GoodTillCrossing);

        // Assert
        Assert.That(sink.Count, Is.EqualTo(1));
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.New));
        Assert.That(engine.TryGetQueueAhead(id, out var ahead), Is.True);
        Assert.That(ahead, Is.EqualTo(Q(2m)));
    }

    [Test]
    public void ShouldRejectLimitMaker_WhenItWouldCross()
    {
        // Arrange
        var (engine, sink) = Create();
        Bids(engine, (100m, 1m));

        // Act
        engine.Submit(OrderCommand.NewLimitMaker(Symbol, OrderSide.Sell, P(99m), Q(1m), NextId(), 1, T0));
        engine.Submit(OrderCommand.NewLimitMaker(Symbol, OrderSide.Sell, P(101m), Q(1m), NextId(), 1, T0));

        // Assert
        Assert.That(sink[0].Status, Is.EqualTo(OrderStatus.Rejected));
        Assert.That(sink[0].Reason, Is.EqualTo(ExecutionReason.WouldMatchImmediately));
        Assert.That(sink[1].Status, Is.EqualTo(OrderStatus.New));
        Assert.That(engine.OpenOrderCount, Is.EqualTo(1));
    }

    [Test]
    public void ShouldFillFromQueueOnlyByTrades_WhenRestingBehindFive()
    {
        // Arrange
        var (engine, sink) = Create();
        Bids(engine, (100m, 5m));
        Asks(engine, (101m, 5m));
        var id = Limit(engine, OrderSide.Buy, 100m, 3m, TimeInForce.GoodTillCancelled);
        engine.TryGetQueueAhead(id, out var placedAhead);

        // Act: orders join behind us (9), then some are cancelled (6): a decrease does not advance the queue.
        engine.ApplyLevel(Symbol, BookSide.Bid, P(100m), Q(9m), T0 + 1);
        engine.ApplyLevel(Symbol, BookSide.Bid, P(100m), Q(6m), T0 + 2);
        engine.TryGetQueueAhead(id, out var afterDecrease);
        engine.ApplyTrade(Symbol, OrderSide.Sell, P(100m), Q(3m), T0 + 3);
        var reportsAfterFirstTrade = sink.Count;
        engine.ApplyTrade(Symbol, OrderSide.Sell, P(100m), Q(4m), T0 + 4);

        // Assert
        Assert.That(placedAhead, Is.EqualTo(Q(5m)));
        Assert.That(afterDecrease, Is.EqualTo(Q(5m)));
        Assert.That(reportsAfterFirstTrade, Is.EqualTo(1), "3 of the 5 ahead traded: no fill yet");
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.PartiallyFilled));
        Assert.That(sink.Last.LastQuantity, Is.EqualTo(Q(2m)));
        Assert.That(sink.Last.LastPrice, Is.EqualTo(P(100m)));
        Assert.That(sink.Last.IsMaker, Is.True);
        Assert.That(sink.Last.EventTimeMs, Is.EqualTo(T0 + 4));
        Assert.That(sink.Last.RemainingQuantity, Is.EqualTo(Q(1m)));
    }

    [Test]
    public void ShouldFillUpToTheTradeSize_WhenATradeGoesThroughThePrice()
    {
        // Arrange
        var (engine, sink) = Create();
        Bids(engine, (100m, 5m));
        var id = Limit(engine, OrderSide.Buy, 100m, 3m, TimeInForce.GoodTillCancelled);

        // Act
        engine.ApplyTrade(Symbol, OrderSide.Sell, P(99m), Q(2m), T0 + 1);
        var first = sink.Last;
        engine.ApplyTrade(Symbol, OrderSide.Sell, P(98m), Q(10m), T0 + 2);

        // Assert
        Assert.That(first.LastQuantity, Is.EqualTo(Q(2m)));
        Assert.That(first.LastPrice, Is.EqualTo(P(100m)), "a maker fills at its own price");
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.Filled));
        Assert.That(sink.Last.LastQuantity, Is.EqualTo(Q(1m)));
        Assert.That(engine.TryGetQueueAhead(id, out _), Is.False);
    }

    [Test]
    public void ShouldCapVolumeAhead_WhenTheLevelShrinksBelowIt()
    {
        // Arrange
        var (engine, _) = Create();
        Bids(engine, (100m, 5m));
        var id = Limit(engine, OrderSide.Buy, 100m, 1m, TimeInForce.GoodTillCancelled);

        // Act
        engine.ApplyLevel(Symbol, BookSide.Bid, P(100m), Q(2m), T0 + 1);

        // Assert
        engine.TryGetQueueAhead(id, out var ahead);
        Assert.That(ahead, Is.EqualTo(Q(2m)));
    }

    [Test]
    public void ShouldNotFillABid_WhenTradesAreBuysOrAbove()
    {
        // Arrange
        var (engine, sink) = Create();
        var id = Limit(engine, OrderSide.Buy, 100m, 1m, TimeInForce.GoodTillCancelled);

        // Act
        engine.ApplyTrade(Symbol, OrderSide.Buy, P(100m), Q(5m), T0 + 1);
        engine.ApplyTrade(Symbol, OrderSide.Sell, P(100.5m), Q(5m), T0 + 2);

        // Assert
        Assert.That(sink.Count, Is.EqualTo(1));
        Assert.That(engine.TryGetQueueAhead(id, out _), Is.True);
    }

    [Test]
    public void ShouldCancelAnOpenOrder_AndRejectUnknownOrFilledOnes()
    {
        // Arrange
        var (engine, sink) = Create();
        var open = Limit(engine, OrderSide.Buy, 100m, 2m, TimeInForce.GoodTillCancelled);
        var filled = Limit(engine, OrderSide.Sell, 105m, 1m, TimeInForce.GoodTillCancelled);
        engine.ApplyTrade(Symbol, OrderSide.Buy, P(105m), Q(1m), T0 + 1);
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.Filled));
        sink.Clear();

        // Act
        var cancelId = NextId();
        engine.Submit(OrderCommand.Cancel(Symbol, open, cancelId, 1, T0 + 2));
        engine.Submit(OrderCommand.Cancel(Symbol, 999_999, NextId(), 1, T0 + 2));
        engine.Submit(OrderCommand.Cancel(Symbol, filled, NextId(), 1, T0 + 2));
        engine.Submit(OrderCommand.Cancel(Symbol, open, NextId(), 1, T0 + 2));

        // Assert
        var r = sink.ToArray();
        Assert.That(r[0].Status, Is.EqualTo(OrderStatus.Canceled));
        Assert.That(r[0].ClientOrderId, Is.EqualTo(open));
        Assert.That(r[0].CommandClientOrderId, Is.EqualTo(cancelId));
        Assert.That(r[0].RemainingQuantity, Is.EqualTo(Q(2m)));
        Assert.That(r.Skip(1).Select(x => (x.Status, x.Reason)), Is.All.EqualTo((OrderStatus.Rejected, ExecutionReason.UnknownOrder)));
        Assert.That(r.Skip(1).Select(x => x.ClientOrderId), Is.EqualTo(new[] { 999_999, filled, open }));
        Assert.That(engine.OpenOrderCount, Is.Zero);
    }

    [Test]
    public void ShouldCancelEveryOrderOfTheSymbolOnly_WhenCancelAll()
    {
        // Arrange
        var (engine, sink) = Create();
        Limit(engine, OrderSide.Buy, 100m, 1m, TimeInForce.GoodTillCancelled);
        Limit(engine, OrderSide.Sell, 110m, 1m, TimeInForce.GoodTillCancelled);
        engine.Submit(OrderCommand.NewLimit(1, OrderSide.Buy, P(50m), Q(1m), TimeInForce.GoodTillCancelled, NextId(), 1, T0));
        sink.Clear();

        // Act
        engine.Submit(OrderCommand.CancelAll(Symbol, NextId(), 1, T0));
        engine.Submit(OrderCommand.CancelAll(Symbol, NextId(), 1, T0));

        // Assert
        Assert.That(sink.ToArray().Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.Canceled, OrderStatus.Canceled, OrderStatus.Rejected }));
        Assert.That(engine.OpenOrderCount, Is.EqualTo(1));
    }

    [Test]
    public void ShouldRejectADuplicateClientOrderId_WhileTheFirstIsOpen()
    {
        // Arrange
        var (engine, sink) = Create();
        var id = Limit(engine, OrderSide.Buy, 100m, 1m, TimeInForce.GoodTillCancelled);

        // Act
        engine.Submit(OrderCommand.NewLimit(Symbol, OrderSide.Sell, P(120m), Q(1m), TimeInForce.GoodTillCancelled, id, 1, T0));

        // Assert
        Assert.That(sink.Last.Status, Is.EqualTo(OrderStatus.Rejected));
        Assert.That(sink.Last.Reason, Is.EqualTo(ExecutionReason.DuplicateClientOrderId));
        Assert.That(engine.OpenOrderCount, Is.EqualTo(1));
    }

    [Test]
    public void ShouldRejectMalformedCommandsAndUnknownSymbols()
    {
        // Arrange
        var (engine, sink) = Create();

        // Act
        engine.Submit(OrderCommand.NewLimit(Symbol, OrderSide.Buy, 0, Q(1m), TimeInForce.GoodTillCancelled, NextId(), 1, T0));
        engine.Submit(OrderCommand.NewLimit(7, OrderSide.Buy, P(1m), Q(1m), TimeInForce.GoodTillCancelled, NextId(), 1, T0));

        // Assert
        Assert.That(sink[0].Reason, Is.EqualTo(ExecutionReason.InvalidCommand));
        Assert.That(sink[1].Reason, Is.EqualTo(ExecutionReason.UnknownSymbol));
        Assert.That(sink.ToArray().Select(x => x.Status), Is.All.EqualTo(OrderStatus.Rejected));
    }

    [Test]
    public void ShouldTrackPositionAndCashFromFillsMinusFees()
    {
        // Arrange: maker 2 bp, taker 5 bp.
        var (engine, sink) = Create(new MatchingOptions { MakerFeeBasisPoints = 2m, TakerFeeBasisPoints = 5m });
        Asks(engine, (100m, 1m), (101m, 1m));
        Bids(engine, (99m, 3m));

        // Act: taker buy 1.5 (1 @ 100 + 0.5 @ 101), maker sell 0.25 @ 102 filled by a buy trade, taker sell 2 @ 99.
        Limit(engine, OrderSide.Buy, 101m, 1.5m, TimeInForce.ImmediateOrCancel);
        Limit(engine, OrderSide.Sell, 102m, 0.25m, TimeInForce.GoodTillCancelled);
        engine.ApplyTrade(Symbol, OrderSide.Buy, P(102.5m), Q(1m), T0 + 1);
        engine.Submit(OrderCommand.NewMarket(Symbol, OrderSide.Sell, Q(2m), NextId(), 1, T0 + 1));

        // Assert
        var fills = sink.ToArray().Where(x => x.IsFill).ToArray();
        var net = fills.Sum(x => x.Side == OrderSide.Buy ? x.LastQuantity : -x.LastQuantity);
        var notional = fills.Sum(x => (x.Side == OrderSide.Buy ? -1m : 1m) * x.LastPrice / MatchingMath.Scale * x.LastQuantity);
        var commission = fills.Sum(x => x.Commission);
        var position = engine.GetPosition(Symbol);
        Assert.That(fills.Select(x => x.IsMaker), Is.EqualTo(new[] { false, false, true, false }));
        Assert.That(position.NetQuantity, Is.EqualTo(net));
        Assert.That(position.NetQuantity, Is.EqualTo(Q(-0.75m)));
        Assert.That(position.Commission, Is.EqualTo(commission));
        // Fees: taker 5 bp of 100 + 50.5 + 198 = 348.5 → 0.17425; maker 2 bp of 25.5 → 0.0051.
        Assert.That(commission, Is.EqualTo(Q(0.17425m + 0.0051m)));
        Assert.That(position.Cash, Is.EqualTo((long)notional - commission));
        Assert.That(position.Cash, Is.EqualTo(Q(-100m - 50.5m + 25.5m + 198m - 0.17935m)));
        Assert.That(position.FillCount, Is.EqualTo(4));
        Assert.That(engine.MarkToMarket(Symbol, P(100m)), Is.EqualTo(position.Cash - Q(75m)));
    }

    [Test]
    public void ShouldRoundAgainstTheParticipant_WhenNotionalsAndFeesAreNotExact()
    {
        // Arrange: 3 units of 10⁻⁸ at 0.33333333 has a notional of 0.99999999 × 10⁻⁸.
        var (engine, _) = Create(new MatchingOptions { TakerFeeBasisPoints = 10m });
        engine.ApplyLevel(Symbol, BookSide.Ask, 33_333_333, 3, T0);

        // Act
        engine.Submit(OrderCommand.NewMarket(Symbol, OrderSide.Buy, 3, NextId(), 1, T0));

        // Assert: cost rounds up to 1, commission rounds up to 1.
        Assert.That(engine.GetPosition(Symbol).Cash, Is.EqualTo(-2));
    }

    [Test]
    public void ShouldActivateOrdersOnlyAfterTheEntryLatency()
    {
        // Arrange
        var (engine, sink) = Create(new MatchingOptions { OrderEntryLatencyMs = 5 });
        engine.ApplyLevel(Symbol, BookSide.Ask, P(100m), Q(1m), T0);

        // Act
        var id = Limit(engine, OrderSide.Buy, 100m, 1m, TimeInForce.ImmediateOrCancel, T0);
        var reportsBeforeActivation = sink.Count;
        engine.ApplyLevel(Symbol, BookSide.Ask, P(100m), Q(0.4m), T0 + 4);
        var pendingAt4 = engine.PendingCommandCount;
        engine.ApplyLevel(Symbol, BookSide.Ask, P(100m), Q(3m), T0 + 5);

        // Assert: the order meets the book as it was just before the event at T0 + 5.
        Assert.That(reportsBeforeActivation, Is.Zero);
        Assert.That(pendingAt4, Is.EqualTo(1));
        var r = sink.ToArray();
        Assert.That(r.Select(x => x.Status), Is.EqualTo(new[] { OrderStatus.New, OrderStatus.PartiallyFilled, OrderStatus.Expired }));
        Assert.That(r[1].LastQuantity, Is.EqualTo(Q(0.4m)));
        Assert.That(r.All(x => x.ClientOrderId == id && x.EventTimeMs == T0 + 5), Is.True);
        Assert.That(engine.Book(Symbol).Asks.QuantityAt(0), Is.EqualTo(Q(3m)));
    }

    [Test]
    public void ShouldApplyMarketEvents_FromTheInboundShape()
    {
        // Arrange
        var (engine, sink) = Create();
        var level = new MarketEvent { Kind = MarketEventKind.DepthLevel, SymbolId = Symbol, Side = BookSide.Bid, Price = P(100m), Quantity = Q(1m), EventTimeMs = T0 };
        engine.OnMarketEvent(level);
        var id = Limit(engine, OrderSide.Buy, 100m, 1m, TimeInForce.GoodTillCancelled);
        var trade = new MarketEvent { Kind = MarketEventKind.Trade, SymbolId = Symbol, Flags = MarketEventFlags.BuyerIsMaker, Price = P(100m), Quantity = Q(1.5m), EventTimeMs = T0 + 1 };

        // Act
        engine.OnMarketEvent(trade);

        // Assert
        Assert.That(sink.Last.ClientOrderId, Is.EqualTo(id));
        Assert.That(sink.Last.LastQuantity, Is.EqualTo(Q(0.5m)));
        Assert.That(engine.TimeMs, Is.EqualTo(T0 + 1));
    }

    [Test]
    public void ShouldNotAllocate_PerOrderOrMarketUpdate_AfterWarmUp()
    {
        // Arrange
        var sink = new RecordingExecutionReportSink(64);
        var engine = new MatchingEngine(1, sink, new MatchingOptions { MakerFeeBasisPoints = 1m, TakerFeeBasisPoints = 4m, OrderEntryLatencyMs = 1 });
        long id = 0;
        long time = T0;
        void Round()
        {
            for (var i = 0; i < 1000; i++)
            {
                time++;
                var price = 10_000 + (i % 7);
                engine.ApplyLevel(0, BookSide.Bid, P(price - 1), Q(5m), time);
                engine.ApplyLevel(0, BookSide.Ask, P(price + 1), Q(5m), time);
                engine.Submit(OrderCommand.NewLimit(0, OrderSide.Buy, P(price - 1), Q(1m), TimeInForce.GoodTillCancelled, ++id, i, time));
                var resting = id;
                engine.Submit(OrderCommand.NewLimit(0, OrderSide.Buy, P(price + 1), Q(2m), TimeInForce.ImmediateOrCancel, ++id, i, time));
                engine.ApplyLevel(0, BookSide.Bid, P(price - 1), Q(3m), time + 1);
                engine.ApplyTrade(0, OrderSide.Sell, P(price - 1), Q(3.5m), time + 1);
                engine.Submit(OrderCommand.Cancel(0, resting, ++id, i, time + 1));
                engine.Submit(OrderCommand.NewMarket(0, OrderSide.Sell, Q(0.5m), ++id, i, time + 1));
                engine.AdvanceTo(time + 2);
                engine.ApplyLevel(0, BookSide.Bid, P(price - 1), 0, time + 2);
                engine.ApplyLevel(0, BookSide.Ask, P(price + 1), 0, time + 2);
                time += 2;
            }
        }

        // Act + Assert
        AllocationAssert.ShouldNotAllocate(Round, warmUpRuns: 2);
        Assert.That(sink.Total, Is.EqualTo(3 * 1000 * 7), "NEW, IOC NEW + FILLED, queue fill, CANCELED, MARKET NEW + FILLED per step");
        Assert.That(engine.OpenOrderCount, Is.Zero);
    }
}
