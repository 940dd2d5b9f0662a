using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// <see cref="SymbolInfo.ToInstrumentRules"/> and <see cref="RateLimit.ToRule"/>: the engine-neutral risk description of every
/// symbol of every exchangeInfo file decides as the adapter's validator does (both call <see cref="FilterRules"/>).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class InstrumentRulesConversionTests
{
    public static IEnumerable<TestCaseData> FileCases() =>
        ExchangeInfoParserTests.Files.Select(f => new TestCaseData(f.Path).SetArgDisplayNames(f.Path));

    [TestCaseSource(nameof(FileCases))]
    public void ShouldDecideAsTheValidator_WhenConvertedFromEverySymbol(string relativePath)
    {
        // Arrange
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require(relativePath));
        var disagreements = new List<string>();

        // Act
        foreach (var s in info.Symbols)
        {
            var rules = s.ToInstrumentRules();
            var p = s.PriceFilter ?? default;
            var l = s.LotSize ?? default;
            var tick = Math.Max(p.TickSize, 1);
            var step = Math.Max(l.StepSize, 1);
            var basePrice = Math.Max(p.MinPrice, tick);
            var baseQty = Math.Max(l.MinQty, step);
            foreach (var price in new[] { basePrice, basePrice + tick, basePrice + 1, p.MaxPrice > 0 ? p.MaxPrice : basePrice * 1000, p.MaxPrice + tick }.Where(x => x > 0)) // overflowed probes (maxQty near long.MaxValue / 10⁸) are dropped
            {
                foreach (var qty in new[] { baseQty, baseQty + step, baseQty + 1, l.MaxQty > 0 ? l.MaxQty : baseQty * 1000, l.MaxQty + step, baseQty * 1000 }.Where(x => x > 0))
                {
                    foreach (var side in new[] { OrderSide.Buy, OrderSide.Sell })
                    {
                        var reference = basePrice + (10 * tick);
                        var engine = SymbolFilterValidator.ToVerdict(FilterRules.CheckOrder(rules, side, isMarket: false, price, qty, reference));
                        var adapter = First(
                            SymbolFilterValidator.CheckPrice(s, price),
                            SymbolFilterValidator.CheckQuantity(s, qty, isMarket: false),
                            SymbolFilterValidator.CheckNotional(s, price, qty, isMarket: false),
                            SymbolFilterValidator.CheckPercentPrice(s, price, side == OrderSide.Buy ? BookSide.Bid : BookSide.Ask, reference));
                        if (engine != adapter)
                        {
                            disagreements.Add($"{s.Symbol} {side} {price}@{qty}: engine {engine}, adapter {adapter}");
                        }
                    }
                }
            }

            if (rules.Market != s.Market || rules.MaxNumOrders != (s.MaxNumOrders ?? 0) || rules.MarketMaxQty != (s.MarketLotSize?.MaxQty ?? 0))
            {
                disagreements.Add($"{s.Symbol}: fields differ");
            }
        }

        // Assert
        Assert.That(disagreements, Is.Empty);
    }

    [Test]
    public void ShouldMapSpotRateLimits_AndSkipRawRequests()
    {
        // Arrange: the spot exchangeInfo example (binance.md §4.4).
        RateLimit[] limits =
        [
            new("REQUEST_WEIGHT", "MINUTE", 1, 6000),
            new("ORDERS", "SECOND", 10, 50),
            new("ORDERS", "DAY", 1, 160000),
            new("RAW_REQUESTS", "MINUTE", 5, 61000),
            new("ORDERS", "FORTNIGHT", 1, 5),
        ];

        // Act
        var rules = limits.Select(l => l.ToRule()).ToArray();

        // Assert
        Assert.That(rules, Is.EqualTo(new RateLimitRule?[]
        {
            new RateLimitRule(RateLimitKind.RequestWeight, 60_000, 6000),
            new RateLimitRule(RateLimitKind.Orders, 10_000, 50),
            new RateLimitRule(RateLimitKind.Orders, 86_400_000, 160000),
            null,
            null,
        }));
    }

    [Test]
    public void ShouldCarryTheNotionalFlags_WhenConvertingSpotNotional()
    {
        // Arrange: spot BTCUSDT NOTIONAL [D-SXI].
        var s = new SymbolInfo
        {
            Symbol = "BTCUSDT", Market = Market.Spot, Status = "TRADING", BaseAsset = "BTC", QuoteAsset = "USDT",
            Notional = new NotionalFilter(500_000_000, 900_000_000_000_000, ApplyMinToMarket: true, ApplyMaxToMarket: false, AvgPriceMins: 5),
            PercentPriceBySide = new PercentPriceBySideFilter(500_000_000, 20_000_000, 500_000_000, 20_000_000, 5),
            MarketLotSize = new LotSizeFilter(0, 8_440_000_000, 0),
        };

        // Act
        var r = s.ToInstrumentRules();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(r.MinNotional, Is.EqualTo(500_000_000));
            Assert.That(r.MaxNotional, Is.EqualTo(900_000_000_000_000));
            Assert.That(r.ApplyMinToMarket, Is.True);
            Assert.That(r.ApplyMaxToMarket, Is.False);
            Assert.That(r.AvgPriceMins, Is.EqualTo(5));
            Assert.That(r.BidMultiplierUp, Is.EqualTo(500_000_000));
            Assert.That(r.AskMultiplierDown, Is.EqualTo(20_000_000));
            Assert.That(r.MarketMaxQty, Is.EqualTo(8_440_000_000));
            Assert.That(r.HasPercentPrice, Is.True);
        });
    }

    private static FilterVerdict First(params FilterVerdict[] verdicts) => verdicts.FirstOrDefault(v => v != FilterVerdict.Ok);
}
