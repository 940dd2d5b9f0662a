using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// exchangeInfo as a source of the session's symbols (<see cref="ExchangeInfo.Intern"/>): every listed symbol by default,
/// ids in response order, the table sized from the file, and each symbol's entry (status, filters) kept by id.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SymbolInfoTableTests
{
    [Test]
    public void ShouldInternEveryListedSymbolInResponseOrder_WhenTheTableIsSizedFromTheFile()
    {
        // Arrange: the 2023 spot response lists 2,292 symbols (1,340 TRADING, 952 BREAK): more than the default capacity.
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require("SM2A-Binance_API/exchangeInfoCompact.json"));
        var symbols = new SymbolTable(info.SymbolTableCapacity());

        // Act
        var infos = info.Intern(symbols);
        symbols.Freeze();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(symbols.Capacity, Is.EqualTo(2_292 + SymbolTable.DefaultCapacity));
            Assert.That(symbols.Count, Is.EqualTo(2_292));
            Assert.That(infos.Count, Is.EqualTo(2_292));
            Assert.That(infos.Symbols, Is.SameAs(symbols));
            Assert.That(Enumerable.Range(0, symbols.Count).Select(symbols.NameOf), Is.EqualTo(info.Symbols.Select(s => s.Symbol)), "ids in response order");
            Assert.That(Enumerable.Range(0, symbols.Count).All(id => infos.TryGet(id, out var entry) && entry.Symbol == symbols.NameOf(id)), Is.True);
            Assert.That(info.Symbols.Count(s => s.IsTrading), Is.EqualTo(1_340));
            Assert.That(infos.TryGet(8, out var breakSymbol) ? (breakSymbol.Symbol, breakSymbol.Status) : default, Is.EqualTo(("BCCBTC", "BREAK")), "BREAK symbols too");
        });
    }

    [Test]
    public void ShouldKeepFiltersById_WhenLookingUpAStreamNameAndThenItsEntry()
    {
        // Arrange
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require("SM2A-Binance_API/exchangeInfoCompact.json"));
        var symbols = new SymbolTable(info.SymbolTableCapacity());
        var infos = info.Intern(symbols);
        symbols.Freeze();

        // Act: what a receive thread and then the gateway do: stream name → id → filters.
        var found = symbols.TryGet("btcusdt"u8, out var id);
        var hasEntry = infos.TryGet(id, out var btc);

        // Assert: PRICE_FILTER tickSize 0.01 and LOT_SIZE stepSize 0.00001, in 10⁻⁸ units.
        Assert.Multiple(() =>
        {
            Assert.That(found && hasEntry, Is.True);
            Assert.That(id, Is.EqualTo(11));
            Assert.That(btc!.PriceFilter!.Value.TickSize, Is.EqualTo(1_000_000L));
            Assert.That(btc.LotSize!.Value.StepSize, Is.EqualTo(1_000L));
            Assert.That(btc.IsTrading, Is.True);
        });
    }

    [Test]
    public void ShouldInternOnlyTradingSymbols_WhenAskedTo()
    {
        // Arrange
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require("SM2A-Binance_API/exchangeInfoCompact.json"));
        var symbols = new SymbolTable(info.SymbolTableCapacity());

        // Act
        var infos = info.Intern(symbols, s => s.IsTrading);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(symbols.Count, Is.EqualTo(1_340));
            Assert.That(infos.Count, Is.EqualTo(1_340));
            Assert.That(symbols.TryGet("BCCBTC"u8, out _), Is.False);
            Assert.That(Enumerable.Range(0, symbols.Count).All(id => infos.TryGet(id, out var entry) && entry.IsTrading), Is.True);
        });
    }

    [Test]
    public void ShouldThrowFull_WhenTheDefaultCapacityIsTooSmallForTheResponse()
    {
        // Arrange: even the 1,340 TRADING symbols exceed the default 1,024.
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require("SM2A-Binance_API/exchangeInfoCompact.json"));

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => info.Intern(new SymbolTable()), Throws.InvalidOperationException.With.Message.Contains("full"));
            Assert.That(() => info.Intern(new SymbolTable(), s => s.IsTrading), Throws.InvalidOperationException.With.Message.Contains("full"));
            Assert.That(() => info.SymbolTableCapacity(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void ShouldKeepEarlierIdsAndGiveOtherIdsNoEntry_WhenOtherSourcesInternToo()
    {
        // Arrange: --symbols first (one listed, one not), then exchangeInfo, then a symbol from the data.
        var info = ExchangeInfoParser.ParseFile(RecordingData.Require("cryptofeed/sample_data/BINANCE_FUTURES.0"));
        var symbols = new SymbolTable(info.SymbolTableCapacity());
        var sushi = symbols.GetOrAdd("SUSHIUSDT");
        var unlisted = symbols.GetOrAdd("NOTLISTEDUSDT");

        // Act
        var infos = info.Intern(symbols);
        var fromData = symbols.GetOrAdd("ALSONOTLISTEDUSDT");
        symbols.Freeze();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((sushi, unlisted), Is.EqualTo((0, 1)));
            Assert.That(symbols.Count, Is.EqualTo(2 + info.Symbols.Count));
            Assert.That(infos.Count, Is.EqualTo(info.Symbols.Count));
            Assert.That(infos.TryGet(sushi, out var entry) ? entry.Symbol : null, Is.EqualTo("SUSHIUSDT"));
            Assert.That(infos.TryGet(unlisted, out _), Is.False);
            Assert.That(infos.TryGet(fromData, out _), Is.False, "an id interned after exchangeInfo");
            Assert.That(infos.TryGet(-1, out _), Is.False);
            Assert.That(() => info.Intern(symbols), Throws.InvalidOperationException.With.Message.Contains("frozen"));
        });
    }
}
