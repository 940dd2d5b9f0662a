using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// The gateway's filter checks (binance.md §4.3) on every symbol of every exchangeInfo file, at Binance's extremes
/// (maxQty up to 92233720368, maxPrice up to 9999998955), plus the spot/futures rule differences.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SymbolFilterValidatorTests
{
    public static IEnumerable<TestCaseData> FileCases() =>
        ExchangeInfoParserTests.Files.Select(f => new TestCaseData(f.Path).SetArgDisplayNames(f.Path));

    [TestCaseSource(nameof(FileCases))]
    public void ShouldAcceptBoundsAndRejectJustOutside_WhenCheckingEverySymbolAtItsExtremes(string relativePath)
    {
        // Arrange
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require(relativePath));
        var failures = new List<string>();

        // Act
        foreach (var s in info.Symbols)
        {
            var p = s.PriceFilter!.Value;
            var l = s.LotSize!.Value;
            // 0 disables a rule (futures OPENUSDT 2025 has minPrice 0 and tickSize 0 while PENDING_TRADING): fall back to 1 unit.
            var minPrice = p.MinPrice > 0 ? p.MinPrice : Math.Max(1, p.TickSize);
            var minQty = l.MinQty > 0 ? l.MinQty : Math.Max(1, l.StepSize);
            Expect(s, "min price", SymbolFilterValidator.CheckPrice(s, minPrice), FilterVerdict.Ok);
            // maxPrice itself need not be on the grid (spot EURUSDT 2021 is not): the highest valid price is the grid floor.
            var origin = s.Market == Market.Futures ? p.MinPrice : 0;
            var topPrice = p.TickSize > 0 ? origin + ((p.MaxPrice - origin) / p.TickSize * p.TickSize) : p.MaxPrice;
            Expect(s, "top price", SymbolFilterValidator.CheckPrice(s, topPrice), FilterVerdict.Ok);
            Expect(s, "above max price", SymbolFilterValidator.CheckPrice(s, p.MaxPrice + Math.Max(1, p.TickSize)), FilterVerdict.PriceAboveMax);
            if (p.MinPrice > 1)
            {
                Expect(s, "below min price", SymbolFilterValidator.CheckPrice(s, p.MinPrice - 1), FilterVerdict.PriceBelowMin);
            }

            if (p.TickSize > 1)
            {
                Expect(s, "off tick", SymbolFilterValidator.CheckPrice(s, minPrice + p.TickSize + 1), FilterVerdict.PriceNotOnTick);
                Expect(s, "one tick up", SymbolFilterValidator.CheckPrice(s, minPrice + p.TickSize), FilterVerdict.Ok);
            }

            Expect(s, "min qty", SymbolFilterValidator.CheckQuantity(s, minQty, isMarket: false), FilterVerdict.Ok);
            var qtyOrigin = s.Market == Market.Futures ? l.MinQty : 0;
            var topQty = l.StepSize > 0 ? qtyOrigin + ((l.MaxQty - qtyOrigin) / l.StepSize * l.StepSize) : l.MaxQty;
            Expect(s, "top qty", SymbolFilterValidator.CheckQuantity(s, topQty, isMarket: false), FilterVerdict.Ok);
            if (l.MaxQty <= long.MaxValue - l.StepSize)
            {
                Expect(s, "above max qty", SymbolFilterValidator.CheckQuantity(s, l.MaxQty + Math.Max(1, l.StepSize), isMarket: false), FilterVerdict.QuantityAboveMax);
            }

            if (l.StepSize > 1)
            {
                Expect(s, "off step", SymbolFilterValidator.CheckQuantity(s, minQty + 1, isMarket: false), FilterVerdict.QuantityNotOnStep);
            }

            // Notional at the extremes cannot overflow: maxPrice × maxQty is computed in Int128.
            var top = SymbolFilterValidator.CheckNotional(s, topPrice, topQty, isMarket: false);
            var expectedTop = s.Notional is { MaxNotional: > 0 } n && (Int128)topPrice * topQty > (Int128)n.MaxNotional * FixedPoint.Scale
                ? FilterVerdict.NotionalAboveMax
                : FilterVerdict.Ok;
            Expect(s, "max price x max qty", top, expectedTop);
            var minimum = s.Notional?.MinNotional ?? s.MinNotional?.MinNotional ?? 0;
            if (minimum > 0 && (Int128)minPrice * minQty < (Int128)minimum * FixedPoint.Scale)
            {
                Expect(s, "min price x min qty", SymbolFilterValidator.CheckNotional(s, minPrice, minQty, isMarket: false), FilterVerdict.NotionalBelowMin);
            }
        }

        // Assert
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(20)));

        void Expect(SymbolInfo s, string what, FilterVerdict actual, FilterVerdict expected)
        {
            if (actual != expected)
            {
                failures.Add($"{s.Symbol} {what}: {actual}, expected {expected}");
            }
        }
    }

    [Test]
    public void ShouldUseSpotTickRule_WhenMinPriceIsNotOnTick()
    {
        // Arrange: spot price % tickSize == 0 since 2022-02-24 [S-FLT] [S-CL]; futures (price - minPrice) % tickSize [F-CD].
        var spot = Symbol(Market.Spot, new PriceFilter(MinPrice: 5_000_000, MaxPrice: 0, TickSize: 10_000_000));
        var futures = Symbol(Market.Futures, new PriceFilter(MinPrice: 5_000_000, MaxPrice: 0, TickSize: 10_000_000));

        // Act + Assert: 0.15 = 0.05 + 0.10 is on the futures grid only; 0.20 on the spot grid only.
        Assert.Multiple(() =>
        {
            Assert.That(SymbolFilterValidator.CheckPrice(spot, 15_000_000), Is.EqualTo(FilterVerdict.PriceNotOnTick));
            Assert.That(SymbolFilterValidator.CheckPrice(spot, 20_000_000), Is.EqualTo(FilterVerdict.Ok));
            Assert.That(SymbolFilterValidator.CheckPrice(futures, 15_000_000), Is.EqualTo(FilterVerdict.Ok));
            Assert.That(SymbolFilterValidator.CheckPrice(futures, 20_000_000), Is.EqualTo(FilterVerdict.PriceNotOnTick));
        });
    }

    [Test]
    public void ShouldApplyMarketLotSizeAndSkipZeroStep_WhenOrderIsMarket()
    {
        // Arrange: spot BTCUSDT 2023: LOT_SIZE step 0.00001, MARKET_LOT_SIZE step 0 (disabled), maxQty 109.8 [D-SXI]-like.
        var s = new SymbolInfo
        {
            Symbol = "T", Market = Market.Spot, Status = "TRADING", BaseAsset = "B", QuoteAsset = "Q",
            LotSize = new LotSizeFilter(1_000, 900_000_000_000, 1_000),
            MarketLotSize = new LotSizeFilter(0, 10_980_000_000, 0),
        };

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(SymbolFilterValidator.CheckQuantity(s, 20_000_000_000, isMarket: false), Is.EqualTo(FilterVerdict.Ok));
            Assert.That(SymbolFilterValidator.CheckQuantity(s, 20_000_000_000, isMarket: true), Is.EqualTo(FilterVerdict.QuantityAboveMax));
            Assert.That(SymbolFilterValidator.CheckQuantity(s, 0, isMarket: true), Is.EqualTo(FilterVerdict.NotPositive));
        });
    }

    [Test]
    public void ShouldHonourApplyToMarketFlags_WhenCheckingNotional()
    {
        // Arrange: NOTIONAL min 5, max 9,000,000, applyMinToMarket true, applyMaxToMarket false [D-SXI].
        var s = new SymbolInfo
        {
            Symbol = "T", Market = Market.Spot, Status = "TRADING", BaseAsset = "B", QuoteAsset = "Q",
            Notional = new NotionalFilter(500_000_000, 900_000_000_000_000, true, false, 5),
        };
        const long price = 10_000_000_000_000; // 100,000
        const long bigQty = 10_000_000_000;    // 100 → notional 10,000,000 > max

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(SymbolFilterValidator.CheckNotional(s, price, bigQty, isMarket: false), Is.EqualTo(FilterVerdict.NotionalAboveMax));
            Assert.That(SymbolFilterValidator.CheckNotional(s, price, bigQty, isMarket: true), Is.EqualTo(FilterVerdict.Ok));
            Assert.That(SymbolFilterValidator.CheckNotional(s, price, 1_000, isMarket: true), Is.EqualTo(FilterVerdict.NotionalBelowMin), "1 × 0.00001 = 1 < 5");
        });
    }

    [Test]
    public void ShouldBoundOnlyTheOrderSide_WhenFuturesPercentPrice()
    {
        // Arrange: futures PERCENT_PRICE up 1.05, down 0.95 against the mark price [F-CD]; mark 100.
        var s = new SymbolInfo
        {
            Symbol = "T", Market = Market.Futures, Status = "TRADING", BaseAsset = "B", QuoteAsset = "Q",
            PercentPrice = new PercentPriceFilter(105_000_000, 95_000_000, 0, 4),
        };
        const long mark = 10_000_000_000;

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 10_500_000_000, BookSide.Bid, mark), Is.EqualTo(FilterVerdict.Ok));
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 10_500_000_001, BookSide.Bid, mark), Is.EqualTo(FilterVerdict.PriceAboveMultiplierUp));
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 1_000_000_000, BookSide.Bid, mark), Is.EqualTo(FilterVerdict.Ok), "BUY has no lower bound");
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 9_499_999_999, BookSide.Ask, mark), Is.EqualTo(FilterVerdict.PriceBelowMultiplierDown));
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 99_000_000_000, BookSide.Ask, mark), Is.EqualTo(FilterVerdict.Ok), "SELL has no upper bound");
        });
    }

    [Test]
    public void ShouldUseSideMultipliers_WhenSpotPercentPriceBySide()
    {
        // Arrange: bid [0.2, 5], ask [0.5, 2] around an average of 100.
        var s = new SymbolInfo
        {
            Symbol = "T", Market = Market.Spot, Status = "TRADING", BaseAsset = "B", QuoteAsset = "Q",
            PercentPriceBySide = new PercentPriceBySideFilter(500_000_000, 20_000_000, 200_000_000, 50_000_000, 5),
        };
        const long avg = 10_000_000_000;

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 40_000_000_000, BookSide.Bid, avg), Is.EqualTo(FilterVerdict.Ok));
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 40_000_000_000, BookSide.Ask, avg), Is.EqualTo(FilterVerdict.PriceAboveMultiplierUp));
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 3_000_000_000, BookSide.Bid, avg), Is.EqualTo(FilterVerdict.Ok));
            Assert.That(SymbolFilterValidator.CheckPercentPrice(s, 3_000_000_000, BookSide.Ask, avg), Is.EqualTo(FilterVerdict.PriceBelowMultiplierDown));
        });
    }

    [Test]
    public void ShouldRefuseOrderAtLimit_WhenMaxNumOrdersReached()
    {
        // Arrange
        var s = new SymbolInfo { Symbol = "T", Market = Market.Futures, Status = "TRADING", BaseAsset = "B", QuoteAsset = "Q", MaxNumOrders = 200 };

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(SymbolFilterValidator.CanOpenOrder(s, 199), Is.True);
            Assert.That(SymbolFilterValidator.CanOpenOrder(s, 200), Is.False);
            Assert.That(SymbolFilterValidator.CanOpenOrder(Unlimited(), 10_000), Is.True, "limit 0 (futures XMRUSDT 2025) is no limit");
        });

        static SymbolInfo Unlimited() => new() { Symbol = "U", Market = Market.Futures, Status = "TRADING", BaseAsset = "B", QuoteAsset = "Q", MaxNumOrders = 0 };
    }

    [Test]
    public void ShouldNotAllocate_WhenCheckingAnOrder()
    {
        // Arrange
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require("AlphaDogsResearch-Coinbase-Python/futures_exchange_info.json"));
        info.TryGetSymbol("BTCUSDT", out var s);

        // Act + Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            SymbolFilterValidator.CheckPrice(s, 6_000_000_000_000);
            SymbolFilterValidator.CheckQuantity(s, 100_000, isMarket: false);
            SymbolFilterValidator.CheckNotional(s, 6_000_000_000_000, 100_000, isMarket: false);
            SymbolFilterValidator.CheckPercentPrice(s, 6_000_000_000_000, BookSide.Bid, 6_000_000_000_000);
        });
    }

    private static SymbolInfo Symbol(Market market, PriceFilter price) =>
        new() { Symbol = "T", Market = market, Status = "TRADING", BaseAsset = "B", QuoteAsset = "Q", PriceFilter = price };
}
