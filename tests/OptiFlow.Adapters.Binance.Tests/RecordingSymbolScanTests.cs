using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// The data's first pass: the symbols it interns, in id order, are those that interning during the decode produced
/// (<see cref="ReferenceInterning"/>), on every recorded session the tool reads and on synthetic sessions that exercise
/// each rule (held snapshots, stream names, escapes, ignored and rejected frames, cryptofeed snapshot URLs).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RecordingSymbolScanTests
{
    private const string Btc = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1","q":"1","m":true}}""";

    // Every recorded session the tool reads (PROVENANCE §1–4): the hftbacktest sessions as Replay.Tests' RecordedSession
    // lists them, the 2022 collector sample, the four cryptofeed captures with their snapshot files, the JSON-lines file,
    // and every hftbacktest file read as one session (symbols of several markets across files).
    private static readonly (string Name, RecordingFormat Format, Market Market, string[] Paths)[] Sessions =
    [
        ("usdm BTCUSDT 2023-04-04/05", RecordingFormat.Auto, Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20230404.dat.gz", "hftbacktest/examples/usdm/btcusdt_20230405.dat.gz"]),
        ("usdm BTCUSDT 2024-08-08", RecordingFormat.Auto, Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20240808"]),
        ("usdm ETHUSDT 2024-08-08", RecordingFormat.Auto, Market.Futures, ["hftbacktest/examples/usdm/ethusdt_20240808"]),
        ("spot BTCUSDT 2024-08-08/09", RecordingFormat.Auto, Market.Spot, ["hftbacktest/examples/spot/btcusdt_20240808", "hftbacktest/examples/spot/btcusdt_20240809"]),
        ("spot ETHUSDT 2024-08-08/09", RecordingFormat.Auto, Market.Spot, ["hftbacktest/examples/spot/ethusdt_20240808", "hftbacktest/examples/spot/ethusdt_20240809"]),
        ("cm BTCUSD_PERP 2024-08-08/09", RecordingFormat.Auto, Market.Futures, ["hftbacktest/examples/cm/btcusd_perp_20240808.gz", "hftbacktest/examples/cm/btcusd_perp_20240809.gz"]),
        ("cm ETHUSD_PERP 2024-08-08/09", RecordingFormat.Auto, Market.Futures, ["hftbacktest/examples/cm/ethusd_perp_20240808.gz", "hftbacktest/examples/cm/ethusd_perp_20240809.gz"]),
        ("spot BTCUSDT 2023-04-05 (no snapshot)", RecordingFormat.Auto, Market.Spot, ["hftbacktest/examples/spot/btcusdt_20230405.dat.gz"]),
        ("every hftbacktest file, one session", RecordingFormat.Hftbacktest, Market.Futures,
        [
            "hftbacktest/examples/spot/btcusdt_20230405.dat.gz", "hftbacktest/examples/cm/ethusd_perp_20240808.gz", "hftbacktest/examples/usdm/ethusdt_20240808",
            "hftbacktest/examples/cm/btcusd_perp_20240809.gz", "hftbacktest/examples/spot/ethusdt_20240809", "hftbacktest/examples/usdm/btcusdt_20230404.dat.gz",
            "hftbacktest/examples/spot/btcusdt_20240808", "hftbacktest/examples/usdm/btcusdt_20240808", "hftbacktest/examples/cm/btcusd_perp_20240808.gz",
            "hftbacktest/examples/spot/ethusdt_20240808", "hftbacktest/examples/usdm/btcusdt_20230405.dat.gz", "hftbacktest/examples/cm/ethusd_perp_20240809.gz",
            "hftbacktest/examples/spot/btcusdt_20240809",
        ]),
        ("collect-binancefutures 2022", RecordingFormat.Auto, Market.Futures, ["collect-binancefutures/sample_data/btcusdt_20220811.dat"]),
        ("cryptofeed BINANCE", RecordingFormat.Auto, Market.Spot, ["cryptofeed/sample_data/BINANCE.ws.1.0"]),
        ("cryptofeed BINANCE_US", RecordingFormat.Auto, Market.Spot, ["cryptofeed/sample_data/BINANCE_US.ws.1.0"]),
        ("cryptofeed BINANCE_FUTURES", RecordingFormat.Auto, Market.Futures, ["cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0"]),
        ("cryptofeed BINANCE_DELIVERY", RecordingFormat.Auto, Market.Futures, ["cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0"]),
        ("cryptofeed BINANCE_DELIVERY, exchangeInfo file too", RecordingFormat.Cryptofeed, Market.Futures, ["cryptofeed/sample_data/BINANCE_DELIVERY.0", "cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0"]),
        ("jsonl FinanceTechnologyProjects", RecordingFormat.Auto, Market.Spot, ["FinanceTechnologyProjects/resources/data/binance/depth.json"]),
    ];

    /// <summary>Well-formed lines (old decoder and reference agree on them) for the synthetic hftbacktest sessions.</summary>
    private static readonly string[] SyntheticFrames =
    [
        """{"lastUpdateId":7,"E":1,"T":1,"symbol":"BTCUSD_PERP","pair":"BTCUSD","bids":[["1.0","1"]],"asks":[]}""",
        """{"lastUpdateId": 8, "bids": [["1", "1"]], "asks": []}""",
        """{"stream":"ethusd_perp@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"ETHUSD_PERP","ps":"ETHUSD","U":1,"u":2,"pu":0,"b":[],"a":[]}}""",
        """{"stream":"nknusdt@kline_1m","data":{"e":"kline","E":1,"s":"NKNUSDT","k":{"t":1,"s":"NKNUSDT"}}}""",
        """{"e":"kline","E":1,"s":"KLINEONLYUSDT","k":{"s":"KLINEONLYUSDT"}}""",
        """{"stream":"!bookTicker","data":{"u":1,"s":"ADAUSDT","b":"1","B":"1","a":"2","A":"1"}}""",
        """{"e":"trade","E":1,"s":"xrpusdt","t":1,"p":"1","q":"1","m":true}""",
        """{"u":2,"s":"SOL\u0055SDT","b":"1","B":"1","a":"2","A":"1"}""",
        """{"u":3,"s":"TOOLONGTOOLONGTOOLONGTOOLONGTOOLONG","b":"1","B":"1","a":"2","A":"1"}""",
        """{"e":"trade","E":1,"s":"BNBUSDT","t":1,"p":"1","q":"1","m":true,"x":{"s":"NESTEDUSDT","symbol":"NESTED2USDT"}}""",
        """{"stream" : "avaxusdt@trade" , "data" : { "e" : "trade" , "E" : 1 , "s"	:	"AVAXUSDT" , "t" : 1 , "p" : "1" , "q" : "1" , "m" : false } }""",
        """{"stream":"lrcbtc@depth5@100ms","data":{"lastUpdateId":1,"bids":[],"asks":[]}}""",
        """{"stream":"dogeusdt@aggTrade","data":{"e":"aggTrade","E":1,"a":1,"s":"DOGEUSDT","p":"1","q":"1","f":1,"l":1,"T":1,"m":false}}""",
        """{"data":{"e":"markPriceUpdate","E":1,"s":"LINKUSDT","p":"1","P":"1","i":"1","r":"","T":1},"stream":"linkusdt@markPrice@1s"}""",
        """{"stream":"@trade","data":{"e":"trade","E":1,"s":"ATOMUSDT","t":1,"p":"1","q":"1","m":true}}""",
        """{"stream":"filusdt@bookTicker","data":{"u":1,"s":"FIL\u0055SDT\u00e9","b":"1","B":"1","a":"2","A":"1"}}""",
        """{"e":"24hrTicker","E":1,"s":"TICKERUSDT"}""",
        """{"stream":"xyzusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"xyzUSDT","U":1,"u":2,"b":[["1","1"]],"a":[]}}""",
    ];

    public static IEnumerable<TestCaseData> SessionCases() =>
        Sessions.Select(s => new TestCaseData(s.Format, s.Market, s.Paths).SetArgDisplayNames(s.Name));

    [TestCaseSource(nameof(SessionCases))]
    public void ShouldInternTheSymbolsInTheOrderDecodeTimeInterningMetThem_WhenScanningARecordedSession(RecordingFormat format, Market market, string[] relativePaths)
    {
        // Arrange: as the tool reads a session (cryptofeed ws files bring their http siblings).
        var files = RecordingReaders.SessionFiles(format, [.. relativePaths.Select(RecordingData.Require)]);
        var expected = ReferenceInterning.NamesInOrder(format, files, market);
        var symbols = new SymbolTable();

        // Act
        var added = RecordingSymbolScan.Intern(format, files, symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(NamesOf(symbols), Is.EqualTo(expected));
            Assert.That(added, Is.EqualTo(expected.Count));
            Assert.That(expected, Is.Not.Empty);
        });
    }

    [TestCaseSource(nameof(SessionCases))]
    public void ShouldDecodeEveryFrameWithoutUnknownSymbol_WhenTheScannedTableIsFrozen(RecordingFormat format, Market market, string[] relativePaths)
    {
        // Arrange
        var files = RecordingReaders.SessionFiles(format, [.. relativePaths.Select(RecordingData.Require)]);
        var symbols = FrozenSymbols.ForRecording(format, files);
        var decoder = new BinanceFrameDecoder(market, symbols);
        var levels = new DepthLevelBuffer();
        var slot = default(MarketEvent);
        var unknown = 0;
        var decoded = 0;

        // Act
        using (var reader = RecordingReaders.Open(format, files, symbols))
        {
            while (reader.TryRead(out var frame))
            {
                var outcome = decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint);
                unknown += decoder.LastError == DecodeErrorCode.UnknownSymbol ? 1 : 0;
                decoded += outcome is FrameOutcome.Event or FrameOutcome.Levels ? 1 : 0;
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.Zero);
            Assert.That(decoded, Is.Positive);
        });
    }

    [Test]
    public void ShouldFollowEachRule_WhenScanningSyntheticHftbacktestSession()
    {
        // Arrange: file 1 holds two snapshots before its first stream frame (the COIN-M one names its symbol); file 2
        // has a held snapshot and no stream frame at all; file 3 has the rest, plus lines without a timestamp.
        using var temp = new TempDirectory("optiflow-scan");
        var first = Write(temp, "first", $"1 {SyntheticFrames[0]}\n2 {SyntheticFrames[1]}\n3 {SyntheticFrames[2]}\n4 {SyntheticFrames[3]}\n");
        var second = Write(temp, "second", $"5 {SyntheticFrames[0].Replace("BTCUSD_PERP", "BCHUSD_PERP", StringComparison.Ordinal)}\n");
        var third = Write(temp, "third", string.Concat(SyntheticFrames.Skip(4).Select((f, i) => $"{10 + i} {f}\n"))
            + """{"stream":"zecusdt@trade","data":{"e":"trade","E":1,"s":"ZECUSDT","t":1,"p":"1","q":"1","m":true}}""" + "\n"
            + """x {"e":"trade","E":1,"s":"NOTIMEUSDT","t":1,"p":"1","q":"1","m":true}""" + "\n");
        string[] files = [first, second, third];
        var symbols = new SymbolTable();

        // Act
        RecordingSymbolScan.Intern(RecordingFormat.Hftbacktest, files, symbols);

        // Assert: the held COIN-M snapshot comes after the stream name that released it; ignored, nested, too long and
        // untimed symbols are not interned; "!bookTicker" and "@trade" are stream names as the reader always read them.
        Assert.Multiple(() =>
        {
            Assert.That(NamesOf(symbols), Is.EqualTo(new[]
            {
                "ETHUSD_PERP", "BTCUSD_PERP", "NKNUSDT", "BCHUSD_PERP", "!BOOKTICKER", "ADAUSDT", "XRPUSDT", "SOLUSDT", "BNBUSDT", "AVAXUSDT",
                "LRCBTC", "DOGEUSDT", "LINKUSDT", "ATOMUSDT", "FILUSDT", "FILUSDT??", "XYZUSDT", // é is two UTF-8 bytes, named '?' each
            }));
            Assert.That(NamesOf(symbols), Is.EqualTo(ReferenceInterning.NamesInOrder(RecordingFormat.Hftbacktest, files, Market.Futures)));
        });
    }

    [Test]
    public void ShouldInternSnapshotUrlSymbolsFirst_WhenScanningSyntheticCryptofeedCapture()
    {
        // Arrange: the http file lists ZZZUSDT then AAAUSDT; the ws file's frames (earlier in time) name BBBUSDT first.
        using var temp = new TempDirectory("optiflow-scan");
        var ws = Write(temp, "X.ws.1.0", "wss://x/stream?streams=bbbusdt@bookTicker <-> 1.0\n"
            + """1.5: {"stream":"bbbusdt@bookTicker","data":{"u":1,"s":"BBBUSDT","b":"1","B":"1","a":"2","A":"1"}}""" + "\n"
            + """1.6: {"stream":"aaausdt@bookTicker","data":{"u":1,"s":"AAAUSDT","b":"1","B":"1","a":"2","A":"1"}}""" + "\n"
            + "garbage\n");
        Write(temp, "X.http.0.0", """https://x/api/v3/depth?symbol=ZZZUSDT&limit=1000 -> 2.0: {"lastUpdateId":1,"bids":[],"asks":[]}""" + "\n"
            + """https://x/api/v3/depth?limit=1000&symbol=AAAUSDT -> 2.1: {"lastUpdateId":1,"bids":[],"asks":[]}""" + "\n");
        var files = RecordingReaders.SessionFiles(RecordingFormat.Auto, [ws]);
        var symbols = new SymbolTable();

        // Act
        RecordingSymbolScan.Intern(RecordingFormat.Auto, files, symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(files, Has.Count.EqualTo(2));
            Assert.That(NamesOf(symbols), Is.EqualTo(new[] { "ZZZUSDT", "AAAUSDT", "BBBUSDT" }));
            Assert.That(NamesOf(symbols), Is.EqualTo(ReferenceInterning.NamesInOrder(RecordingFormat.Auto, files, Market.Spot)));
        });
    }

    [Test]
    public void ShouldNotIntern_WhenTheDecoderRejectsTheFrameBeforeItsSymbol()
    {
        // Arrange: hand-checked against decode-time interning: the whole frame is validated before its symbol is
        // resolved (a repeated key, bad JSON anywhere, a bad level), so none of these named a symbol; a frame whose
        // symbol came first and failed later (a bad E) did.
        using var temp = new TempDirectory("optiflow-scan");
        var path = Write(temp, "rejects", string.Join('\n',
        [
            """1 {"u":3,"s":"DUPUSDT","b":"1","B":"1","a":"2","A":"1","s":"DUP2USDT"}""",
            """2 {"u":3,"s":"BADJSONUSDT","b":"1","B":"1","a":"2","A":"1"}}""",
            """3 {"e":"depthUpdate","E":1,"s":"BADLEVELUSDT","U":1,"u":2,"b":[["1.123456789","1"]],"a":[]}""",
            """4 {"e":"unknownEvent","s":"UNKNOWNEVENTUSDT"}""",
            """5 {"e":"trade","E":"1","s":"BADEUSDT","t":1,"p":"1","q":"1","m":true}""",
            """6 {"lastUpdateId":"x","symbol":"BADSNAPUSDT","bids":[],"asks":[]}""",
            """7 {"u":3,"s":7,"b":"1","B":"1","a":"2","A":"1"}""",
        ]) + "\n");
        var symbols = new SymbolTable();

        // Act
        RecordingSymbolScan.Intern(RecordingFormat.Hftbacktest, [path], symbols);

        // Assert
        Assert.That(NamesOf(symbols), Is.EqualTo(new[] { "BADEUSDT" }));
    }

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property ShouldMatchDecodeTimeInterning_WhenSessionsAreRandomMixesOfRewrittenFrames() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), seed =>
        {
            // Arrange: 1 to 3 files of up to 25 lines: canonical and synthetic frames with their symbols and stream names
            // drawn from a small pool (in any case), rewritten (fields shuffled, unknown fields added, strings and keys
            // \u-escaped, whitespace everywhere) or not, some lines without a timestamp, some bare snapshots held.
            var random = new Random(seed);
            using var temp = new TempDirectory("optiflow-scan");
            var files = new List<string>();
            for (var f = random.Next(1, 4); f > 0; f--)
            {
                var lines = new StringBuilder();
                for (var n = random.Next(0, 26); n > 0; n--)
                {
                    lines.Append(random.Next(12) == 0 ? "x " : $"{random.Next(1, 1_000_000)} ").Append(RandomFrame(random)).Append('\n');
                }

                files.Add(Write(temp, $"f{f}", lines.ToString()));
            }

            var expected = ReferenceInterning.NamesInOrder(RecordingFormat.Hftbacktest, files, Market.Futures);
            var symbols = new SymbolTable();

            // Act
            RecordingSymbolScan.Intern(RecordingFormat.Hftbacktest, files, symbols);

            // Assert
            var actual = NamesOf(symbols);
            return actual.SequenceEqual(expected).Label($"scan [{string.Join(' ', actual)}] reference [{string.Join(' ', expected)}]\n"
                + string.Join("\n---\n", files.Select(File.ReadAllText)));
        });

    [Test]
    public void ShouldKeepIdsAndAddOnlyNewSymbols_WhenTheTableAlreadyHoldsSome()
    {
        // Arrange: e.g. --symbols or exchangeInfo interned first.
        using var temp = new TempDirectory("optiflow-scan");
        var path = Write(temp, "session", $"1 {Btc}\n2 {Btc.Replace("btcusdt", "ethusdt", StringComparison.Ordinal).Replace("BTCUSDT", "ETHUSDT", StringComparison.Ordinal)}\n");
        var symbols = new SymbolTable();
        symbols.GetOrAdd("ETHUSDT");

        // Act
        var added = RecordingSymbolScan.Intern(RecordingFormat.Auto, [path], symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(added, Is.EqualTo(1));
            Assert.That(NamesOf(symbols), Is.EqualTo(new[] { "ETHUSDT", "BTCUSDT" }));
        });
    }

    [Test]
    public void ShouldThrow_WhenTheTableIsFrozenOrTooSmall()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-scan");
        var path = Write(temp, "session", $"1 {Btc}\n2 {Btc.Replace("btcusdt", "ethusdt", StringComparison.Ordinal).Replace("BTCUSDT", "ETHUSDT", StringComparison.Ordinal)}\n");
        var frozen = new SymbolTable().Freeze();
        var small = new SymbolTable(capacity: 1);

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => RecordingSymbolScan.Intern(RecordingFormat.Auto, [path], frozen), Throws.InvalidOperationException.With.Message.Contains("frozen"));
            Assert.That(() => RecordingSymbolScan.Intern(RecordingFormat.Auto, [path], small), Throws.InvalidOperationException.With.Message.Contains("capacity"));
            Assert.That(() => RecordingSymbolScan.Intern(RecordingFormat.Auto, [Path.Combine(temp.Path, "missing")], new SymbolTable()), Throws.TypeOf<FileNotFoundException>());
        });
    }

    [TestCase(1_300, SymbolTable.DefaultCapacity, 2_048)]
    [TestCase(5, 3, 6)]
    [TestCase(3, 3, 3)]
    public void ShouldSizeTheTableToTheSession_WhenCreatingItFromTheScan(int symbolCount, int minimumCapacity, int expectedCapacity)
    {
        // Arrange: spot bookTicker frames of symbolCount symbols (a spot universe has more than the default 1,024), each twice.
        using var temp = new TempDirectory("optiflow-scan");
        var lines = new StringBuilder();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < symbolCount; i++)
            {
                var name = $"S{i:D4}USDT";
                lines.Append($"{(round * symbolCount) + i + 1} {{\"stream\":\"{name.ToLowerInvariant()}@bookTicker\",\"data\":{{\"u\":{round + 1},\"s\":\"{name}\",\"b\":\"1.00000000\",\"B\":\"1.00000000\",\"a\":\"1.01000000\",\"A\":\"1.00000000\"}}}}\n");
            }
        }

        var path = Write(temp, "universe", lines.ToString());
        var reference = new SymbolTable(4_096);
        RecordingSymbolScan.Intern(RecordingFormat.Auto, [path], reference);

        // Act
        var symbols = RecordingSymbolScan.CreateTable(RecordingFormat.Auto, [path], minimumCapacity);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(symbols.Count, Is.EqualTo(symbolCount));
            Assert.That(symbols.Capacity, Is.EqualTo(expectedCapacity));
            Assert.That(symbols.IsFrozen, Is.False);
            Assert.That(NamesOf(symbols), Is.EqualTo(NamesOf(reference)), "the same ids as one scan into a table large enough");
        });
    }

    private static string RandomFrame(Random random)
    {
        string[] pool = ["BTCUSDT", "ethusdt", "BnbUsdt", "XRPUSDT", "BTCUSD_PERP", "solusdt"];
        string Pick() => pool[random.Next(pool.Length)];
        string frame;
        if (random.Next(3) == 0)
        {
            frame = SyntheticFrames[random.Next(SyntheticFrames.Length)];
        }
        else
        {
            frame = BinanceFrameDecoderPropertyTests.Canonical[random.Next(BinanceFrameDecoderPropertyTests.Canonical.Length)].Frame;
        }

        // New symbols for the s/symbol value and the stream name, independently.
        var symbol = Pick();
        var stream = Pick().ToLowerInvariant();
        foreach (var name in new[] { "BTCUSDT", "BTCUSD_PERP", "NKNUSDT" })
        {
            frame = frame.Replace($"\"{name}\"", $"\"{symbol}\"", StringComparison.Ordinal);
            frame = frame.Replace($"\"{name.ToLowerInvariant()}@", $"\"{stream}@", StringComparison.Ordinal);
        }

        if (random.Next(2) == 0)
        {
            // JSON whitespace may be a line break: inside a recording line it must be another one.
            frame = Encoding.UTF8.GetString(BinanceFrameDecoderPropertyTests.Rewrite(frame, random)).Replace('\n', '\t').Replace('\r', ' ');
        }

        return frame;
    }

    private static string[] NamesOf(SymbolTable symbols) => [.. Enumerable.Range(0, symbols.Count).Select(symbols.NameOf)];

    private static string Write(TempDirectory temp, string name, string text)
    {
        var path = temp.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
