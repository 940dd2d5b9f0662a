using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// The single-pass fast path against the general two-pass path of the same decoder: with the fast path on and off,
/// every frame must give the same outcome, slot bytes, levels, error code and offset, counters and symbol table.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BinanceFrameDecoderFastPathTests
{
    private const string FuturesBookTicker = """{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256313}}""";

    public static IEnumerable<TestCaseData> HftbacktestFiles() => BinanceFrameDecoderDifferentialTests.HftbacktestFiles();

    // Frames just inside and just outside the fast-path subset: each must decode exactly as the general path does.
    public static IEnumerable<TestCaseData> NearMisses()
    {
        string[] frames =
        [
            FuturesBookTicker,
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":05123107839020", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":1234567890123456789", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":99999999999999999999", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":-5", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":5.0", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":5e3", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":\"5\"", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"u\":5123107839020", "\"u\":0", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "61800.123456789", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "61800.12345678", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "92233720368.54775807", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "92233720368.54775808", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "9223372036854775807", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "123456789012345678", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "1234567890.12345678", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "61800.", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", ".20", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "-61800.20", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "00061800.20", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "", StringComparison.Ordinal),
            FuturesBookTicker.Replace("61800.20", "6180\\u0030.20", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"BTCUSDT\"", "\"BTC\\u0055SDT\"", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"BTCUSDT\"", "\"btcusdt\"", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"BTCUSDT\"", "\"ETHUSDT\"", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"BTCUSDT\"", "\"\"", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"BTCUSDT\"", "\"BTCUSDTBTCUSDTBTCUSDTBTCUSDTBTCUSDT\"", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"BTCUSDT\"", "\"BTC\u00e9USDT\"", StringComparison.Ordinal),
            FuturesBookTicker.Replace("btcusdt@bookTicker", "btcusdt@book\u0001Ticker", StringComparison.Ordinal),
            FuturesBookTicker.Replace(",\"E\":1723161256313", "", StringComparison.Ordinal),
            FuturesBookTicker.Replace(",\"A\":\"2.510\"", "", StringComparison.Ordinal),
            FuturesBookTicker.Replace(",\"E\":", ",\"u\":", StringComparison.Ordinal),
            FuturesBookTicker.Replace(",\"E\":", ",\"Z\":", StringComparison.Ordinal),
            FuturesBookTicker.Replace(",\"E\":", ", \"E\":", StringComparison.Ordinal),
            FuturesBookTicker.Replace("}}", "} }", StringComparison.Ordinal),
            FuturesBookTicker + " ",
            FuturesBookTicker + "}",
            FuturesBookTicker.Replace("\"bookTicker\",", "\"bookTickers\",", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"b\":\"61800.20\"", "\"b\":61800.20", StringComparison.Ordinal),
            FuturesBookTicker.Replace("\"b\":\"61800.20\"", "\"b\":[[\"1\",\"2\"]]", StringComparison.Ordinal),
            """{"data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"},"stream":"btcusdt@bookTicker"}""",
            """{"data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"},"stream":"x","stream":"y"}""",
            """{"stream":"a","stream":"b","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}}""",
            """{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}}""",
            """{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2"}}""",
            """{"stream":"btcusdt@bookTicker","data":{"u":1,"e":"bookTicker","s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}}""",
            """{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}""",
            """{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1.5","2"],["1.4","0"]],"a":[["1.6","3"]]}}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"a":[["1.6","3"]],"b":[["1.5","2"]]}}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"b":[["1.5","2"]],"a":[["1.6","3"]]}}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1.5","2","x"]],"a":[]}}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1.5"]],"a":[]}}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1.5","2"],],"a":[]}}""",
            """{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1.5","2"]],"a":[],"b":[]}}""",
            """{"stream":"btcusd_perp@depth","data":{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSD_PERP","ps":"BTCUSD","U":5,"u":6,"pu":4,"b":[["1.5","2"]],"a":[]}}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"61800.30","q":"0.006","X":"MARKET","m":false}}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"61800.30","q":"0.006","X":"MARKET","X":"LIQ","m":false}}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"28166.99","q":"0.004","b":20088567367,"a":20088567364,"T":1,"m":true,"M":true}}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"28166.99","q":"0.004","m":true,"M":true,"M":true}}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"28166.99","q":"0.004","m":tru}}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":3,"p":"28166.99","q":"0.004","m":1}}""",
            """{"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"NKNUSDT","a":15683430,"p":"0.35280000","q":"58.00000000","f":19862790,"l":19862790,"T":1,"m":false,"M":true}}""",
            """{"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"NKNUSDT","a":15683430,"p":"0.3528","q":"58","nq":"58","f":1,"l":2,"T":1,"m":false}}""",
            """{"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"NKNUSDT","a":15683430,"p":"0.3528","q":"58","nq":"58","nq":"1","f":1,"l":2,"T":1,"m":false}}""",
            """{"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"NKNUSDT","p":"0.3528","q":"58","f":1,"l":2,"T":1,"m":false}}""",
            """{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","p":"28166.2","P":"28160.1","i":"28170.0","r":"-0.00002107","T":1}}""",
            """{"lastUpdateId":1007198635033,"E":1,"T":2,"symbol":"BTCUSD_PERP","pair":"BTCUSD","bids":[["61804.7","35"]],"asks":[["61805.0","12"]]}""",
            """{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","E":5}""",
            """{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","T":5}""",
            """{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","E":5,"T":6}""",
            """{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","T":5,"E":6,"E":7}""",
            """{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[["1","2"]]}""",
            """{"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[],"pu":4}""",
            """{"e":"depthUpdate","T":2,"E":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}""",
            """{"e":"trade","E":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"MARKET","m":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"","m":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"MA\"RKET","m":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"MARKET","m":true,"M":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"MARKET","m":null}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"61800.30","q":"0.006","X":"INSURANCE_FUND","m":true}}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"ADL","m":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","m":true,"X":"NA"}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"MARKE\u0054","m":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":"MARKETS","m":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":5,"m":true}""",
            """{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"2","X":true,"m":true}""",
            """{"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1}}""",
            "{",
            "",
        ];

        foreach (var frame in frames)
        {
            yield return new TestCaseData(frame).SetArgDisplayNames(frame.Length > 100 ? frame[..100] + "…" : frame);
        }
    }

    [TestCaseSource(nameof(NearMisses))]
    public void ShouldMatchGeneralPath_WhenFrameIsAtTheEdgeOfTheFastPathSubset(string frame)
    {
        // Arrange
        var pair = new DecoderPair(Market.Futures, FrozenSymbols.Of("BTCUSDT"));

        // Act
        var difference = pair.Compare(Encoding.UTF8.GetBytes(frame), symbolHint: -1);

        // Assert
        Assert.That(difference, Is.Null);
    }

    [Test]
    public void ShouldTakeFastPath_WhenFrameIsCanonicalAndSymbolIsKnown()
    {
        // Arrange
        var decoder = new BinanceFrameDecoder(Market.Futures, FrozenSymbols.Of("BTCUSDT"));
        var stranger = new BinanceFrameDecoder(Market.Futures, FrozenSymbols.Of("ETHUSDT"));
        var levels = new DepthLevelBuffer();
        var slot = default(MarketEvent);
        var frame = Encoding.UTF8.GetBytes(FuturesBookTicker);

        // Act: a symbol in the table stays on the fast path from the first frame; an unknown one leaves it, and the
        // general path reports it.
        var first = decoder.Decode(frame, ref slot, levels, -1);
        var afterFirst = decoder.FastPathFrames;
        var outcome = decoder.Decode(frame, ref slot, levels, -1);
        var unknown = stranger.Decode(frame, ref slot, levels, -1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(FrameOutcome.Event));
            Assert.That(afterFirst, Is.EqualTo(1));
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Event));
            Assert.That(decoder.FastPathFrames, Is.EqualTo(2));
            Assert.That(unknown, Is.EqualTo(FrameOutcome.Error));
            Assert.That(stranger.LastError, Is.EqualTo(DecodeErrorCode.UnknownSymbol));
            Assert.That(stranger.FastPathFrames, Is.Zero);
        });

        decoder.Decode(frame, ref slot, levels, -1);
        Assert.That(slot.BidPrice, Is.EqualTo(6_180_020_000_000L));
    }

    [TestCaseSource(nameof(HftbacktestFiles))]
    public void ShouldMatchGeneralPath_WhenDecodingEveryFrameOfHftbacktestRecording(string relativePath, Market market)
    {
        // Arrange
        var path = RecordingData.Require(relativePath);
        var symbols = FrozenSymbols.ForRecording(Recording.RecordingFormat.Hftbacktest, [path]);
        var frames = RecordedFrames.LoadHftbacktest([path], symbols);
        var pair = new DecoderPair(market, symbols);

        // Act
        var differences = frames.Select(f => pair.Compare(f.Bytes, f.SymbolHint)).Where(d => d is not null).Take(5).ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(differences, Is.Empty);
            Assert.That(pair.Fast.Decoder.FastPathFrames, Is.GreaterThan(frames.Count / 2), "frames on the fast path");
        });
    }

    [TestCaseSource(typeof(BinanceFrameDecoderDifferentialTests), nameof(BinanceFrameDecoderDifferentialTests.CryptofeedCases))]
    public void ShouldMatchGeneralPath_WhenDecodingEveryFrameOfCryptofeedCapture(string relativePath, Market market)
    {
        // Arrange
        var path = RecordingData.Require(relativePath);
        var frames = RecordedFrames.LoadCryptofeed(path);
        var pair = new DecoderPair(market, FrozenSymbols.ForRecording(Recording.RecordingFormat.Cryptofeed, [path]));

        // Act
        var differences = frames.Select(f => pair.Compare(f.Bytes, f.SymbolHint)).Where(d => d is not null).Take(5).ToList();

        // Assert
        Assert.That(differences, Is.Empty);
    }

    [FsCheck.NUnit.Property(MaxTest = 20000)]
    public Property ShouldMatchGeneralPath_WhenOneByteOfARealFrameIsReplacedFlippedOrTheFrameIsCut() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), Gen.Choose(0, 255 + 8 + 1).ToArbitrary(), (frameSeed, positionSeed, change) =>
        {
            // Arrange: change < 256 replaces the byte with that value; 256..263 flips bit (change - 256); 264 cuts the frame there.
            var corpus = BinanceFrameDecoderPropertyTests.MutationCorpus.Value;
            var (original, market) = corpus[frameSeed % corpus.Length];
            var position = positionSeed % original.Length;
            var mutated = change == 264 ? original[..position] : (byte[])original.Clone();
            if (change < 256)
            {
                mutated[position] = (byte)change;
            }
            else if (change < 264)
            {
                mutated[position] ^= (byte)(1 << (change - 256));
            }

            var pair = new DecoderPair(market, BinanceFrameDecoderPropertyTests.MutationCorpusSymbols.Value); // holds the original's symbol

            // Act
            var difference = pair.Compare(mutated, symbolHint: -1);

            // Assert
            return (difference is null).Label(difference ?? string.Empty);
        });

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property ShouldMatchGeneralPath_WhenFieldsAreShuffledExtendedEscapedAndSpaced() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), Gen.Choose(0, BinanceFrameDecoderPropertyTests.Canonical.Length - 1).ToArbitrary(), (seed, index) =>
        {
            // Arrange
            var (frame, market) = BinanceFrameDecoderPropertyTests.Canonical[index];
            var variant = BinanceFrameDecoderPropertyTests.Rewrite(frame, new Random(seed));
            var pair = new DecoderPair(market, BinanceFrameDecoderPropertyTests.MutationCorpusSymbols.Value);

            // Act
            var canonical = pair.Compare(Encoding.UTF8.GetBytes(frame), symbolHint: -1);
            var difference = canonical ?? pair.Compare(variant, symbolHint: -1);

            // Assert
            return (difference is null).Label(difference ?? string.Empty);
        });

    [FsCheck.NUnit.Property(MaxTest = 5000)]
    public Property ShouldMatchGeneralPath_WhenIntegersAndDecimalsHaveAnyLength() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), seed =>
        {
            // Arrange: digit runs of 0 to 21 characters, in the middle of the frame (eight-byte loads) and at its end
            // (one byte at a time), in integers and on both sides of a decimal point.
            var random = new Random(seed);
            string Digits(int max) => new([.. Enumerable.Range(0, random.Next(max + 1)).Select(_ => (char)('0' + random.Next(10)))]);
            var u = Digits(21);
            var price = Digits(12) + (random.Next(3) == 0 ? string.Empty : "." + Digits(10));
            var last = Digits(21);
            var frame = $$"""{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":{{u}},"s":"BTCUSDT","b":"{{price}}","B":"2.507","a":"61800.30","A":"2.510","T":1,"E":{{last}}""" + "}}";
            var pair = new DecoderPair(Market.Futures, FrozenSymbols.Of("BTCUSDT"));

            // Act
            var difference = pair.Compare(Encoding.UTF8.GetBytes(frame), symbolHint: -1);

            // Assert
            return (difference is null).Label(difference ?? string.Empty);
        });

    /// <summary>One decoder with the fast path, one without, each with its own buffers, sharing one frozen symbol table.</summary>
    private sealed class DecoderPair(Market market, SymbolTable symbols)
    {
        private readonly int _symbolCount = symbols.Count;

        public Side Fast { get; } = new(market, symbols, fastPath: true);

        public Side General { get; } = new(market, symbols, fastPath: false);

        /// <summary>Decodes with both; null when everything observable agrees, else a description of the first difference.</summary>
        public string? Compare(byte[] frame, int symbolHint)
        {
            var fast = Fast.Decoder.Decode(frame, ref Fast.Slot, Fast.Levels, symbolHint);
            var general = General.Decoder.Decode(frame, ref General.Slot, General.Levels, symbolHint);
            var text = Encoding.UTF8.GetString(frame);
            if (fast != general || Fast.Decoder.LastError != General.Decoder.LastError || Fast.Decoder.LastErrorOffset != General.Decoder.LastErrorOffset)
            {
                return $"{text}: fast {fast} {Fast.Decoder.LastError}@{Fast.Decoder.LastErrorOffset}, general {general} {General.Decoder.LastError}@{General.Decoder.LastErrorOffset}";
            }

            if (!SlotBytes(Fast.Slot).SequenceEqual(SlotBytes(General.Slot)))
            {
                return $"{text}: slots differ\n fast    {BinanceFrameDecoderDifferentialTests.Describe(Fast.Slot, "?")}\n general {BinanceFrameDecoderDifferentialTests.Describe(General.Slot, "?")}";
            }

            if (!Fast.Levels.Prices.SequenceEqual(General.Levels.Prices) || !Fast.Levels.Quantities.SequenceEqual(General.Levels.Quantities)
                || !MemoryMarshal.AsBytes(Fast.Levels.Sides).SequenceEqual(MemoryMarshal.AsBytes(General.Levels.Sides)))
            {
                return $"{text}: levels differ ({Fast.Levels.Count} vs {General.Levels.Count})";
            }

            if (Fast.Decoder.UnknownFieldsSkipped != General.Decoder.UnknownFieldsSkipped || Fast.Decoder.IgnoredFrames != General.Decoder.IgnoredFrames)
            {
                return $"{text}: counters differ";
            }

            if (Fast.Symbols.Count != _symbolCount)
            {
                return $"{text}: the symbol table changed ({_symbolCount} -> {Fast.Symbols.Count} symbols)";
            }

            return null;
        }

        private static byte[] SlotBytes(MarketEvent slot) => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref slot, 1)).ToArray();
    }

    private sealed class Side
    {
        public Side(Market market, SymbolTable symbols, bool fastPath)
        {
            Symbols = symbols;
            Decoder = new BinanceFrameDecoder(market, Symbols) { FastPathEnabled = fastPath };
        }

        public SymbolTable Symbols { get; }

        public BinanceFrameDecoder Decoder { get; }

        public DepthLevelBuffer Levels { get; } = new(16);

        public MarketEvent Slot;
    }
}
