using NUnit.Framework;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Strategies;
using OptiFlow.Engine.Tests.Support;
using static OptiFlow.Engine.Tests.Triangles.TriangleEvaluatorTests;

namespace OptiFlow.Engine.Tests.Triangles;

/// <summary>The triangle taker on a hand-made BTC/ETH/USDT triangle: an executable plan above the threshold becomes three
/// IOC legs at the touched prices with the plan's quantities; a non-executable plan, the cool-down, the legs in flight
/// and a leg's notional each hold a cycle back, counted.</summary>
public class TriangleTakerTests
{
    private const long S = FixedPoint.Scale;

    private static (MarketCore Core, TriangleTaker Taker, RecordingOutboundSink Sink) Create(long minNotionalUsdt, TriangleTakerOptions? options = null)
    {
        var table = TriangleData.TableOf(["BTCUSDT", "ETHUSDT", "ETHBTC"]);
        var evaluator = new TriangleEvaluator(HandUniverse(minNotionalUsdt), table, 10, minEdgeBps: 0);
        var taker = new TriangleTaker(options ?? new TriangleTakerOptions { MinEdgeBps = 50, Limits = new StrategyLimits { MaxOpenOrders = 3, MaxNotional = 1_000_000 * S, CooldownMs = 1 } });
        var sink = new RecordingOutboundSink();
        return (new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator, taker])), taker, sink);
    }

    /// <summary>USDT>BTC>ETH>USDT at +88 bps (TriangleEvaluatorTests' executable case), triggered by BTCUSDT at <paramref name="at"/> ns.</summary>
    private static void Opportunity(MarketCore core, long at)
    {
        Feed(core, Ethbtc, at - 11_000, bid: 6_300_000, bidQty: 5 * S, ask: 6_310_000, askQty: 2 * S);
        Feed(core, Ethusdt, at - 7_000, bid: 1_660 * S, bidQty: 10 * S, ask: 166_001_000_000, askQty: 10 * S);
        Feed(core, Btcusdt, at, bid: 25_999 * S, bidQty: S / 2, ask: 26_000 * S, askQty: S / 2);
    }

    [Test]
    public void ShouldSendThePlansThreeIocLegs_WhenAnExecutablePlanClearsTheThreshold()
    {
        // Arrange
        var (core, taker, sink) = Create(minNotionalUsdt: 5 * S);

        // Act
        Opportunity(core, 12_000);

        // Assert: the plan by hand (TriangleEvaluatorTests): buy 0.12632 BTC at 26000, buy 1.9998 ETH at 0.0631 BTC, sell 1.9978 ETH at 1660.
        var orders = sink.Orders;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(orders.Select(o => (o.SymbolId, o.Side, o.Price, o.Quantity)), Is.EqualTo(new[]
            {
                (Btcusdt, OrderSide.Buy, 26_000 * S, 12_632_000L),
                (Ethbtc, OrderSide.Buy, 6_310_000L, 199_980_000L),
                (Ethusdt, OrderSide.Sell, 1_660 * S, 199_780_000L),
            }));
            Assert.That(orders.Select(o => (o.Type, o.TimeInForce)), Is.All.EqualTo((OrderType.Limit, TimeInForce.ImmediateOrCancel)));
            Assert.That(orders.Select(o => o.Validate()), Is.All.EqualTo(OrderCommandFault.None));
            Assert.That(orders.Select(o => o.CausingSequence), Is.All.EqualTo(12_000L), "caused by the trigger");
            Assert.That(orders.Select(o => ClientOrderIds.Parse(o.ClientOrderId)), Is.EqualTo(new[] { (1, 12_000L, 0), (1, 12_000L, 1), (1, 12_000L, 2) }));
            Assert.That(taker.CyclesSent, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldHoldCyclesBack_WhenTheCooldownOrALegsNotionalForbids()
    {
        // Arrange: a 1 ms cool-down (per triangle, and the in-flight window of IOC legs).
        var (core, taker, sink) = Create(minNotionalUsdt: 5 * S);

        // Act
        // Each of Opportunity's three bookTickers re-evaluates the triangle once its legs are known.
        Opportunity(core, 12_000);                 // the BTCUSDT trigger at 12 µs: sent
        Opportunity(core, 500_000);                // three triggers within 1 ms of it: cool-down ×3
        Opportunity(core, 2_000_000);              // the ETHBTC trigger at 1.989 ms: sent; the next two: cool-down ×2
        var (small, smallTaker, smallSink) = Create(5 * S, new TriangleTakerOptions { MinEdgeBps = 50, Limits = new StrategyLimits { MaxOpenOrders = 3, MaxNotional = 1_000 * S, CooldownMs = 1 } });
        Opportunity(small, 12_000);                // the BTC leg is 0.12632 × 26000 = 3284.32 USDT > 1000

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(taker.CyclesSent, Is.EqualTo(2));
            Assert.That(sink.Orders, Has.Count.EqualTo(6));
            Assert.That(taker.Blocked(StrategyBlock.Cooldown), Is.EqualTo(5));
            Assert.That(smallTaker.CyclesSent, Is.Zero);
            Assert.That(smallTaker.Blocked(StrategyBlock.MaxNotional), Is.EqualTo(1));
            Assert.That(smallSink.Orders, Is.Empty);
        }
    }

    [Test]
    public void ShouldHoldTheSecondCycleBack_WhenItsLegsWouldExceedTheOrdersInFlight()
    {
        // Arrange: two triangles through BTCUSDT (USDT>BTC>BNB>USDT and USDT>BTC>ETH>USDT), both gaining; room for one
        // cycle of three IOC legs within the cool-down window.
        var universe = new TriangleUniverse([
            .. HandUniverse(5 * S).Instruments.Where(i => i.Symbol != "BNBUSDT"),
            new InstrumentSpec { Symbol = "BNBUSDT", BaseAsset = "BNB", QuoteAsset = "USDT", TickSize = S / 100, MinPrice = S / 100, MaxPrice = 100_000 * S, StepSize = 100_000, MinQty = 100_000, MaxQty = 9_000 * S, MinNotional = 5 * S, MaxNotional = 9_000_000 * S },
            new InstrumentSpec { Symbol = "BNBBTC", BaseAsset = "BNB", QuoteAsset = "BTC", TickSize = 1_000, MinPrice = 1_000, MaxPrice = 100 * S, StepSize = 100_000, MinQty = 100_000, MaxQty = 9_000 * S, MinNotional = 10_000 },
        ]);
        var table = TriangleData.TableOf(["BTCUSDT", "ETHUSDT", "ETHBTC", "BNBUSDT", "BNBBTC"]);
        var evaluator = new TriangleEvaluator(universe, table, 10, minEdgeBps: 0);
        var taker = new TriangleTaker(new TriangleTakerOptions { MinEdgeBps = 50, Limits = new StrategyLimits { MaxOpenOrders = 3, MaxNotional = 1_000_000 * S, CooldownMs = 1 } });
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator, taker]));
        Feed(core, Ethbtc, 1_000, bid: 6_300_000, bidQty: 5 * S, ask: 6_310_000, askQty: 2 * S);
        Feed(core, Ethusdt, 2_000, bid: 1_660 * S, bidQty: 10 * S, ask: 166_001_000_000, askQty: 10 * S);
        Feed(core, 4, 3_000, bid: 999_000, bidQty: 50 * S, ask: S / 100, askQty: 50 * S);         // BNBBTC ask 0.01 BTC
        Feed(core, 3, 4_000, bid: 263 * S, bidQty: 50 * S, ask: 26_301 * S / 100, askQty: 50 * S); // BNBUSDT bid 263: +85 bps

        // Act: the BTCUSDT trigger re-evaluates both triangles.
        Feed(core, Btcusdt, 12_000, bid: 25_999 * S, bidQty: S / 2, ask: 26_000 * S, askQty: S / 2);

        // Assert: the BNB cycle sorts first and is sent; the ETH one would put six legs in flight.
        var executable = sink.EvaluatorRecords.Select(r => r.BodyAs<TriangleOpportunity>()).Where(b => b.Status == TrianglePlanStatus.Executable && b.EdgeBps >= 50).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(executable, Has.Count.EqualTo(2), "both cycles were executable above the threshold");
            Assert.That(sink.Orders, Has.Count.EqualTo(3));
            Assert.That(sink.Orders.Select(o => o.SymbolId), Is.EqualTo(new[] { Btcusdt, 4, 3 }), "USDT>BTC>BNB>USDT");
            Assert.That(taker.CyclesSent, Is.EqualTo(1));
            Assert.That(taker.Blocked(StrategyBlock.MaxOpenOrders), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldHoldBackAPlanThatFailsAFilter_WhenMinNotionalIsNotMet()
    {
        // Arrange: the ETHUSDT and BTCUSDT legs need 100,000 USDT of notional.
        var (core, taker, sink) = Create(minNotionalUsdt: 100_000 * S);

        // Act
        Opportunity(core, 12_000);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.EvaluatorRecords.Single().BodyAs<TriangleOpportunity>().Status, Is.EqualTo(TrianglePlanStatus.NotionalBelowMin));
            Assert.That(sink.Orders, Is.Empty);
            Assert.That(taker.Blocked(StrategyBlock.BelowMinimum), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldSendNothing_WhenTheEdgeIsBelowTheTakersThreshold()
    {
        // Arrange: +88 bps against a 100 bps threshold.
        var (core, taker, sink) = Create(5 * S, new TriangleTakerOptions { MinEdgeBps = 100 });

        // Act
        Opportunity(core, 12_000);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.EvaluatorRecords, Has.Count.EqualTo(1), "the evaluator saw it");
            Assert.That(sink.Orders, Is.Empty);
            Assert.That(taker.CyclesSent, Is.Zero);
        }
    }

    [Test]
    public void ShouldRefuseToAttach_WhenNoTriangleEvaluatorPrecedesIt()
    {
        // Arrange
        var taker = new TriangleTaker(new TriangleTakerOptions());

        // Act / Assert
        var error = Assert.Throws<InvalidOperationException>(() => _ = new MarketCore(4, evaluators: new EvaluatorSet([taker])));
        Assert.That(error!.Message, Does.Contain("TriangleEvaluator before it"));
    }
}
