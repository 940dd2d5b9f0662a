using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Tests.Risk;

/// <summary>Each exchangeInfo filter rule (binance.md §4.3) at its boundary: exactly at the limit passes, one tick/step over fails.</summary>
[TestFixture]
public sealed class FilterRulesTests
{
    private const long Tick = 1_000_000; // 0.01
    private const long Step = 1_000;     // 0.00001

    [TestCase(2_000_000L, RiskReason.Accepted)]                // = minPrice 0.02
    [TestCase(2_000_000L - Tick, RiskReason.PriceBelowMin)]     // one tick under
    [TestCase(100_000_000_000_000L, RiskReason.Accepted)]       // = maxPrice 1,000,000
    [TestCase(100_000_000_000_000L + Tick, RiskReason.PriceAboveMax)]
    [TestCase(5_000_000_000_000L + 1, RiskReason.PriceNotOnTick)]
    public void ShouldApplySpotPriceFilter_WhenAtAndPastBounds(long price, RiskReason expected)
    {
        // Arrange: spot PRICE_FILTER min 0.02, max 1,000,000, tick 0.01 (BTCUSDT-like, [D-SXI]). Act
        var r = FilterRules.CheckPrice(price, 2_000_000, 100_000_000_000_000L, Tick, Market.Spot);

        // Assert
        Assert.That(r, Is.EqualTo(expected));
    }

    [Test]
    public void ShouldUseTheFuturesTickForm_WhenMinPriceIsOffGrid()
    {
        // Arrange: minPrice 0.05 is not a multiple of tick 0.10; spot counts from 0, futures from minPrice (binance.md §4.3).
        const long min = 5_000_000, tick = 10_000_000;

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(FilterRules.CheckPrice(15_000_000, min, 0, tick, Market.Futures), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPrice(15_000_000, min, 0, tick, Market.Spot), Is.EqualTo(RiskReason.PriceNotOnTick));
            Assert.That(FilterRules.CheckPrice(20_000_000, min, 0, tick, Market.Spot), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPrice(20_000_000, min, 0, tick, Market.Futures), Is.EqualTo(RiskReason.PriceNotOnTick));
            Assert.That(FilterRules.CheckPrice(min - 1, min, 0, tick, Market.Futures), Is.EqualTo(RiskReason.PriceBelowMin));
        });
    }

    [Test]
    public void ShouldDisableRules_WhenFieldsAreZero()
    {
        // Arrange / Act / Assert: 0 disables a rule; x % 0 is never computed (binance.md §4.3).
        Assert.Multiple(() =>
        {
            Assert.That(FilterRules.CheckPrice(123_456_789, 0, 0, 0, Market.Spot), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckLot(123_456_789, 0, 0, 0, Market.Futures, marketLotSize: true), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckNotional(1, 1, false, 0, 0, false, false), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPercentPrice(1, OrderSide.Buy, 100, 0, 0, Market.Spot), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CanOpenOrder(1_000_000, 0), Is.True);
        });
    }

    [TestCase(1_000L, RiskReason.Accepted)]           // = minQty 0.00001
    [TestCase(999L, RiskReason.QuantityBelowMin)]
    [TestCase(900_000_000_000L, RiskReason.Accepted)] // = maxQty 9000
    [TestCase(900_000_000_000L + Step, RiskReason.QuantityAboveMax)]
    [TestCase(1_000L + Step + 1, RiskReason.QuantityNotOnStep)]
    public void ShouldApplySpotLotSize_WhenAtAndPastBounds(long qty, RiskReason expected)
    {
        // Arrange: spot BTCUSDT LOT_SIZE [D-SXI]. Act
        var r = FilterRules.CheckLot(qty, 1_000, 900_000_000_000, Step, Market.Spot, marketLotSize: false);

        // Assert
        Assert.That(r, Is.EqualTo(expected));
    }

    [TestCase(500L, RiskReason.Accepted)]
    [TestCase(499L, RiskReason.MarketQuantityBelowMin)]
    [TestCase(10_000_000_000L, RiskReason.Accepted)]
    [TestCase(10_000_000_000L + 100, RiskReason.MarketQuantityAboveMax)]
    [TestCase(650L, RiskReason.MarketQuantityNotOnStep)]
    [TestCase(600L, RiskReason.Accepted)]
    public void ShouldApplyFuturesMarketLotSize_WithTheMinQtyOffsetStep(long qty, RiskReason expected)
    {
        // Arrange: futures form (qty − minQty) % step == 0, min 0.000005, step 0.000001 (binance.md §4.3). Act
        var r = FilterRules.CheckLot(qty, 500, 10_000_000_000, 100, Market.Futures, marketLotSize: true);

        // Assert
        Assert.That(r, Is.EqualTo(expected));
    }

    [Test]
    public void ShouldApplyNotionalBounds_WithTheMarketFlags()
    {
        // Arrange: spot BTCUSDT NOTIONAL min 5, max 9,000,000, applyMinToMarket true, applyMaxToMarket false [D-SXI].
        const long min = 500_000_000, max = 900_000_000_000_000;
        const long price = 2_500_000_000_000; // 25,000

        // Act / Assert: 25,000 × 0.0002 = 5 exactly; one step less is 4.75.
        Assert.Multiple(() =>
        {
            Assert.That(FilterRules.CheckNotional(price, 20_000, false, min, max, true, false), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckNotional(price, 19_000, false, min, max, true, false), Is.EqualTo(RiskReason.NotionalBelowMin));
            Assert.That(FilterRules.CheckNotional(price, 19_000, true, min, max, true, false), Is.EqualTo(RiskReason.NotionalBelowMin));
            Assert.That(FilterRules.CheckNotional(price, 19_000, true, min, max, false, false), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckNotional(price, 36_000_000_000, false, min, max, true, false), Is.EqualTo(RiskReason.Accepted)); // = 9,000,000
            Assert.That(FilterRules.CheckNotional(price, 36_000_001_000, false, min, max, true, false), Is.EqualTo(RiskReason.NotionalAboveMax));
            Assert.That(FilterRules.CheckNotional(price, 36_000_001_000, true, min, max, true, false), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckNotional(price, 36_000_001_000, true, min, max, true, true), Is.EqualTo(RiskReason.NotionalAboveMax));
        });
    }

    [Test]
    public void ShouldBoundBothSides_WhenSpotPercentPrice()
    {
        // Arrange: ref 100, up 1.05, down 0.95 → [95, 105] for either side.
        const long reference = 10_000_000_000, up = 105_000_000, down = 95_000_000;

        // Act / Assert
        Assert.Multiple(() =>
        {
            foreach (var side in new[] { OrderSide.Buy, OrderSide.Sell })
            {
                Assert.That(FilterRules.CheckPercentPrice(10_500_000_000, side, reference, up, down, Market.Spot), Is.EqualTo(RiskReason.Accepted));
                Assert.That(FilterRules.CheckPercentPrice(10_500_000_001, side, reference, up, down, Market.Spot), Is.EqualTo(RiskReason.PercentPriceAboveUp));
                Assert.That(FilterRules.CheckPercentPrice(9_500_000_000, side, reference, up, down, Market.Spot), Is.EqualTo(RiskReason.Accepted));
                Assert.That(FilterRules.CheckPercentPrice(9_499_999_999, side, reference, up, down, Market.Spot), Is.EqualTo(RiskReason.PercentPriceBelowDown));
            }
        });
    }

    [Test]
    public void ShouldBoundOnlyTheOrdersSide_WhenFuturesPercentPrice()
    {
        // Arrange: futures BUY price ≤ mark × up, SELL price ≥ mark × down (binance.md §4.3).
        const long mark = 10_000_000_000, up = 105_000_000, down = 95_000_000;

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(FilterRules.CheckPercentPrice(10_500_000_001, OrderSide.Buy, mark, up, down, Market.Futures), Is.EqualTo(RiskReason.PercentPriceAboveUp));
            Assert.That(FilterRules.CheckPercentPrice(10_500_000_001, OrderSide.Sell, mark, up, down, Market.Futures), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPercentPrice(9_499_999_999, OrderSide.Sell, mark, up, down, Market.Futures), Is.EqualTo(RiskReason.PercentPriceBelowDown));
            Assert.That(FilterRules.CheckPercentPrice(9_499_999_999, OrderSide.Buy, mark, up, down, Market.Futures), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPercentPrice(10_500_000_000, OrderSide.Buy, mark, up, down, Market.Futures), Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldUseTheSidesMultipliers_WhenPercentPriceBySide()
    {
        // Arrange: ref 100; bid [80, 110], ask [90, 120].
        const long reference = 10_000_000_000;
        const long bidUp = 110_000_000, bidDown = 80_000_000, askUp = 120_000_000, askDown = 90_000_000;

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(FilterRules.CheckPercentPriceBySide(11_000_000_000, OrderSide.Buy, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPercentPriceBySide(11_000_000_001, OrderSide.Buy, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.PercentPriceBySideAboveUp));
            Assert.That(FilterRules.CheckPercentPriceBySide(8_000_000_000, OrderSide.Buy, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPercentPriceBySide(7_999_999_999, OrderSide.Buy, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.PercentPriceBySideBelowDown));
            Assert.That(FilterRules.CheckPercentPriceBySide(12_000_000_000, OrderSide.Sell, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPercentPriceBySide(12_000_000_001, OrderSide.Sell, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.PercentPriceBySideAboveUp));
            Assert.That(FilterRules.CheckPercentPriceBySide(9_000_000_000, OrderSide.Sell, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.Accepted));
            Assert.That(FilterRules.CheckPercentPriceBySide(8_999_999_999, OrderSide.Sell, reference, bidUp, bidDown, askUp, askDown), Is.EqualTo(RiskReason.PercentPriceBySideBelowDown));
        });
    }

    [Test]
    public void ShouldAllowUpToTheLimit_WhenMaxNumOrders()
    {
        // Arrange / Act / Assert: futures BTCUSDT limit 200 → the 200th order may open, the 201st not.
        Assert.Multiple(() =>
        {
            Assert.That(FilterRules.CanOpenOrder(199, 200), Is.True);
            Assert.That(FilterRules.CanOpenOrder(200, 200), Is.False);
        });
    }

    [Test]
    public void ShouldNotOverflow_WhenProductsExceedLong()
    {
        // Arrange: maxQty 92233720368 and maxPrice 9999998955 appear in the data; their product overflows long.
        const long price = 999_999_895_500_000_000, qty = 9_223_372_036_800_000_000;

        // Act
        var r = FilterRules.CheckNotional(price, qty, false, 500_000_000, 900_000_000_000_000, true, false);

        // Assert
        Assert.That(r, Is.EqualTo(RiskReason.NotionalAboveMax));
    }
}
