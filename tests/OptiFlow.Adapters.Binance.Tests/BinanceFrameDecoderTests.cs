using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests;

[TestFixture]
public sealed class BinanceFrameDecoderTests
{
    // Real frames (binance.md §2.4–2.7, PROVENANCE §1).
    private const string FuturesBookTicker = """{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256313}}""";
    private const string SpotBookTicker = """{"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}""";
    private const string SpotDepth = """{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161276318,"s":"BTCUSDT","U":50093247956,"u":50093247956,"b":[["61828.09000000","3.61811000"]],"a":[]}}""";
    private const string FuturesDepth = """{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161600370,"T":1723161600319,"s":"BTCUSDT","U":5123134944963,"u":5123134944963,"pu":5123134735497,"b":[["5000.00","2.321"]],"a":[["61800.30","0.5"],["61801.00","0"]]}}""";
    private const string FuturesTrade = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161256322,"T":1723161256322,"s":"BTCUSDT","t":5266583935,"p":"61800.30","q":"0.006","X":"MARKET","m":false}}""";
    private const string SpotTrade2023 = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1680652800000,"s":"BTCUSDT","t":3071245454,"p":"28165.47000000","q":"0.00056000","b":20720542158,"a":20720542592,"T":1680652799999,"m":true,"M":true}}""";
    private const string FuturesAggTrade = """{"stream":"ctkusdt@aggTrade","data":{"e":"aggTrade","E":1626992741575,"a":16599292,"s":"CTKUSDT","p":"1.01100","q":"10","f":23961322,"l":23961322,"T":1626992741421,"m":false}}""";
    private const string SpacedSnapshot = """{"lastUpdateId": 2710246765483, "E": 1680652700590, "T": 1680652700580, "bids": [["28145.10", "3.818"], ["28145.00", "0.413"]], "asks": [["28145.20", "1.5"]]}""";
    private const string CoinMSnapshot = """{"lastUpdateId":1007198635033,"E":1723161257835,"T":1723161257823,"symbol":"BTCUSD_PERP","pair":"BTCUSD","bids":[["61804.7","35"]],"asks":[["61805.0","12"]]}""";
    private const string MarkPrice = """{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1680652800000,"s":"BTCUSDT","p":"28166.23814710","P":"28160.1","i":"28170.0","r":"0.00010000","T":1680681600000}}""";
    private const string Kline = """{"stream":"nknusdt@kline_1m","data":{"e":"kline","E":1633998523963,"s":"NKNUSDT","k":{"t":1633998480000,"T":1633998539999,"s":"NKNUSDT","i":"1m","o":"0.35","x":false}}}""";

    private SymbolTable _symbols = null!;
    private DepthLevelBuffer _levels = null!;

    public static IEnumerable<TestCaseData> RealFrames()
    {
        yield return new TestCaseData(FuturesBookTicker, Market.Futures).SetArgDisplayNames("futures bookTicker");
        yield return new TestCaseData(SpotBookTicker, Market.Spot).SetArgDisplayNames("spot bookTicker");
        yield return new TestCaseData(SpotDepth, Market.Spot).SetArgDisplayNames("spot depth");
        yield return new TestCaseData(FuturesDepth, Market.Futures).SetArgDisplayNames("futures depth");
        yield return new TestCaseData(FuturesTrade, Market.Futures).SetArgDisplayNames("futures trade");
        yield return new TestCaseData(SpotTrade2023, Market.Spot).SetArgDisplayNames("spot trade 2023");
        yield return new TestCaseData(FuturesAggTrade, Market.Futures).SetArgDisplayNames("aggTrade");
        yield return new TestCaseData(SpacedSnapshot, Market.Futures).SetArgDisplayNames("spaced snapshot");
        yield return new TestCaseData(CoinMSnapshot, Market.Futures).SetArgDisplayNames("COIN-M snapshot");
    }

    [SetUp]
    public void SetUp()
    {
        _symbols = FrozenSymbols.Inline();
        _levels = new DepthLevelBuffer(4);
    }

    [Test]
    public void ShouldDecodeBookTicker_WhenFuturesFrame()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, FuturesBookTicker, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.BookTicker));
            Assert.That(slot.Flags, Is.EqualTo(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage));
            Assert.That(slot.Market, Is.EqualTo(Market.Futures));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("BTCUSDT"));
            Assert.That(slot.FinalUpdateId, Is.EqualTo(5123107839020));
            Assert.That(slot.BidPrice, Is.EqualTo(6_180_020_000_000));
            Assert.That(slot.BidQuantity, Is.EqualTo(250_700_000));
            Assert.That(slot.AskPrice, Is.EqualTo(6_180_030_000_000));
            Assert.That(slot.AskQuantity, Is.EqualTo(251_000_000));
            Assert.That(slot.EventTimeMs, Is.EqualTo(1723161256313));
            Assert.That(slot.TransactionTimeMs, Is.EqualTo(1723161256313));
            Assert.That(_levels.Count, Is.Zero);
        });
    }

    [Test]
    public void ShouldDecodeBookTicker_WhenSpotFrameHasNoEventType()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, SpotBookTicker, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.BookTicker));
            Assert.That(slot.FinalUpdateId, Is.EqualTo(50093239212));
            Assert.That(slot.BidPrice, Is.EqualTo(6_183_763_000_000));
            Assert.That(slot.AskQuantity, Is.EqualTo(154_698_000));
            Assert.That(slot.EventTimeMs, Is.Zero);
            Assert.That(slot.TransactionTimeMs, Is.Zero);
        });
    }

    [Test]
    public void ShouldDecodeBookTicker_WhenDataComesBeforeStream()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var frame = """{"data":{"u":7,"s":"ETHUSDT","b":"1.5","B":"2","a":"1.6","A":"3"},"stream":"ethusdt@bookTicker"}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.BookTicker));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("ETHUSDT"));
            Assert.That(slot.AskPrice, Is.EqualTo(160_000_000));
        });
    }

    [Test]
    public void ShouldWriteHeaderAndLevels_WhenFuturesDepthUpdate()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, FuturesDepth, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.DepthLevel));
            Assert.That(slot.Flags, Is.EqualTo(MarketEventFlags.HasPreviousFinalUpdateId));
            Assert.That(slot.FirstUpdateId, Is.EqualTo(5123134944963));
            Assert.That(slot.FinalUpdateId, Is.EqualTo(5123134944963));
            Assert.That(slot.PreviousFinalUpdateId, Is.EqualTo(5123134735497));
            Assert.That(slot.EventTimeMs, Is.EqualTo(1723161600370));
            Assert.That(slot.TransactionTimeMs, Is.EqualTo(1723161600319));
            Assert.That(slot.LevelCount, Is.EqualTo(3));
            Assert.That(_levels.Prices.ToArray(), Is.EqualTo(new long[] { 500_000_000_000, 6_180_030_000_000, 6_180_100_000_000 }));
            Assert.That(_levels.Quantities.ToArray(), Is.EqualTo(new long[] { 232_100_000, 50_000_000, 0 }));
            Assert.That(_levels.Sides.ToArray(), Is.EqualTo(new[] { BookSide.Bid, BookSide.Ask, BookSide.Ask }));
        });
    }

    [Test]
    public void ShouldPutBidsFirst_WhenAsksComeFirstOnTheWire()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var frame = """{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"a":[["3","1"],["4","1"],["5","1"]],"b":[["2","1"],["1","1"]]}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(_levels.Prices.ToArray(), Is.EqualTo(new long[] { 2, 1, 3, 4, 5 }.Select(p => p * FixedPoint.Scale).ToArray()));
            Assert.That(_levels.Sides.ToArray(), Is.EqualTo(new[] { BookSide.Bid, BookSide.Bid, BookSide.Ask, BookSide.Ask, BookSide.Ask }));
        });
    }

    [Test]
    public void ShouldReturnLevelsWithZeroCount_WhenDiffIsEmpty()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var frame = """{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":10,"u":12,"b":[],"a":[ ]}}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(slot.LevelCount, Is.Zero);
            Assert.That(slot.FinalUpdateId, Is.EqualTo(12));
            Assert.That(slot.Flags, Is.EqualTo(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage));
            Assert.That(_levels.Count, Is.Zero);
        });
    }

    [Test]
    public void ShouldNotSetPreviousFinalUpdateId_WhenSpotDiffHasNoPu()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, SpotDepth, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(slot.Flags & MarketEventFlags.HasPreviousFinalUpdateId, Is.EqualTo(MarketEventFlags.None));
            Assert.That(slot.PreviousFinalUpdateId, Is.Zero);
            Assert.That(slot.LevelCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldReportMissingField_WhenFuturesDiffHasNoPu()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, SpotDepth, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.MissingField);
    }

    [Test]
    public void ShouldDecodeTrade_WhenFuturesTradeCarriesExecutionType()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, FuturesTrade, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.Trade));
            Assert.That(slot.TradeId, Is.EqualTo(5266583935));
            Assert.That(slot.Price, Is.EqualTo(6_180_030_000_000));
            Assert.That(slot.Quantity, Is.EqualTo(600_000));
            Assert.That(slot.Flags, Is.EqualTo(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage));
            Assert.That(decoder.UnknownFieldsSkipped, Is.Zero);
        });
    }

    [Test]
    public void ShouldSkipOrderIds_WhenSpotTradeFrom2023CarriesIntegerBAndA()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, SpotTrade2023, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.Trade));
            Assert.That(slot.TradeId, Is.EqualTo(3071245454));
            Assert.That(slot.Price, Is.EqualTo(2_816_547_000_000));
            Assert.That(slot.Flags & MarketEventFlags.BuyerIsMaker, Is.EqualTo(MarketEventFlags.BuyerIsMaker));
            Assert.That(slot.EventTimeMs, Is.EqualTo(1680652800000));
            Assert.That(slot.TransactionTimeMs, Is.EqualTo(1680652799999));
            Assert.That(slot.AskPrice, Is.Zero, "the seller order id is not a price");
            Assert.That(_levels.Count, Is.Zero);
        });
    }

    [Test]
    public void ShouldDecodeAggTrade_WhenAIsTheAggregateId()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, FuturesAggTrade, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.AggTrade));
            Assert.That(slot.TradeId, Is.EqualTo(16599292));
            Assert.That(slot.FirstTradeId, Is.EqualTo(23961322));
            Assert.That(slot.LastTradeId, Is.EqualTo(23961322));
            Assert.That(slot.Price, Is.EqualTo(101_100_000));
            Assert.That(slot.Quantity, Is.EqualTo(1_000_000_000));
            Assert.That(slot.Flags & MarketEventFlags.BuyerIsMaker, Is.EqualTo(MarketEventFlags.None));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("CTKUSDT"));
        });
    }

    [Test]
    public void ShouldDecodeSnapshotWithHint_WhenBareSnapshotHasSpacesAndNoSymbol()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var hint = FrozenSymbols.IdOf(_symbols, "BTCUSDT");
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(SpacedSnapshot), ref slot, _levels, hint);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.SnapshotLevel));
            Assert.That(slot.SymbolId, Is.EqualTo(hint));
            Assert.That(slot.FinalUpdateId, Is.EqualTo(2710246765483));
            Assert.That(slot.EventTimeMs, Is.EqualTo(1680652700590));
            Assert.That(slot.LevelCount, Is.EqualTo(3));
            Assert.That(_levels.Prices[0], Is.EqualTo(2_814_510_000_000));
            Assert.That(_levels.Sides[2], Is.EqualTo(BookSide.Ask));
        });
    }

    [Test]
    public void ShouldUseSymbolField_WhenCoinMSnapshotCarriesSymbol()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(CoinMSnapshot), ref slot, _levels, symbolHint: -1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("BTCUSD_PERP"));
            Assert.That(slot.LevelCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void ShouldReportUnknownSnapshotSymbol_WhenNoSymbolFieldAndNoHint()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(SpacedSnapshot), ref slot, _levels, symbolHint: -1);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.UnknownSnapshotSymbol);
    }

    [TestCaseSource(nameof(RealFrames))]
    public void ShouldReportTruncated_WhenRealFrameIsCutAtAnyPosition(string text, Market market)
    {
        // Arrange
        var bytes = Encoding.UTF8.GetBytes(text);
        var decoder = new BinanceFrameDecoder(market, _symbols);
        var reference = new ReferenceDecoder(market, new SymbolTable());
        var slot = default(MarketEvent);
        var failures = new List<string>();

        // Act
        for (var length = 0; length < bytes.Length; length++)
        {
            var outcome = decoder.Decode(bytes.AsSpan(0, length), ref slot, _levels, symbolHint: 0);
            var expected = reference.Decode(bytes.AsSpan(0, length), symbolHint: 0);
            if (outcome != FrameOutcome.Error || decoder.LastError != DecodeErrorCode.Truncated || expected.Outcome != FrameOutcome.Error)
            {
                failures.Add($"length {length}: {outcome} {decoder.LastError}, reference {expected.Outcome}");
            }
        }

        // Assert
        Assert.That(failures, Is.Empty);
    }

    [TestCaseSource(nameof(RealFrames))]
    public void ShouldMatchReference_WhenRealFrameIsComplete(string text, Market market)
    {
        // Arrange
        var bytes = Encoding.UTF8.GetBytes(text);
        var decoder = new BinanceFrameDecoder(market, _symbols);
        var referenceSymbols = new SymbolTable();
        var reference = new ReferenceDecoder(market, referenceSymbols);
        Assert.That(FrozenSymbols.IdOf(_symbols, "BTCUSDT"), Is.Zero, "symbol id 0, the hint for the bare snapshots");
        referenceSymbols.GetOrAdd("BTCUSDT");
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(bytes, ref slot, _levels, symbolHint: 0);
        var expected = reference.Decode(bytes, symbolHint: 0);

        // Assert
        Assert.That(outcome, Is.AnyOf(FrameOutcome.Event, FrameOutcome.Levels));
        BinanceFrameDecoderDifferentialTests.AssertSame(new StoredFrame(bytes, 0, 1, "inline"), outcome, slot, _levels, _symbols, expected, referenceSymbols, decoder);
    }

    [TestCase("\"abc\"", DecodeErrorCode.InvalidNumber)]
    [TestCase("\"\"", DecodeErrorCode.InvalidNumber)]
    [TestCase("\"1e5\"", DecodeErrorCode.InvalidNumber)]
    [TestCase("\"1.2.3\"", DecodeErrorCode.InvalidNumber)]
    [TestCase("\"61800.123456789\"", DecodeErrorCode.TooManyDecimals)]
    [TestCase("\"92233720368.54775808\"", DecodeErrorCode.NumberOutOfRange)]
    [TestCase("\"99999999999999999999\"", DecodeErrorCode.NumberOutOfRange)]
    [TestCase("true", DecodeErrorCode.WrongType)]
    [TestCase("{}", DecodeErrorCode.WrongType)]
    public void ShouldReportNumberError_WhenBookTickerPriceIsBad(string price, DecodeErrorCode expected)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var frame = "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":1,\"s\":\"BTCUSDT\",\"b\":" + price + ",\"B\":\"2.507\",\"a\":\"61800.30\",\"A\":\"2.510\"}}";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, expected);
        Assert.That(decoder.LastErrorOffset, Is.EqualTo(frame.IndexOf("\"b\":", StringComparison.Ordinal) + 4));
    }

    [TestCase("\"abc\"", DecodeErrorCode.InvalidNumber)]
    [TestCase("\"1.000000001\"", DecodeErrorCode.TooManyDecimals)]
    [TestCase("\"100000000000\"", DecodeErrorCode.NumberOutOfRange)]
    [TestCase("null", DecodeErrorCode.WrongType)]
    public void ShouldReportNumberError_WhenLevelQuantityIsBad(string quantity, DecodeErrorCode expected)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var frame = $$"""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[["1.0",{{quantity}}]],"a":[]}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, expected);
        Assert.That(_levels.Count, Is.Zero);
    }

    [FsCheck.NUnit.Property(MaxTest = 3000)]
    public Property ShouldAgreeWithFixedPoint_WhenPriceAndLevelTextIsArbitrary() =>
        Prop.ForAll(AnyNumberLikeText(), text =>
        {
            // Arrange: the decoder's one-pass fast path must give exactly what FixedPoint.TryParse gives, errors included;
            // a price that parses but is not positive is NonPositivePrice on both (issue 16).
            var symbols = FrozenSymbols.Of("BTCUSDT");
            var decoder = new BinanceFrameDecoder(Market.Spot, symbols);
            var levels = new DepthLevelBuffer(4);
            var ticker = Encoding.UTF8.GetBytes("{\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"" + text + "\",\"B\":\"1\",\"a\":\"2\",\"A\":\"3\"}");
            var depth = Encoding.UTF8.GetBytes("{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":1,\"u\":2,\"b\":[],\"a\":[[\"" + text + "\",\"1\"]]}");
            var status = FixedPoint.TryParse(Encoding.UTF8.GetBytes(text), out var expected);
            var slot = default(MarketEvent);

            // Act
            var tickerOutcome = decoder.Decode(ticker, ref slot, levels, -1);
            var tickerPrice = slot.BidPrice;
            var tickerError = decoder.LastError;
            var depthOutcome = decoder.Decode(depth, ref slot, levels, -1);
            var depthPrice = levels.Count == 1 ? levels.Prices[0] : long.MinValue;
            var depthError = decoder.LastError;

            // Assert
            var ok = status == FixedPointParseStatus.Ok && expected <= 0
                ? tickerOutcome == FrameOutcome.Error && depthOutcome == FrameOutcome.Error
                  && tickerError == DecodeErrorCode.NonPositivePrice && depthError == DecodeErrorCode.NonPositivePrice
                : status == FixedPointParseStatus.Ok
                ? tickerOutcome == FrameOutcome.Event && tickerPrice == expected && depthOutcome == FrameOutcome.Levels && depthPrice == expected
                : tickerOutcome == FrameOutcome.Error && depthOutcome == FrameOutcome.Error && tickerError == depthError
                  && tickerError == status switch
                  {
                      FixedPointParseStatus.TooManyDecimals => DecodeErrorCode.TooManyDecimals,
                      FixedPointParseStatus.Overflow => DecodeErrorCode.NumberOutOfRange,
                      _ => DecodeErrorCode.InvalidNumber,
                  };
            return ok.Label($"'{text}': {status} {expected}; ticker {tickerOutcome} {tickerPrice} {tickerError}; depth {depthOutcome} {depthPrice} {depthError}");
        });

    [Test]
    public void ShouldAcceptBareJsonNumber_WhenPriceIsNotQuoted()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var frame = """{"e":"trade","E":1,"T":2,"s":"BTCUSDT","t":3,"p":61800.3,"q":0.006,"m":true}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Price, Is.EqualTo(6_180_030_000_000));
            Assert.That(slot.Quantity, Is.EqualTo(600_000));
        });
    }

    [TestCase("""{"e":"trade","E":1,"s":"BTCUSDT","t":"3","p":"1","q":"1","m":true}""", DecodeErrorCode.WrongType)]
    [TestCase("""{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"1","q":"1","m":"yes"}""", DecodeErrorCode.WrongType)]
    [TestCase("""{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"1","q":"1"}""", DecodeErrorCode.MissingField)]
    [TestCase("""{"e":"trade","E":1.5,"s":"BTCUSDT","t":3,"p":"1","q":"1","m":true}""", DecodeErrorCode.InvalidNumber)]
    [TestCase("""{"e":"trade","E":99999999999999999999,"s":"BTCUSDT","t":3,"p":"1","q":"1","m":true}""", DecodeErrorCode.NumberOutOfRange)]
    [TestCase("""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":"1","a":[]}""", DecodeErrorCode.WrongType)]
    [TestCase("""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[]}""", DecodeErrorCode.MissingField)]
    [TestCase("""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[["1"]],"a":[]}""", DecodeErrorCode.WrongType)]
    [TestCase("""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[1],"a":[]}""", DecodeErrorCode.WrongType)]
    [TestCase("""{"e":1}""", DecodeErrorCode.WrongType)]
    [TestCase("""{"stream":"x","data":[1]}""", DecodeErrorCode.WrongType)]
    [TestCase("""{"e":"trade" "E":1}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"e":"trade",}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"e":"trade","x":[1,2}}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"e":"trade","x":tru}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"e":"trade"}}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[1,2]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""hello""", DecodeErrorCode.InvalidJson)]
    [TestCase("", DecodeErrorCode.Truncated)]
    [TestCase("   ", DecodeErrorCode.Truncated)]
    public void ShouldReportError_WhenFrameIsMalformed(string frame, DecodeErrorCode expected)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, expected);
    }

    [TestCase(Kline)]
    [TestCase("""{"stream":"btcusdt@depth20@100ms","data":{"lastUpdateId":1,"bids":[],"asks":[]}}""")]
    [TestCase("""{"stream":"btcusdt@forceOrder","data":{"e":"forceOrder","E":1,"o":{"s":"BTCUSDT"}}}""")]
    [TestCase("""{"result":null,"id":1}""")]
    public void ShouldIgnoreAndCount_WhenStreamIsNotDecoded(string frame)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);
        slot.Price = 42;

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Ignored));
            Assert.That(decoder.IgnoredFrames, Is.EqualTo(1));
            Assert.That(decoder.LastError, Is.EqualTo(DecodeErrorCode.None));
            Assert.That(slot.Price, Is.Zero, "the reused slot is cleared");
            Assert.That(slot.SymbolId, Is.EqualTo(-1));
            Assert.That(_levels.Count, Is.Zero);
        });
    }

    [Test]
    public void ShouldDecodeMarkPrice_WhenFuturesMarkPriceUpdate()
    {
        // Arrange: 2023 USDⓈ-M markPrice@1s frame shape (PROVENANCE §1: e,E,s,p,P,i,r,T).
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, MarkPrice, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.MarkPrice));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("BTCUSDT"));
            Assert.That(slot.Price, Is.EqualTo(2_816_623_814_710L), "mark price p");
            Assert.That(slot.AskPrice, Is.EqualTo(2_817_000_000_000L), "index price i");
            Assert.That(slot.AskQuantity, Is.EqualTo(2_816_010_000_000L), "estimated settle price P");
            Assert.That(slot.Quantity, Is.EqualTo(10_000L), "funding rate r");
            Assert.That(slot.EventTimeMs, Is.EqualTo(1680652800000L));
            Assert.That(slot.TransactionTimeMs, Is.EqualTo(1680681600000L), "next funding time T");
            Assert.That(slot.Flags, Is.EqualTo(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage));
        });
    }

    [Test]
    public void ShouldReadEmptyFundingRateAsZero_WhenDeliveryContractMarkPrice()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, """{"e":"markPriceUpdate","E":1,"s":"BTCUSD_211231","p":"32627.7","P":"32600.0","i":"32610.1","r":"","T":0}""", ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(slot.Quantity, Is.Zero);
        });
    }

    [TestCase("""{"e":"bookTickerX","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}""", 5)]
    [TestCase("""{"stream":"x","data":{"e":"orderUpdate","E":1}}""", 26)]
    public void ShouldReportUnknownEventTypeAtItsOffset_WhenEventTypeIsNotKnown(string frame, int offset)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.UnknownEventType);
        Assert.That(decoder.LastErrorOffset, Is.EqualTo(offset));
    }

    [Test]
    public void ShouldDecodeEscapedKeysSymbolAndDecimals_WhenFrameUsesUnicodeEscapes()
    {
        // Arrange: "s" as \u0073, BTCUSDT with \u0055, a price with an escaped digit, e with an escaped letter.
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);
        var escaped = """{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510"}""";

        // Act
        var outcome = Decode(decoder, escaped, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("BTCUSDT"));
            Assert.That(slot.BidPrice, Is.EqualTo(6_180_020_000_000L));
        });
    }

    [TestCase("{\"u\":1,\"s\":\"BTC\u0001USDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"u":01,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"u":1,"s":"BTC\xUSDT","b":"1","B":"1","a":"2","A":"1"}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","z":1.}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","z":-}""", DecodeErrorCode.InvalidJson)]
    public void ShouldReportInvalidJson_WhenFrameBreaksJsonGrammarThatUtf8JsonReaderRejects(string frame, DecodeErrorCode expected)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, expected);
    }

    [Test]
    public void ShouldReportInvalidJson_WhenStringHoldsInvalidUtf8()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);
        var bytes = Encoding.UTF8.GetBytes("""{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","x":"ab"}""");
        bytes[^4] = 0xC3; // a lead byte followed by 'b': not UTF-8

        // Act
        var outcome = decoder.Decode(bytes, ref slot, _levels, -1);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.InvalidJson);
        Assert.That(decoder.LastErrorOffset, Is.EqualTo(bytes.Length - 4));
    }

    [Test]
    public void ShouldSkipAndCountUnknownFields_WhenFrameCarriesExtraObjectsArraysAndEscapedStrings()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var frame = """
            { "stream" : "btcusdt@trade" , "extra0": {"nested": [1, {"deep": "}]"}], "s": "\"quoted\" \\ \u00e9"},
              "data" : { "e" : "trade", "zz": [[["x"]], {}, [], null, true, false, -1.5e-3], "E" : 1, "T" : 2, "s" : "BTCUSDT",
                         "esc\"aped": "a\\\"b", "t" : 3, "p" : "4.5", "q" : "6", "X" : "MARKET", "m" : false, "M": true,
                         "nq": "6", "obj": {"p": "not a price", "m": "x"} } ,
              "tail": "}" }
            """;
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event), () => $"{decoder.LastError} at {decoder.LastErrorOffset}");
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.Trade));
            Assert.That(slot.TradeId, Is.EqualTo(3));
            Assert.That(slot.Price, Is.EqualTo(450_000_000));
            Assert.That(slot.Quantity, Is.EqualTo(600_000_000));
            Assert.That(decoder.UnknownFieldsSkipped, Is.EqualTo(5), "extra0, zz, esc\"aped, obj, tail");
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void ShouldDecodeSameEvent_WhenFieldOrderIsShuffled(int seed)
    {
        // Arrange
        var fields = new[]
        {
            "\"e\":\"depthUpdate\"", "\"E\":1723161600370", "\"T\":1723161600319", "\"s\":\"BTCUSDT\"", "\"U\":5123134944963",
            "\"u\":5123134944964", "\"pu\":5123134735497", "\"b\":[[\"5000.00\",\"2.321\"],[\"4999\",\"1\"]]", "\"a\":[[\"61800.30\",\"0.5\"]]",
        };
        var canonical = "{\"stream\":\"btcusdt@depth@0ms\",\"data\":{" + string.Join(",", fields) + "}}";
        var shuffled = fields.ToArray();
        new Random(seed).Shuffle(shuffled);
        var frame = seed % 2 == 0
            ? "{\"data\":{" + string.Join(", ", shuffled) + "},\"stream\":\"btcusdt@depth@0ms\"}"
            : "{\"stream\":\"btcusdt@depth@0ms\",\"data\":{" + string.Join(",\n", shuffled) + "}}";
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var expected = default(MarketEvent);
        var expectedLevels = new DepthLevelBuffer();
        decoder.Decode(Encoding.UTF8.GetBytes(canonical), ref expected, expectedLevels, -1);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(slot, Is.EqualTo(expected));
            Assert.That(_levels.Prices.ToArray(), Is.EqualTo(expectedLevels.Prices.ToArray()));
            Assert.That(_levels.Quantities.ToArray(), Is.EqualTo(expectedLevels.Quantities.ToArray()));
            Assert.That(_levels.Sides.ToArray(), Is.EqualTo(expectedLevels.Sides.ToArray()));
        });
    }

    [TestCase("MARKET", true, MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage)]
    [TestCase("MARKET", false, MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage)]
    [TestCase("INSURANCE_FUND", true, MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.NonMarketTrade)]
    [TestCase("INSURANCE_FUND", false, MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.NonMarketTrade)]
    [TestCase("ADL", true, MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.NonMarketTrade)]
    [TestCase("ADL", false, MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.NonMarketTrade)]
    [TestCase("MARKE\\u0054", false, MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage)]
    public void ShouldFlagTheTrade_WhenItsExecutionTypeIsNotMarket(string executionType, bool fastPath, MarketEventFlags expected)
    {
        // Arrange: a USDⓈ-M trade in Binance's key order (the fast path's canonical form), and the same keys reordered.
        var decoder = new BinanceFrameDecoder(Market.Futures, FrozenSymbols.Of("BTCUSDT")) { FastPathEnabled = fastPath };
        var canonical = "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1,\"T\":2,\"s\":\"BTCUSDT\",\"t\":5,\"p\":\"1\",\"q\":\"2\",\"X\":\"" + executionType + "\",\"m\":false}}";
        var reordered = "{\"e\":\"trade\",\"X\":\"" + executionType + "\",\"E\":1,\"T\":2,\"s\":\"BTCUSDT\",\"t\":5,\"p\":\"1\",\"q\":\"2\",\"m\":false}";
        var slot = default(MarketEvent);
        var other = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(canonical), ref slot, _levels, -1);
        var otherOutcome = decoder.Decode(Encoding.UTF8.GetBytes(reordered), ref other, _levels, -1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((outcome, slot.Kind, slot.Flags), Is.EqualTo((FrameOutcome.Event, MarketEventKind.Trade, expected)));
            Assert.That((otherOutcome, other.Kind, other.Flags), Is.EqualTo((FrameOutcome.Event, MarketEventKind.Trade, expected)));
            Assert.That(slot.Quantity, Is.EqualTo(2 * FixedPoint.Scale));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ShouldRefuseTheTrade_WhenItsExecutionTypeIsNotAString(bool fastPath)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, FrozenSymbols.Of("BTCUSDT")) { FastPathEnabled = fastPath };
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode("{\"e\":\"trade\",\"E\":1,\"T\":2,\"s\":\"BTCUSDT\",\"t\":5,\"p\":\"1\",\"q\":\"2\",\"X\":5,\"m\":false}"u8, ref slot, _levels, -1);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.WrongType);
    }

    [Test]
    public void ShouldNotFlagASpotTrade_WhenItHasNoExecutionType()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, FrozenSymbols.Of("BTCUSDT"));
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode("{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":3,\"p\":\"28166.99\",\"q\":\"0.004\",\"T\":1,\"m\":true,\"M\":true}"u8, ref slot, _levels, -1);

        // Assert
        Assert.That((outcome, slot.Flags & MarketEventFlags.NonMarketTrade), Is.EqualTo((FrameOutcome.Event, MarketEventFlags.None)));
        Assert.That(slot.Flags & MarketEventFlags.BuyerIsMaker, Is.EqualTo(MarketEventFlags.BuyerIsMaker));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ShouldReportUnknownSymbolAndNotIntern_WhenSymbolIsNotInTheTable(bool fastPath)
    {
        // Arrange
        var symbols = FrozenSymbols.Of("ETHUSDT");
        var decoder = new BinanceFrameDecoder(Market.Futures, symbols) { FastPathEnabled = fastPath };
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(FuturesTrade), ref slot, _levels, -1);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.UnknownSymbol);
        Assert.Multiple(() =>
        {
            Assert.That(decoder.LastErrorOffset, Is.EqualTo(FuturesTrade.IndexOf("\"s\":", StringComparison.Ordinal) + 4), "the symbol's opening quote");
            Assert.That(symbols.Count, Is.EqualTo(1), "never interned");
            Assert.That(symbols.TryGet("BTCUSDT"u8, out _), Is.False);
        });
    }

    [TestCase("BTC\\u0055SDT", true)]
    [TestCase("ETH\\u0055SDT", false)]
    [TestCase("", false)]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false)]
    public void ShouldLookUpEscapedAndOddSymbols_WithoutInterning(string name, bool known)
    {
        // Arrange: 33 A's is one byte over MaxSymbolLength.
        var symbols = FrozenSymbols.Of("BTCUSDT");
        var decoder = new BinanceFrameDecoder(Market.Spot, symbols);
        var frame = "{\"u\":1,\"s\":\"" + name + "\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"3\"}";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        if (known)
        {
            Assert.That((outcome, slot.SymbolId), Is.EqualTo((FrameOutcome.Event, 0)));
        }
        else
        {
            AssertError(decoder, outcome, slot, DecodeErrorCode.UnknownSymbol);
            Assert.That(decoder.LastErrorOffset, Is.EqualTo(frame.IndexOf("\"s\":", StringComparison.Ordinal) + 4));
        }

        Assert.That(symbols.Count, Is.EqualTo(1));
    }

    [Test]
    public void ShouldRefuseTable_WhenItIsNotFrozen()
    {
        // Arrange
        var open = new SymbolTable();
        open.GetOrAdd("BTCUSDT");

        // Act + Assert
        Assert.That(() => new BinanceFrameDecoder(Market.Spot, open), Throws.ArgumentException.With.Property("ParamName").EqualTo("symbols"));
    }

    /// <summary>
    /// What used to race, two receive threads interning into one single-writer table, cannot happen by design: their
    /// decoders share a table that is frozen before they exist (the constructor refuses any other), a frozen table has
    /// no writer, and the decoder only looks up. So an unknown symbol is an error on every thread and is never added,
    /// and a known one resolves to the same id everywhere.
    /// </summary>
    [Test]
    public void ShouldNeverIntern_WhenSeveralReceiveThreadsDecodeUnknownSymbolsAtOnce()
    {
        // Arrange
        const int Threads = 3;
        const int Rounds = 2_000;
        var symbols = FrozenSymbols.Of("BTCUSDT");
        var known = Encoding.UTF8.GetBytes(FuturesTrade);
        var unknown = Enumerable.Range(0, Threads)
            .Select(t => Enumerable.Range(0, 50).Select(i => Encoding.UTF8.GetBytes(FuturesTrade.Replace("BTCUSDT", $"NEW{t}X{i}USDT", StringComparison.Ordinal))).ToArray())
            .ToArray();
        using var start = new Barrier(Threads);
        var unknownErrors = new int[Threads];
        var knownIds = new int[Threads];
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var decoder = new BinanceFrameDecoder(Market.Futures, symbols);
            var levels = new DepthLevelBuffer(4);
            var slot = default(MarketEvent);
            if (!start.SignalAndWait(TimeSpan.FromSeconds(20)))
            {
                return;
            }

            for (var i = 0; i < Rounds; i++)
            {
                var frame = unknown[t][i % unknown[t].Length];
                unknownErrors[t] += decoder.Decode(frame, ref slot, levels, -1) == FrameOutcome.Error && decoder.LastError == DecodeErrorCode.UnknownSymbol ? 1 : 0;
                knownIds[t] += decoder.Decode(known, ref slot, levels, -1) == FrameOutcome.Event && slot.SymbolId == 0 ? 1 : 0;
            }
        })).ToList();

        // Act
        threads.ForEach(thread => thread.Start());
        var joined = threads.All(thread => thread.Join(TimeSpan.FromSeconds(60)));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(joined, Is.True, "every receive thread finished within 60 s");
            Assert.That(unknownErrors, Is.All.EqualTo(Rounds), "an unknown symbol is an error on every thread");
            Assert.That(knownIds, Is.All.EqualTo(Rounds), "a known symbol has the same id on every thread");
            Assert.That(symbols.Count, Is.EqualTo(1), "nothing interned");
        });
    }

    [Test]
    public void ShouldClearEveryField_WhenSlotIsReused()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);
        Decode(decoder, FuturesDepth, ref slot);
        var fresh = default(MarketEvent);
        Decode(decoder, SpotBookTicker, ref fresh);

        // Act
        Decode(decoder, SpotBookTicker, ref slot);

        // Assert
        Assert.That(slot, Is.EqualTo(fresh));
    }

    [Test]
    public void ShouldGrowLevelBuffer_WhenSnapshotExceedsCapacity()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var bids = string.Join(",", Enumerable.Range(1, 50).Select(i => $"[\"{i}.5\",\"{i}\"]"));
        var frame = $$"""{"lastUpdateId":9,"bids":[{{bids}}],"asks":[["100","1"]]}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(frame), ref slot, _levels, symbolHint: 0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(slot.LevelCount, Is.EqualTo(51));
            Assert.That(_levels.Prices[49], Is.EqualTo(5_050_000_000));
            Assert.That(_levels.Sides[50], Is.EqualTo(BookSide.Ask));
            Assert.That(_levels.Capacity, Is.GreaterThanOrEqualTo(51));
        });
    }

    /// <summary>Strings over digits, '.', '-' and a few other bytes, up to 24 long: valid decimals, 9th decimals, overflows and junk.</summary>
    private static Arbitrary<string> AnyNumberLikeText()
    {
        var character = Gen.Frequency(
            (20, Gen.Elements("0123456789".ToCharArray())),
            (2, Gen.Constant('.')),
            (1, Gen.Constant('-')),
            (1, Gen.Elements('e', 'x', ' ', '+')));
        var junk = from length in Gen.Choose(0, 24)
                   from chars in Gen.ArrayOf(character, length)
                   select new string(chars);
        var shaped = from integerDigits in Gen.Choose(1, 20)
                     from fractionDigits in Gen.Choose(0, 10)
                     from negative in Gen.Elements(false, true)
                     from digits in Gen.ArrayOf(Gen.Elements("0123456789".ToCharArray()), integerDigits + fractionDigits)
                     let text = new string(digits, 0, integerDigits) + (fractionDigits == 0 ? "" : "." + new string(digits, integerDigits, fractionDigits))
                     select (negative ? "-" : "") + text;
        return Gen.Frequency((1, junk), (2, shaped)).ToArbitrary();
    }

    // Every key the decoder knows, decoded or tolerated, repeated once; the error points at the second occurrence.
    [TestCase("""{"u":1,"u":2,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}""", "u", Market.Spot)]
    [TestCase("""{"stream":"x","data":{"e":"bookTicker","e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}}""", "e", Market.Futures)]
    [TestCase("""{"stream":"x","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","A":"1"}}""", "A", Market.Futures)]
    [TestCase("""{"stream":"x","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1","1"]],"a":[],"b":[["2","1"]]}}""", "b", Market.Futures)]
    [TestCase("""{"stream":"x","data":{"e":"depthUpdate","E":1,"s":"BTCUSD_PERP","ps":"BTCUSD","ps":"BTCUSD","U":5,"u":6,"pu":4,"b":[],"a":[]}}""", "ps", Market.Futures)]
    [TestCase("""{"stream":"x","data":{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"1","q":"1","m":true,"M":true,"M":true}}""", "M", Market.Spot)]
    [TestCase("""{"stream":"x","data":{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"1","q":"1","X":"MARKET","m":true,"X":"LIQUIDATION"}}""", "X", Market.Futures)]
    [TestCase("""{"stream":"x","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":3,"p":"1","q":"1","nq":"1","f":1,"l":1,"m":true,"nq":"1"}}""", "nq", Market.Futures)]
    [TestCase("""{"stream":"x","data":{"e":"bookTicker","st":"x","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","st":"y"}}""", "st", Market.Futures)]
    [TestCase("""{"lastUpdateId":1,"symbol":"BTCUSD_PERP","pair":"BTCUSD","pair":"BTCUSD","bids":[],"asks":[]}""", "pair", Market.Futures)]
    [TestCase("""{"lastUpdateId":1,"lastUpdateId":1,"bids":[],"asks":[]}""", "lastUpdateId", Market.Futures)]
    [TestCase("""{"stream":"a","stream":"b","data":{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}}""", "stream", Market.Spot)]
    [TestCase("""{"stream":"a","data":{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"},"data":{}}""", "data", Market.Spot)]
    [TestCase("""{"stream":"a","data":{"e":"markPriceUpdate","s":"BTCUSDT","p":"1","r":"0","r":"1"}}""", "r", Market.Futures)]
    public void ShouldReportDuplicateFieldAtSecondKey_WhenKnownKeyIsRepeated(string frame, string key, Market market)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(market, _symbols);
        var slot = default(MarketEvent);
        var expectedOffset = Encoding.UTF8.GetByteCount(frame[..frame.LastIndexOf($"\"{key}\":", StringComparison.Ordinal)]);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(frame), ref slot, _levels, symbolHint: 0);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.DuplicateField);
        Assert.That(decoder.LastErrorOffset, Is.EqualTo(expectedOffset));
    }

    [Test]
    public void ShouldReportDuplicateField_WhenRepeatedKeyIsEscaped()
    {
        // Arrange: "\u004d" is "M"; the repeat is found after unescaping the key.
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);
        const string frame = """{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"1","q":"1","m":true,"M":true,"\u004d":true}""";

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.DuplicateField);
        Assert.That(decoder.LastErrorOffset, Is.EqualTo(frame.LastIndexOf("\"\\u004d\"", StringComparison.Ordinal)));
    }

    [Test]
    public void ShouldSkipAndCountBoth_WhenUnknownKeyIsRepeated()
    {
        // Arrange: names the decoder does not know are skipped without being remembered, so a repeat is not an error.
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);
        const string frame = """{"u":1,"zz":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","zz":2}""";

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(decoder.UnknownFieldsSkipped, Is.EqualTo(2));
        });
    }

    // Malformed numbers, literals and punctuation inside an unknown field's nested value; Utf8JsonReader rejects each.
    [TestCase("""{"a":tru}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"a":[true,fals]}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[nul]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[truex]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[NaN]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[01]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[1.]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[.5]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[-]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[+1]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[1e]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[1e+]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"a":{"b":[1,2,0x10]}}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[1,]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[,1]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[1 2]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"a" 1}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"a":1,}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{1:2}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"a":}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"a":1 "b":2}""", DecodeErrorCode.InvalidJson)]
    [TestCase("""[1]]""", DecodeErrorCode.InvalidJson)]
    [TestCase("""{"a":[}]""", DecodeErrorCode.InvalidJson)]
    public void ShouldReportErrorInsideSkippedValue_WhenNestedNumberLiteralOrPunctuationIsMalformed(string nested, DecodeErrorCode expected)
    {
        // Arrange
        var frame = """{"stream":"x","data":{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","zz":""" + nested + "}}";
        var start = frame.IndexOf("\"zz\":", StringComparison.Ordinal) + 5;
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);
        var reference = new ReferenceDecoder(Market.Spot, new SymbolTable()).Decode(Encoding.UTF8.GetBytes(frame), symbolHint: -1);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, expected);
        Assert.Multiple(() =>
        {
            Assert.That(decoder.LastErrorOffset, Is.InRange(start, start + nested.Length - 1), "offset inside the nested value");
            Assert.That(reference.Outcome, Is.EqualTo(FrameOutcome.Error), "Utf8JsonReader rejects it too");
        });
    }

    [Test]
    public void ShouldSkipAndCount_WhenNestedValueHoldsEveryWellFormedScalar()
    {
        // Arrange
        const string frame = """{"u":1,"zz":{"a":[true,false,null,-1.5e+10,0,0.25,2E-3,"x\"]",{},[],{"b":[[{}]]}]} ,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","yy":[ 1 , { "c" : null } ]}""";
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event), () => $"{decoder.LastError} at {decoder.LastErrorOffset}");
            Assert.That(decoder.UnknownFieldsSkipped, Is.EqualTo(2));
        });
    }

    [TestCase("""{"zz":[1,""")]
    [TestCase("""{"zz":{"a":tr""")]
    [TestCase("{\"zz\":{\"a\\\"")]
    [TestCase("""{"zz":[-""")]
    public void ShouldReportTruncated_WhenFrameEndsInsideSkippedValue(string frame)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.Truncated);
    }

    // Issue 16: values that Binance never sends are typed errors, never book levels (DecodeErrorCode 14–17, 20). The
    // offset is that of the offending value's first byte; both paths give the same outcome (the fast path leaves its
    // subset at a zero, and has no sign).
    public static IEnumerable<TestCaseData> OutOfRangeValues()
    {
        const string FuturesDiff = """{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["61800.10","1.5"],[PRICE,QTY]],"a":[["61800.30","0.5"]]}}""";
        const string SpacedSnapshot = """{"lastUpdateId": 7, "bids": [["61800.10", "1.5"], [PRICE, QTY]], "asks": [["61800.30", "0.5"]]}""";
        const string Ticker = """{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":PRICE,"B":QTY,"a":"61800.30","A":"2.510","T":1,"E":1}}""";
        const string Trade = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":PRICE,"q":QTY,"X":"MARKET","m":false}}""";
        const string AggTrade = """{"stream":"ctkusdt@aggTrade","data":{"e":"aggTrade","E":1,"a":16,"s":"CTKUSDT","p":PRICE,"q":QTY,"f":2,"l":2,"T":1,"m":false}}""";
        (string Name, string Template)[] shapes = [("diff", FuturesDiff), ("snapshot", SpacedSnapshot), ("bookTicker", Ticker), ("trade", Trade), ("aggTrade", AggTrade)];
        foreach (var (name, template) in shapes)
        {
            var zeroQuantity = name == "diff" ? DecodeErrorCode.None : DecodeErrorCode.ZeroQuantity;
            yield return Case(name, template, "\"0\"", "\"1.5\"", DecodeErrorCode.NonPositivePrice, atPrice: true);
            yield return Case(name, template, "\"0.00000000\"", "\"1.5\"", DecodeErrorCode.NonPositivePrice, atPrice: true);
            yield return Case(name, template, "\"-61800.10\"", "\"1.5\"", DecodeErrorCode.NonPositivePrice, atPrice: true);
            yield return Case(name, template, "-2", "\"1.5\"", DecodeErrorCode.NonPositivePrice, atPrice: true);
            yield return Case(name, template, "\"61800.20\"", "\"-0.001\"", DecodeErrorCode.NegativeQuantity, atPrice: false);
            yield return Case(name, template, "\"-1\"", "\"-1\"", DecodeErrorCode.NonPositivePrice, atPrice: true);
            yield return Case(name, template, "\"61800.20\"", "\"0\"", zeroQuantity, atPrice: false);
            yield return Case(name, template, "\"61800.20\"", "\"0.000\"", zeroQuantity, atPrice: false);
            yield return Case(name, template, "\"61800.20\"", "\"1.5\"", DecodeErrorCode.None, atPrice: false);
        }

        // A bookTicker side of zero price and zero quantity is an empty side, not an error.
        yield return Case("bookTicker", Ticker, "\"0.00\"", "\"0.000\"", DecodeErrorCode.None, atPrice: false);

        static TestCaseData Case(string shape, string template, string price, string quantity, DecodeErrorCode expected, bool atPrice) =>
            new TestCaseData(template.Replace("PRICE", price, StringComparison.Ordinal).Replace("QTY", quantity, StringComparison.Ordinal), expected, atPrice ? price : quantity)
                .SetArgDisplayNames($"{shape} p={price} q={quantity}");
    }

    [TestCaseSource(nameof(OutOfRangeValues))]
    public void ShouldReportValueErrorAtTheValue_WhenPriceOrQuantityIsOutOfRange(string frame, DecodeErrorCode expected, string offendingValue)
    {
        // Arrange
        var fast = new BinanceFrameDecoder(Market.Futures, _symbols);
        var general = new BinanceFrameDecoder(Market.Futures, _symbols) { FastPathEnabled = false };
        var reference = new ReferenceDecoder(Market.Futures, new SymbolTable()).Decode(Encoding.UTF8.GetBytes(frame), symbolHint: 0);
        var slot = default(MarketEvent);
        var generalSlot = default(MarketEvent);
        var bytes = Encoding.UTF8.GetBytes(frame);

        // Act
        var outcome = fast.Decode(bytes, ref slot, _levels, symbolHint: 0);
        var generalOutcome = general.Decode(bytes, ref generalSlot, new DepthLevelBuffer(4), symbolHint: 0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(generalOutcome, Is.EqualTo(outcome), "both paths");
            Assert.That(general.LastError, Is.EqualTo(fast.LastError), "both paths");
            Assert.That(reference.Outcome == FrameOutcome.Error, Is.EqualTo(expected != DecodeErrorCode.None), () => $"reference: {reference.Outcome} {reference.Error}");
        });
        if (expected == DecodeErrorCode.None)
        {
            Assert.That(outcome, Is.AnyOf(FrameOutcome.Event, FrameOutcome.Levels), () => $"{fast.LastError} at {fast.LastErrorOffset}");
            return;
        }

        AssertError(fast, outcome, slot, expected);
        Assert.That(fast.LastErrorOffset, Is.EqualTo(ValueOffset(frame, expected, offendingValue)), "the offending value's first byte");
    }

    [Test]
    public void ShouldReportTheFirstOffendingLevelOnTheWire_WhenSnapshotAsksComeBeforeBids()
    {
        // Arrange: the negative ask price comes first on the wire, the zero bid quantity second.
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        const string Frame = """{"lastUpdateId":7,"asks":[["61800.30","1"],["-1","2"]],"bids":[["61800.10","0"]]}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(Frame), ref slot, _levels, symbolHint: 0);

        // Assert
        AssertError(decoder, outcome, slot, DecodeErrorCode.NonPositivePrice);
        Assert.That(decoder.LastErrorOffset, Is.EqualTo(Frame.IndexOf("\"-1\"", StringComparison.Ordinal)));
    }

    [Test]
    public void ShouldDecodeEmptySides_WhenBookTickerSidesAreZeroPriceAndZeroQuantity()
    {
        // Arrange: a side with no orders; the fast path leaves its subset at the zeros, the general path accepts them.
        var decoder = new BinanceFrameDecoder(Market.Spot, _symbols);
        const string Frame = """{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"0.00000000","B":"0.00000000","a":"61837.64000000","A":"1.54698000"}}""";
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, Frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That((slot.BidPrice, slot.BidQuantity), Is.EqualTo((0L, 0L)));
            Assert.That(slot.AskPrice, Is.EqualTo(6_183_764_000_000));
        });
    }

    [TestCase(true, """{"stream":"ethusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["61800.10","1.5"]],"a":[]}}""")]
    [TestCase(false, """{"stream":"ethusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["61800.10","1.5"]],"a":[]}}""")]
    [TestCase(true, """{"data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510"},"stream":"ethusdt@bookTicker"}""")]
    [TestCase(true, """{"stream":"ethusdt@trade","data":{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"61800.30","q":"0.006","X":"MARKET","m":false}}""")]
    [TestCase(true, """{"stream":"ethusdt@aggTrade","data":{"e":"aggTrade","E":1,"a":16,"s":"BTCUSDT","p":"1.011","q":"10","f":2,"l":2,"T":1,"m":false}}""")]
    [TestCase(true, """{"stream":"ethusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","p":"28166.2","T":1}}""")]
    [TestCase(true, """{"stream":"btcusdtx@depth","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""")]
    [TestCase(true, """{"stream":"@depth","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""")]
    [TestCase(true, """{ "stream" : "eth\u0075sdt@depth", "data" : {"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""")]
    public void ShouldReportStreamSymbolMismatchAtThePayloadSymbol_WhenStreamNamesAnotherSymbol(bool fastPath, string frame)
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols) { FastPathEnabled = fastPath };
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(decoder, frame, ref slot);

        // Assert: applied to nobody (symbol -1, no level), at the payload symbol's opening quote.
        AssertError(decoder, outcome, slot, DecodeErrorCode.StreamSymbolMismatch);
        Assert.Multiple(() =>
        {
            Assert.That(decoder.LastErrorOffset, Is.EqualTo(frame.IndexOf("\"s\":", StringComparison.Ordinal) + 4));
            Assert.That(_levels.Count, Is.Zero);
            Assert.That(new ReferenceDecoder(Market.Futures, new SymbolTable()).Decode(Encoding.UTF8.GetBytes(frame), -1).Outcome, Is.EqualTo(FrameOutcome.Error), "reference");
        });
    }

    [TestCase("""{"stream":"BTCUSDT@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""")]
    [TestCase("""{"stream":"BtcUsdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""")]
    [TestCase("""{"stream":"!bookTicker","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510"}}""")]
    [TestCase("""{"stream":"!markPrice@arr@1s","data":{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","p":"28166.2","T":1}}""")]
    [TestCase("""{"stream":"btc\u0075sdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""")]
    [TestCase("""{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[],"stream":"ethusdt@depth"}""")]
    [TestCase("""{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""")]
    public void ShouldDecode_WhenStreamNamesThePayloadSymbolOrNoSymbol(string frame)
    {
        // Arrange: any case, an all-market stream (!…), an escaped name; a bare payload's own "stream" key is not a wrapper.
        var fast = new BinanceFrameDecoder(Market.Futures, _symbols);
        var general = new BinanceFrameDecoder(Market.Futures, _symbols) { FastPathEnabled = false };
        var slot = default(MarketEvent);

        // Act
        var outcome = Decode(fast, frame, ref slot);
        var generalOutcome = Decode(general, frame, ref slot);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.AnyOf(FrameOutcome.Event, FrameOutcome.Levels), () => $"{fast.LastError} at {fast.LastErrorOffset}");
            Assert.That(generalOutcome, Is.EqualTo(outcome));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("BTCUSDT"));
        });
    }

    [Test]
    public void ShouldReportAmbiguousSnapshotSymbol_WhenTheHintSaysSeveralCandidates()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var slot = default(MarketEvent);

        // Act
        var bare = decoder.Decode(Encoding.UTF8.GetBytes(SpacedSnapshot), ref slot, _levels, BinanceFrameDecoder.AmbiguousSymbolHint);
        var bareError = decoder.LastError;
        var withSymbol = decoder.Decode(Encoding.UTF8.GetBytes(CoinMSnapshot), ref slot, _levels, BinanceFrameDecoder.AmbiguousSymbolHint);

        // Assert: a snapshot's own symbol wins over any hint.
        Assert.Multiple(() =>
        {
            Assert.That((bare, bareError), Is.EqualTo((FrameOutcome.Error, DecodeErrorCode.AmbiguousSnapshotSymbol)));
            Assert.That(withSymbol, Is.EqualTo(FrameOutcome.Levels));
            Assert.That(_symbols.NameOf(slot.SymbolId), Is.EqualTo("BTCUSD_PERP"));
        });
    }

    private static int ValueOffset(string frame, DecodeErrorCode code, string value)
    {
        // The template's one variable level/field holds the value; the key before it tells which.
        var key = code == DecodeErrorCode.NonPositivePrice ? new[] { "\"p\":", "\"b\":" } : ["\"q\":", "\"B\":"];
        foreach (var k in key)
        {
            var at = frame.IndexOf(k + value, StringComparison.Ordinal);
            if (at >= 0)
            {
                return at + k.Length;
            }
        }

        // A level: [PRICE, QTY] is the second level of the bids.
        var level = frame.Contains("], [", StringComparison.Ordinal) ? frame.IndexOf("], [", StringComparison.Ordinal) + 4 : frame.IndexOf("],[", StringComparison.Ordinal) + 3;
        return code == DecodeErrorCode.NonPositivePrice ? level : frame.IndexOf(value, level + 1, StringComparison.Ordinal);
    }

    private FrameOutcome Decode(BinanceFrameDecoder decoder, string frame, ref MarketEvent slot) =>
        decoder.Decode(Encoding.UTF8.GetBytes(frame), ref slot, _levels, symbolHint: -1);

    private static void AssertError(BinanceFrameDecoder decoder, FrameOutcome outcome, MarketEvent slot, DecodeErrorCode expected) =>
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Error));
            Assert.That(decoder.LastError, Is.EqualTo(expected), () => $"offset {decoder.LastErrorOffset}");
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.DecodeError));
            Assert.That(slot.ErrorCode, Is.EqualTo(expected));
            Assert.That(slot.ErrorOffset, Is.EqualTo(decoder.LastErrorOffset));
            Assert.That(slot.SymbolId, Is.EqualTo(-1));
        });
}
