using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>exchangeInfo parsing on every response in <c>shared/data/binance</c> (PROVENANCE §3, §6), three generations.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ExchangeInfoParserTests
{
    internal static readonly (string Path, Market Market, int Symbols)[] Files =
    [
        ("SM2A-Binance_API/exchangeInfo.json", Market.Spot, 2124),
        ("SM2A-Binance_API/exchangeInfoCompact.json", Market.Spot, 2292),
        ("AlphaDogsResearch-Coinbase-Python/futures_exchange_info.json", Market.Futures, 647),
        ("cryptofeed/sample_data/BINANCE.0", Market.Spot, 1695),
        ("cryptofeed/sample_data/BINANCE_US.0", Market.Spot, 121),
        ("cryptofeed/sample_data/BINANCE_FUTURES.0", Market.Futures, 122),
        ("cryptofeed/sample_data/BINANCE_DELIVERY.0", Market.Futures, 36),
    ];

    public static IEnumerable<TestCaseData> FileCases() =>
        Files.Select(f => new TestCaseData(f.Path, f.Market, f.Symbols).SetArgDisplayNames(f.Path));

    [TestCaseSource(nameof(FileCases))]
    public void ShouldParseEverySymbolWithPriceAndLotFilters_WhenReadingExchangeInfoFile(string relativePath, Market market, int symbolCount)
    {
        // Arrange
        var path = RecordingData.Require(relativePath);

        // Act
        var info = ExchangeInfoParser.ParseFile(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(info.Market, Is.EqualTo(market));
            Assert.That(info.Symbols, Has.Count.EqualTo(symbolCount));
            Assert.That(info.ServerTimeMs, Is.GreaterThan(1_600_000_000_000L));
            Assert.That(info.RateLimits.Select(r => r.RateLimitType), Does.Contain("REQUEST_WEIGHT"));
            Assert.That(info.Symbols.All(s => s.PriceFilter is not null && s.LotSize is not null), Is.True, "PRICE_FILTER and LOT_SIZE on every symbol");
            Assert.That(info.Symbols.All(s => s.BaseAsset.Length > 0 && s.QuoteAsset.Length > 0 && s.Status.Length > 0), Is.True);
            Assert.That(info.Symbols.All(s => s.MaxNumOrders >= 0), Is.True, "MAX_NUM_ORDERS on every symbol (0 on some 2025 futures)");
        });
    }

    [Test]
    public void ShouldReadSpot2023FiltersExactly_WhenParsingBtcusdtOfCompactFile()
    {
        // Arrange: binance.md §4.3 quotes BTCUSDT's blocks [D-SXI].
        var path = RecordingData.Require("SM2A-Binance_API/exchangeInfoCompact.json");

        // Act
        var info = ExchangeInfoParser.ParseFile(path);

        // Assert
        Assert.That(info.TryGetSymbol("BTCUSDT", out var s), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(s.Status, Is.EqualTo("TRADING"));
            Assert.That(s.BaseAsset, Is.EqualTo("BTC"));
            Assert.That(s.QuoteAsset, Is.EqualTo("USDT"));
            Assert.That(s.PriceFilter, Is.EqualTo(new PriceFilter(1_000_000, 100_000_000_000_000, 1_000_000)));
            Assert.That(s.LotSize, Is.EqualTo(new LotSizeFilter(1_000, 900_000_000_000, 1_000)));
            Assert.That(s.MarketLotSize!.Value.StepSize, Is.Zero, "MARKET_LOT_SIZE stepSize 0.00000000");
            Assert.That(s.Notional, Is.EqualTo(new NotionalFilter(500_000_000, 900_000_000_000_000, true, false, 5)));
            Assert.That(s.MinNotional, Is.Null, "no legacy MIN_NOTIONAL in 2023");
            Assert.That(s.PercentPriceBySide, Is.EqualTo(new PercentPriceBySideFilter(500_000_000, 20_000_000, 500_000_000, 20_000_000, 5)));
            Assert.That(info.RateLimits, Does.Contain(new RateLimit("REQUEST_WEIGHT", "MINUTE", 1, 6000)));
            Assert.That(info.RateLimits, Does.Contain(new RateLimit("ORDERS", "DAY", 1, 160000)));
        });
    }

    [Test]
    public void ShouldReadFuturesFiltersExactly_WhenParsingBtcusdtOf2025File()
    {
        // Arrange: binance.md §4.3 quotes BTCUSDT's blocks [D-FXI].
        var path = RecordingData.Require("AlphaDogsResearch-Coinbase-Python/futures_exchange_info.json");

        // Act
        var info = ExchangeInfoParser.ParseFile(path);

        // Assert
        Assert.That(info.TryGetSymbol("BTCUSDT", out var s), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(s.Market, Is.EqualTo(Market.Futures));
            Assert.That(s.ContractType, Is.EqualTo("PERPETUAL"));
            Assert.That(s.PriceFilter, Is.EqualTo(new PriceFilter(26_110_000_000, 80_948_400_000_000, 10_000_000)));
            Assert.That(s.LotSize, Is.EqualTo(new LotSizeFilter(100_000, 100_000_000_000, 100_000)));
            Assert.That(s.MinNotional, Is.EqualTo(new NotionalFilter(10_000_000_000, 0, true, false, 0)));
            Assert.That(s.PercentPrice, Is.EqualTo(new PercentPriceFilter(105_000_000, 95_000_000, 0, 4)));
            Assert.That(s.MaxNumOrders, Is.EqualTo(10000));
            Assert.That(info.RateLimits, Does.Contain(new RateLimit("REQUEST_WEIGHT", "MINUTE", 1, 6000)));
            Assert.That(info.RateLimits, Does.Contain(new RateLimit("ORDERS", "SECOND", 10, 300)));
        });
    }

    [Test]
    public void ShouldReadLegacyMinNotionalAndPercentPrice_WhenParsing2022SpotFile()
    {
        // Arrange
        var path = RecordingData.Require("SM2A-Binance_API/exchangeInfo.json");

        // Act
        var info = ExchangeInfoParser.ParseFile(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(info.Symbols.All(s => s.MinNotional is not null && s.PercentPrice is not null), Is.True);
            Assert.That(info.Symbols.All(s => s.Notional is null), Is.True);
            Assert.That(info.Symbols.Max(s => s.LotSize!.Value.MaxQty), Is.EqualTo(9_223_372_036_800_000_000L), "maxQty 92233720368.0");
        });
    }

    [Test]
    public void ShouldReadContractStatus_WhenParsingCoinMFile()
    {
        // Arrange
        var path = RecordingData.Require("cryptofeed/sample_data/BINANCE_DELIVERY.0");

        // Act
        var info = ExchangeInfoParser.ParseFile(path);

        // Assert
        Assert.That(info.TryGetSymbol("BTCUSD_PERP", out var s), Is.True);
        Assert.That(s.Status, Is.EqualTo("TRADING"));
    }

    [Test]
    public void ShouldInternSymbolsAndMapStreamNamesWithoutAdding_WhenTableSeededFromExchangeInfo()
    {
        // Arrange
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require("cryptofeed/sample_data/BINANCE_FUTURES.0"));
        var table = new SymbolTable();

        // Act
        var byId = info.Intern(table, s => s.IsTrading);
        var found = table.TryGet("sushiusdt"u8, out var lower);
        table.TryGet("SUSHIUSDT"u8, out var upper);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(table.Count, Is.EqualTo(info.Symbols.Count(s => s.IsTrading)));
            Assert.That(found, Is.True);
            Assert.That(lower, Is.EqualTo(upper));
            Assert.That(byId.TryGet(lower, out var sushi) ? sushi.Symbol : null, Is.EqualTo("SUSHIUSDT"));
        });
    }

    [Test]
    public void ShouldThrowInvalidData_WhenDecimalHasNineDecimals()
    {
        // Arrange
        var json = """{"serverTime":1,"rateLimits":[],"symbols":[{"symbol":"X","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[{"filterType":"PRICE_FILTER","minPrice":"0.000000001","maxPrice":"1","tickSize":"0.1"}]}]}"""u8.ToArray();

        // Act + Assert
        Assert.Throws<InvalidDataException>(() => ExchangeInfoParser.Parse(json));
    }
}
