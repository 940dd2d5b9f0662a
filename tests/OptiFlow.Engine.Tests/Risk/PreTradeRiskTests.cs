using OptiFlow.Testing;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Tests.Support;

namespace OptiFlow.Engine.Tests.Risk;

/// <summary>
/// <see cref="PreTradeRisk"/>: each filter through <see cref="PreTradeRisk.Check"/>, the engine's own limits at their
/// boundaries, the kill switch, rate budgets and bans, per-reason counts and zero allocation per check.
/// </summary>
[TestFixture]
public sealed class PreTradeRiskTests
{
    private const int Spot = 0;
    private const int Futures = 1;
    private const int Unlisted = 2;
    private const int Plain = 3;
    private const long Now = 1_796_601_600_000 + 1_000;
    private const long Btc = 100_000_000;          // 1.0 base
    private const long Price = 2_500_000_000_000;  // 25,000.00
    private const long Tick = 1_000_000;           // 0.01
    private const long Step = 1_000;               // 0.00001

    private static readonly InstrumentRules SpotRules = new()
    {
        Market = Market.Spot,
        MinPrice = Tick, MaxPrice = 100_000_000_000_000, TickSize = Tick,
        MinQty = Step, MaxQty = 900_000_000_000, StepSize = Step,
        MarketMinQty = 0, MarketMaxQty = 10 * Btc, MarketStepSize = 0,
        MinNotional = 500_000_000, MaxNotional = 900_000_000_000_000, ApplyMinToMarket = true, ApplyMaxToMarket = false, AvgPriceMins = 5,
        BidMultiplierUp = 500_000_000, BidMultiplierDown = 20_000_000, AskMultiplierUp = 500_000_000, AskMultiplierDown = 20_000_000,
        MaxNumOrders = 3,
    };

    private static readonly InstrumentRules FuturesRules = new()
    {
        Market = Market.Futures,
        MinPrice = 26_110_000_000, MaxPrice = 80_948_400_000_000, TickSize = 10_000_000,
        MinQty = 100_000, MaxQty = 1_000 * Btc, StepSize = 100_000,
        MinNotional = 10_000_000_000, ApplyMinToMarket = true,
        MultiplierUp = 105_000_000, MultiplierDown = 95_000_000,
        MaxNumOrders = 200,
    };

    // Lot rules only, so the engine's limits can be probed one step (0.001) at a time.
    private static readonly InstrumentRules PlainRules = new() { Market = Market.Futures, MinQty = 100_000, StepSize = 100_000 };

    private static PreTradeRisk Create(RiskLimits? limits = null, RateBudget? budget = null) =>
        new([SpotRules, FuturesRules, null, PlainRules], limits ?? new RiskLimits(), budget ?? new RateBudget([]));

    private static OrderCommand Limit(int symbol, OrderSide side, long price, long qty, long id = 1) =>
        OrderCommand.NewLimit(symbol, side, price, qty, TimeInForce.GoodTillCancelled, id, 0, 0);

    private static OrderCommand MarketOrder(int symbol, OrderSide side, long qty, long id = 1) =>
        OrderCommand.NewMarket(symbol, side, qty, id, 0, 0);

    [Test]
    public void ShouldAcceptAndCountOpen_WhenEveryRulePasses()
    {
        // Arrange
        var risk = Create();
        var order = Limit(Spot, OrderSide.Buy, Price, Step * 20);

        // Act
        var r = risk.Check(in order, Price, Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(r, Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.OpenOrdersOf(Spot), Is.EqualTo(1));
            Assert.That(risk.DecisionCount(RiskReason.Accepted), Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldRefuseMalformedAndUnknown_BeforeAnyRule()
    {
        // Arrange
        var risk = Create();
        var zeroQty = Limit(Spot, OrderSide.Buy, Price, 0);
        var unlisted = Limit(Unlisted, OrderSide.Buy, Price, Btc);
        var outOfRange = Limit(99, OrderSide.Buy, Price, Btc);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in zeroQty, Price, Now), Is.EqualTo(RiskReason.Malformed));
            Assert.That(risk.Check(in unlisted, Price, Now), Is.EqualTo(RiskReason.UnknownSymbol));
            Assert.That(risk.Check(in outOfRange, Price, Now), Is.EqualTo(RiskReason.UnknownSymbol));
            Assert.That(risk.DecisionCount(RiskReason.UnknownSymbol), Is.EqualTo(2));
        });
    }

    [Test]
    public void ShouldRefuseWithoutAReferencePrice_WhenMarketOrPercentPriceNeedsOne()
    {
        // Arrange
        var risk = Create();
        var market = MarketOrder(Spot, OrderSide.Buy, Btc / 100);
        var limit = Limit(Futures, OrderSide.Buy, Price, Btc);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in market, 0, Now), Is.EqualTo(RiskReason.NoReferencePrice));
            Assert.That(risk.Check(in limit, 0, Now), Is.EqualTo(RiskReason.NoReferencePrice));
        });
    }

    [TestCase(Price + 1, Step * 20, RiskReason.PriceNotOnTick)]
    [TestCase(100_000_000_000_000 + Tick, Step * 20, RiskReason.PriceAboveMax)]
    [TestCase(Price, Step - 1, RiskReason.QuantityBelowMin)]
    [TestCase(Price, Step * 20 + 1, RiskReason.QuantityNotOnStep)]
    [TestCase(Price, Step * 19, RiskReason.NotionalBelowMin)]      // 4.75 < 5
    [TestCase(Price, Step * 20, RiskReason.Accepted)]              // 5.00 = min
    public void ShouldApplyTheSymbolsFilters_WhenCheckingALimitOrder(long price, long qty, RiskReason expected)
    {
        // Arrange
        var risk = Create();
        var order = Limit(Spot, OrderSide.Buy, price, qty);

        // Act
        var r = risk.Check(in order, price, Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(r, Is.EqualTo(expected));
            Assert.That(risk.DecisionCount(expected), Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldApplyMarketLotSizeAndNotionalAtTheReferencePrice_WhenCheckingAMarketOrder()
    {
        // Arrange
        var risk = Create();
        var atMax = MarketOrder(Spot, OrderSide.Sell, 10 * Btc);
        var overMax = MarketOrder(Spot, OrderSide.Sell, 10 * Btc + Step);
        var tiny = MarketOrder(Spot, OrderSide.Sell, Step * 20);

        // Act / Assert: the limit-only price filter is not applied; notional uses the reference price.
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in atMax, Price, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in overMax, Price, Now), Is.EqualTo(RiskReason.MarketQuantityAboveMax));
            Assert.That(risk.Check(in tiny, Price, Now), Is.EqualTo(RiskReason.Accepted), "25,000 × 0.0002 = 5");
            Assert.That(risk.Check(in tiny, Price - Tick, Now), Is.EqualTo(RiskReason.NotionalBelowMin));
        });
    }

    [Test]
    public void ShouldApplyPercentPriceBySide_AgainstTheReference()
    {
        // Arrange: BUY within [ref × 0.2, ref × 5].
        var risk = Create();
        const long reference = 100_000_000_000; // 1,000
        var atUp = Limit(Spot, OrderSide.Buy, 500_000_000_000, Step * 100);
        var overUp = Limit(Spot, OrderSide.Buy, 500_000_000_000 + Tick, Step * 100);
        var underDown = Limit(Spot, OrderSide.Sell, 20_000_000_000 - Tick, Step * 10_000);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in atUp, reference, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in overUp, reference, Now), Is.EqualTo(RiskReason.PercentPriceBySideAboveUp));
            Assert.That(risk.Check(in underDown, reference, Now), Is.EqualTo(RiskReason.PercentPriceBySideBelowDown));
        });
    }

    [Test]
    public void ShouldApplyFuturesPercentPriceAgainstTheMark_WhenCheckingAFuturesOrder()
    {
        // Arrange: mark 25,000; BUY ≤ 26,250.
        var risk = Create();
        var atUp = Limit(Futures, OrderSide.Buy, 2_625_000_000_000, Btc / 100);
        var overUp = Limit(Futures, OrderSide.Buy, 2_625_010_000_000, Btc / 100);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in atUp, Price, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in overUp, Price, Now), Is.EqualTo(RiskReason.PercentPriceAboveUp));
        });
    }

    [Test]
    public void ShouldRefuseTheNextOrder_WhenMaxNumOrdersIsReached_UntilOneCloses()
    {
        // Arrange: MAX_NUM_ORDERS 3.
        var risk = Create();
        var order = Limit(Spot, OrderSide.Buy, Price, Step * 20);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(risk.Check(in order, Price, Now), Is.EqualTo(RiskReason.Accepted));
        }

        // Act
        var fourth = risk.Check(in order, Price, Now);
        risk.OnOrderClosed(Spot, OrderSide.Buy, Step * 20);
        var afterClose = risk.Check(in order, Price, Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fourth, Is.EqualTo(RiskReason.MaxNumOrders));
            Assert.That(afterClose, Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldRefuseAcrossSymbols_WhenMaxOpenOrdersIsReached()
    {
        // Arrange
        var risk = Create(new RiskLimits { MaxOpenOrders = 2 });
        var spot = Limit(Spot, OrderSide.Buy, Price, Step * 20);
        var futures = Limit(Futures, OrderSide.Buy, Price, Btc / 100);

        // Act
        var first = risk.Check(in spot, Price, Now);
        var second = risk.Check(in futures, Price, Now);
        var third = risk.Check(in futures, Price, Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(RiskReason.Accepted));
            Assert.That(second, Is.EqualTo(RiskReason.Accepted));
            Assert.That(third, Is.EqualTo(RiskReason.MaxOpenOrders));
            Assert.That(risk.OpenOrders, Is.EqualTo(2));
        });
    }

    [Test]
    public void ShouldAllowExactlyMaxPosition_AndRefuseOneStepMore_ButLetItReduce()
    {
        // Arrange: max 1 BTC; position from fills.
        var risk = Create(new RiskLimits { MaxPositionPerSymbol = Btc });
        var buyAll = Limit(Plain, OrderSide.Buy, Price, Btc);
        Assert.That(risk.Check(in buyAll, Price, Now), Is.EqualTo(RiskReason.Accepted));
        risk.OnFill(Plain, OrderSide.Buy, Btc, Price);
        risk.OnOrderClosed(Plain, OrderSide.Buy, 0);
        var oneStepMore = Limit(Plain, OrderSide.Buy, Price, 100_000);
        var reduce = Limit(Plain, OrderSide.Sell, Price, Btc / 2);
        var flipPastLimit = Limit(Plain, OrderSide.Sell, Price, 2 * Btc + 100_000);

        // Act
        var more = risk.Check(in oneStepMore, Price, Now);
        var reduced = risk.Check(in reduce, Price, Now);
        var flipped = risk.Check(in flipPastLimit, Price, Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.PositionOf(Plain), Is.EqualTo(Btc));
            Assert.That(more, Is.EqualTo(RiskReason.MaxPositionPerSymbol));
            Assert.That(reduced, Is.EqualTo(RiskReason.Accepted));
            Assert.That(flipped, Is.EqualTo(RiskReason.MaxPositionPerSymbol));
        });
    }

    [Test]
    public void ShouldCountOpenBuysTowardsThePosition_WhenNotYetFilled()
    {
        // Arrange: max 1 BTC; 0.6 open, not filled.
        var risk = Create(new RiskLimits { MaxPositionPerSymbol = Btc });
        var first = Limit(Plain, OrderSide.Buy, Price, 60_000_000);
        var second = Limit(Plain, OrderSide.Buy, Price, 50_000_000);
        var exact = Limit(Plain, OrderSide.Buy, Price, 40_000_000);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in first, Price, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in second, Price, Now), Is.EqualTo(RiskReason.MaxPositionPerSymbol));
            Assert.That(risk.Check(in exact, Price, Now), Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldAllowExactlyMaxNotionalPerSymbol_AndRefuseOneStepMore()
    {
        // Arrange: max 250 quote = 0.01 BTC at 25,000.
        var risk = Create(new RiskLimits { MaxNotionalPerSymbol = 25_000_000_000 });
        var exact = Limit(Plain, OrderSide.Buy, Price, Btc / 100);
        var more = Limit(Plain, OrderSide.Buy, Price, 100_000);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in exact, Price, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in more, Price, Now), Is.EqualTo(RiskReason.MaxNotionalPerSymbol));
        });
    }

    [Test]
    public void ShouldSumSymbols_WhenCheckingMaxTotalNotional()
    {
        // Arrange: total max 500 quote; 250 on spot (filled), then futures up to 250 more.
        var risk = Create(new RiskLimits { MaxTotalNotional = 50_000_000_000 });
        var spot = Limit(Spot, OrderSide.Buy, Price, Btc / 100);
        Assert.That(risk.Check(in spot, Price, Now), Is.EqualTo(RiskReason.Accepted));
        risk.OnFill(Spot, OrderSide.Buy, Btc / 100, Price);
        risk.OnOrderClosed(Spot, OrderSide.Buy, 0);
        var exact = Limit(Plain, OrderSide.Sell, Price, Btc / 100);
        var more = Limit(Plain, OrderSide.Sell, Price, 100_000);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.TotalNotional, Is.EqualTo(25_000_000_000));
            Assert.That(risk.Check(in exact, Price, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in more, Price, Now), Is.EqualTo(RiskReason.MaxTotalNotional));
            Assert.That(risk.TotalNotional, Is.EqualTo(50_000_000_000));
        });
    }

    [Test]
    public void ShouldBlockNewButPassCancels_WhenKillSwitchIsTripped()
    {
        // Arrange: two open orders.
        var risk = Create();
        var order = Limit(Spot, OrderSide.Buy, Price, Step * 20);
        risk.Check(in order, Price, Now);
        risk.Check(in order, Price, Now);
        var cancel = OrderCommand.Cancel(Spot, 1, 2, 0, 0);
        var cancelAll = OrderCommand.CancelAll(Spot, 3, 0, 0);

        // Act
        risk.TripKillSwitch();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.IsKillSwitchTripped, Is.True);
            Assert.That(risk.OpenOrdersToCancel, Is.EqualTo(2));
            Assert.That(risk.Check(in order, Price, Now), Is.EqualTo(RiskReason.KillSwitch));
            Assert.That(risk.Check(in cancel, 0, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in cancelAll, 0, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.DecisionCount(RiskReason.KillSwitch), Is.EqualTo(1));
        });

        risk.ResetKillSwitch();
        Assert.Multiple(() =>
        {
            Assert.That(risk.OpenOrdersToCancel, Is.Zero);
            Assert.That(risk.Check(in order, Price, Now), Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldChargeOrdersToNewAndWeightToCancels_AndNeverExceedTheBudget()
    {
        // Arrange: 2 orders per 10 s, 3 weight per minute; cancel costs 1.
        var budget = new RateBudget(
        [
            new RateLimitRule(RateLimitKind.Orders, 10_000, 2),
            new RateLimitRule(RateLimitKind.RequestWeight, 60_000, 3),
        ]);
        var risk = Create(new RiskLimits { CancelWeight = 1 }, budget);
        var order = Limit(Futures, OrderSide.Buy, Price, Btc / 100);
        var cancel = OrderCommand.Cancel(Futures, 1, 2, 0, 0);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(risk.Check(in order, Price, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in order, Price, Now), Is.EqualTo(RiskReason.Accepted));
            Assert.That(risk.Check(in order, Price, Now), Is.EqualTo(RiskReason.OrderRateLimit));
            Assert.That(risk.OpenOrdersOf(Futures), Is.EqualTo(2), "a refused order is not opened");
            Assert.That(risk.Check(in order, Price, Now + 9_000), Is.EqualTo(RiskReason.Accepted), "the 10 s window rolled at :10");
            for (var i = 0; i < 3; i++)
            {
                Assert.That(risk.Check(in cancel, 0, Now), Is.EqualTo(RiskReason.Accepted));
            }

            Assert.That(risk.Check(in cancel, 0, Now), Is.EqualTo(RiskReason.RequestWeightLimit));
        });
    }

    [Test]
    public void ShouldBlockCancelsToo_WhenBannedOrBackingOff()
    {
        // Arrange
        var risk = Create();
        var cancel = OrderCommand.Cancel(Spot, 1, 2, 0, 0);
        var order = Limit(Spot, OrderSide.Buy, Price, Step * 20);

        // Act
        risk.Budget.OnTooManyRequests(Now + 1_000);
        var backingOff = risk.Check(in order, Price, Now);
        risk.Budget.OnBanned(Now + 120_000);
        var banned = risk.Check(in cancel, 0, Now + 60_000);
        var lifted = risk.Check(in order, Price, Now + 120_000);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(backingOff, Is.EqualTo(RiskReason.TooManyRequestsBackOff));
            Assert.That(banned, Is.EqualTo(RiskReason.IpBanned));
            Assert.That(lifted, Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenCheckingFillingAndClosing()
    {
        // Arrange
        var budget = new RateBudget([new RateLimitRule(RateLimitKind.Orders, 10_000, 1_000_000), new RateLimitRule(RateLimitKind.RequestWeight, 60_000, 1_000_000)]);
        var risk = Create(new RiskLimits { MaxPositionPerSymbol = 1_000 * Btc, MaxNotionalPerSymbol = long.MaxValue / 2, MaxTotalNotional = long.MaxValue / 2, MaxOpenOrders = 100 }, budget);
        var limit = Limit(Futures, OrderSide.Buy, Price, Btc / 100);
        var market = MarketOrder(Spot, OrderSide.Sell, Btc / 100);
        var bad = Limit(Spot, OrderSide.Buy, Price + 1, Btc / 100);
        var cancel = OrderCommand.Cancel(Futures, 1, 2, 0, 0);
        var now = Now;

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            now++;
            risk.Check(in limit, Price, now);
            risk.Check(in market, Price, now);
            risk.Check(in bad, Price, now);
            risk.Check(in cancel, 0, now);
            risk.OnFill(Futures, OrderSide.Buy, Btc / 100, Price);
            risk.OnOrderClosed(Futures, OrderSide.Buy, 0);
            risk.OnFill(Spot, OrderSide.Sell, Btc / 100, Price);
            risk.OnOrderClosed(Spot, OrderSide.Sell, 0);
        });
    }
}
