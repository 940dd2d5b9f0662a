using NUnit.Framework;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Strategies;
using OptiFlow.Engine.Tests.Support;
using static OptiFlow.Engine.Tests.Support.Level;

namespace OptiFlow.Engine.Tests;

/// <summary>The OBI maker on hand-made books: post-only quotes at the touch on a threshold crossing, a cancel when the
/// imbalance flips, and each limit (cool-down, open orders, notional) holding a quote back, counted.</summary>
public class ObiMakerTests
{
    private const long S = FixedPoint.Scale;
    private const long Quantity = S / 1_000;

    private static (MarketCore Core, ObiMaker Maker, RecordingOutboundSink Sink) Create(StrategyLimits? limits = null)
    {
        var maker = new ObiMaker(new ObiMakerOptions { Measure = ImbalanceMeasure.Obi1, Threshold = 0.5, Quantity = Quantity, Limits = limits ?? new StrategyLimits() });
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink, evaluators: new EvaluatorSet([maker]));
        return (core, maker, sink);
    }

    /// <summary>Synced at snapshot 100 (bid 100 × 1, ask 101 × 1); the first applied diff makes the bid 9: OBI1 = 0.8.</summary>
    private static FakeDepthFeed Synced(MarketCore core, int symbol, Market market)
    {
        var feed = new FakeDepthFeed(core, symbol, market);
        feed.Snapshot(100, Bid(100, 1), Ask(101, 1));
        if (market == Market.Futures)
        {
            feed.FuturesDiff(100, 101, 99, Bid(100, 9));
        }
        else
        {
            feed.SpotDiff(101, 101, Bid(100, 9));
        }

        return feed;
    }

    [Test]
    public void ShouldQuoteAtTheTouchThenCancelOnTheFlipThenHoldForTheCooldown_WhenOBICrossesBothWays()
    {
        // Arrange
        var (core, maker, sink) = Create();

        // Act
        var feed = Synced(core, 1, Market.Futures);         // OBI1 = 0.8 at E = 1,010: bid quote
        feed.FuturesDiff(102, 102, 101, Bid(100, 8));       // still bid-heavy: nothing
        feed.FuturesDiff(103, 103, 102, Ask(101, 20));      // OBI1 = (8 − 20)/28 < 0: cancel; |OBI| < 0.5: no new quote
        feed.FuturesDiff(104, 104, 103, Ask(101, 40));      // OBI1 = −0.67 at E = 1,040: an ask, but 30 ms after the bid: cool-down
        feed.FuturesDiff(300, 300, 104, Ask(101, 41));      // E = 3,000: the ask

        // Assert
        var orders = sink.Orders;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(orders, Has.Count.EqualTo(3));
            Assert.That(orders[0].Action, Is.EqualTo(OrderAction.New));
            Assert.That(orders[0].Side, Is.EqualTo(OrderSide.Buy));
            Assert.That(orders[0].Type, Is.EqualTo(OrderType.Limit));
            Assert.That(orders[0].TimeInForce, Is.EqualTo(TimeInForce.GoodTillCrossing), "futures post-only");
            Assert.That(orders[0].Price, Is.EqualTo(100 * S), "at the best bid");
            Assert.That(orders[0].Quantity, Is.EqualTo(Quantity));
            Assert.That(orders[0].EventTimeMs, Is.EqualTo(1_010));
            Assert.That(orders[0].Validate(), Is.EqualTo(OrderCommandFault.None));
            Assert.That(orders[1].Action, Is.EqualTo(OrderAction.Cancel));
            Assert.That(orders[1].OriginalClientOrderId, Is.EqualTo(orders[0].ClientOrderId));
            Assert.That(orders[1].Validate(), Is.EqualTo(OrderCommandFault.None));
            Assert.That(orders[2].Side, Is.EqualTo(OrderSide.Sell));
            Assert.That(orders[2].Price, Is.EqualTo(101 * S), "at the best ask");
            Assert.That(orders[2].EventTimeMs, Is.EqualTo(3_000));
            Assert.That(orders.Select(o => o.ClientOrderId).Distinct().Count(), Is.EqualTo(3), "distinct ids");
            Assert.That(ClientOrderIds.Parse(orders[0].ClientOrderId), Is.EqualTo((0, orders[0].CausingSequence, 1)));
            Assert.That(maker.QuotesPlaced, Is.EqualTo(2));
            Assert.That(maker.QuotesCancelled, Is.EqualTo(1));
            Assert.That(maker.OpenOrders, Is.EqualTo(1));
            Assert.That(maker.Blocked(StrategyBlock.Cooldown), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldPostLimitMakerOrders_WhenTheMarketIsSpot()
    {
        // Arrange
        var (core, _, sink) = Create();

        // Act
        Synced(core, 1, Market.Spot);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Orders, Has.Count.EqualTo(1));
            Assert.That(sink.Orders[0].Type, Is.EqualTo(OrderType.LimitMaker));
            Assert.That(sink.Orders[0].TimeInForce, Is.EqualTo(TimeInForce.None));
            Assert.That(sink.Orders[0].Validate(), Is.EqualTo(OrderCommandFault.None));
        }
    }

    [Test]
    public void ShouldHoldTheSecondQuoteBack_WhenMaxOpenOrdersIsReached()
    {
        // Arrange
        var (core, maker, sink) = Create(new StrategyLimits { MaxOpenOrders = 1 });

        // Act: two symbols want a bid.
        Synced(core, 1, Market.Futures);
        Synced(core, 2, Market.Futures);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Orders, Has.Count.EqualTo(1));
            Assert.That(sink.Orders[0].SymbolId, Is.EqualTo(1));
            Assert.That(maker.Blocked(StrategyBlock.MaxOpenOrders), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldHoldTheQuoteBack_WhenItsNotionalWouldExceedTheLimit()
    {
        // Arrange: 100 × 0.001 = 0.1 quote units; the limit is exactly 0.1 for the first, not for a second.
        var (core, maker, sink) = Create(new StrategyLimits { MaxNotional = S / 10 });

        // Act
        Synced(core, 1, Market.Futures);
        Synced(core, 2, Market.Futures);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Orders, Has.Count.EqualTo(1), "exactly at the limit passes, one step over does not");
            Assert.That(maker.Blocked(StrategyBlock.MaxNotional), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldRefuseOptionsOutOfRange_WhenCreated()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ObiMaker(new ObiMakerOptions { Threshold = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ObiMaker(new ObiMakerOptions { Threshold = 1.5 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ObiMaker(new ObiMakerOptions { Quantity = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ObiMaker(new ObiMakerOptions { Limits = new StrategyLimits { MaxOpenOrders = 0 } }));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ObiMaker(new ObiMakerOptions { Limits = new StrategyLimits { CooldownMs = -1 } }));
        }
    }

    [Test]
    public void ShouldRoundTripEveryPart_WhenClientOrderIdsAreMadeAndParsed()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ClientOrderIds.Parse(ClientOrderIds.For(0, 0, 0)), Is.EqualTo((0, 0L, 0)));
            Assert.That(ClientOrderIds.Parse(ClientOrderIds.For(ClientOrderIds.MaxEvaluatorId, ClientOrderIds.MaxSequence, 15)), Is.EqualTo((ClientOrderIds.MaxEvaluatorId, ClientOrderIds.MaxSequence, 15)));
            Assert.That(ClientOrderIds.For(ClientOrderIds.MaxEvaluatorId, ClientOrderIds.MaxSequence, 15), Is.Positive);
            Assert.That(ClientOrderIds.For(1, 5, 2), Is.Not.EqualTo(ClientOrderIds.For(2, 5, 2)));
            Assert.Throws<ArgumentOutOfRangeException>(() => ClientOrderIds.For(0, ClientOrderIds.MaxSequence + 1, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => ClientOrderIds.For(0, 0, 16));
            Assert.Throws<ArgumentOutOfRangeException>(() => ClientOrderIds.For(ClientOrderIds.MaxEvaluatorId + 1, 0, 0));
        }
    }

    [Test]
    public void ShouldReadTheDistanceWeightedImbalance_WhenTheMeasureIsWobi10()
    {
        // Arrange: one level a side, so wobi10 = OBI1 = 0.8 (equal weights at the touch).
        var maker = new ObiMaker(new ObiMakerOptions { Measure = ImbalanceMeasure.Wobi10, Threshold = 0.79 });
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink, evaluators: new EvaluatorSet([maker]));

        // Act
        Synced(core, 1, Market.Futures);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Signals[^1].Wobi10, Is.EqualTo(0.8).Within(1e-12));
            Assert.That(sink.Orders, Has.Count.EqualTo(1));
            Assert.That(sink.Orders[0].Side, Is.EqualTo(OrderSide.Buy));
        }
    }
}
