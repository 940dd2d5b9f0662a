using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Strategies;
using OptiFlow.Engine.Tests.Support;
using static OptiFlow.Engine.Tests.Triangles.TriangleEvaluatorTests;

namespace OptiFlow.Engine.Tests.Triangles;

/// <summary>The triangle taker when the session trades: its IOC legs stay open until their reports close them (not for a
/// cool-down window), and it counts the legs' outcomes.</summary>
public class TriangleTakerReportTests
{
    private const long S = FixedPoint.Scale;

    private static (MarketCore Core, TriangleTaker Taker, RecordingOutboundSink Sink) Create(bool trading)
    {
        var table = TriangleData.TableOf(["BTCUSDT", "ETHUSDT", "ETHBTC"]);
        var evaluator = new TriangleEvaluator(HandUniverse(5 * S), table, 10, minEdgeBps: 0);
        var taker = new TriangleTaker(new TriangleTakerOptions { MinEdgeBps = 50, Limits = new StrategyLimits { MaxOpenOrders = 3, MaxNotional = 1_000_000 * S, CooldownMs = 1 } });
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator, taker]), orders: new OrderLedgerOptions { Trading = trading });
        return (core, taker, sink);
    }

    /// <summary>USDT>BTC>ETH>USDT at +88 bps, triggered by BTCUSDT at <paramref name="at"/> ns (as TriangleTakerTests).</summary>
    private static void Opportunity(MarketCore core, long at)
    {
        Feed(core, Ethbtc, at - 11_000, bid: 6_300_000, bidQty: 5 * S, ask: 6_310_000, askQty: 2 * S);
        Feed(core, Ethusdt, at - 7_000, bid: 1_660 * S, bidQty: 10 * S, ask: 166_001_000_000, askQty: 10 * S);
        Feed(core, Btcusdt, at, bid: 25_999 * S, bidQty: S / 2, ask: 26_000 * S, askQty: S / 2);
    }

    private static void Answer(MarketCore core, in OrderCommand leg, OrderStatus status, long sequence)
    {
        var filled = status == OrderStatus.Filled ? leg.Quantity : 0;
        var report = new ExecutionReport
        {
            ClientOrderId = leg.ClientOrderId,
            CommandClientOrderId = leg.ClientOrderId,
            CausingSequence = leg.CausingSequence,
            Price = leg.Price,
            Quantity = leg.Quantity,
            LastPrice = filled > 0 ? leg.Price : 0,
            LastQuantity = filled,
            CumulativeQuantity = filled,
            RemainingQuantity = leg.Quantity - filled,
            TradeId = filled > 0 ? 1 : -1,
            SymbolId = leg.SymbolId,
            Side = leg.Side,
            Type = leg.Type,
            TimeInForce = leg.TimeInForce,
            Status = status,
            Reason = status == OrderStatus.Expired ? ExecutionReason.UnfilledIocQuantityExpired : ExecutionReason.None,
            Origin = ExecutionReportOrigin.Venue,
        };
        var slot = default(MarketEvent);
        ExecutionReportEvent.Write(ref slot, in report, Market.Spot, 0);
        core.OnEvent(ref slot, sequence);
    }

    [Test]
    public void ShouldHoldTheNextCycleUntilTheLegsReportsCloseThem_WhenTrading()
    {
        // Arrange
        var (core, taker, sink) = Create(trading: true);
        Opportunity(core, 12_000);                  // three legs sent

        // Act
        Opportunity(core, 2_000_000);               // past the 1 ms cool-down, but the legs are still open
        var heldBack = taker.Blocked(StrategyBlock.MaxOpenOrders);
        var openBefore = core.Orders.OpenOrders(1);
        Answer(core, sink.Orders[0], OrderStatus.Filled, 2_100_000);
        Answer(core, sink.Orders[1], OrderStatus.Expired, 2_100_001);
        Answer(core, sink.Orders[2], OrderStatus.Expired, 2_100_002);
        var openAfter = core.Orders.OpenOrders(1);
        Opportunity(core, 4_000_000);               // the legs closed: a new cycle

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(heldBack, Is.Positive, "held back by the open legs");
            Assert.That(openBefore, Is.EqualTo(3));
            Assert.That(openAfter, Is.Zero, "closed by FILLED / EXPIRED");
            Assert.That(taker.CyclesSent, Is.EqualTo(2));
            Assert.That(sink.Orders, Has.Count.EqualTo(6));
            Assert.That(taker.LegsClosed(OrderStatus.Filled), Is.EqualTo(1));
            Assert.That(taker.LegsClosed(OrderStatus.Expired), Is.EqualTo(2));
            Assert.That(taker.LegFills, Is.EqualTo(1));
            Assert.That(core.Orders.PositionOf(1, Btcusdt).NetQuantity, Is.EqualTo(sink.Orders[0].Quantity));
        }
    }

    [Test]
    public void ShouldSendTheNextCycleAfterTheCooldown_WhenNotTrading()
    {
        // Arrange
        var (core, taker, _) = Create(trading: false);
        Opportunity(core, 12_000);

        // Act
        Opportunity(core, 2_000_000);

        // Assert: no report will ever come, so the legs count as in flight for the cool-down only.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(taker.CyclesSent, Is.EqualTo(2));
            Assert.That(core.Orders.OpenOrders(1), Is.Zero, "nothing tracked when not trading");
            Assert.That(core.Orders.CommandsSent(OrderAction.New), Is.EqualTo(6));
        }
    }
}
