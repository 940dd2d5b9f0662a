using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary><c>optiflow triangles</c> as a user runs it: lines, their order within a trigger, the summary, usage
/// errors; and a journaled session with the triangle evaluator replayed through the built-in catalog.</summary>
[TestFixture]
public sealed class TrianglesCommandTests
{
    private static string ExchangeInfo => RecordingData.Require("SM2A-Binance_API/exchangeInfoCompact.json");

    [Test]
    public void ShouldPrintOneJsonLinePerCycleAtTheThreshold_WithTheTriggerAndRoundTripDoubles()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-triangles");
        var recording = Recording(temp, ("BTCUSDT", 100, "26000", "1.5", "26000.01", "2"), ("ETHUSDT", 200, "1650", "10", "1650.01", "12"),
            ("ETHBTC", 300, "0.064", "30", "0.06401", "40"), ("ETHBTC", 301, "0.063", "30", "0.06301", "40"));
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["triangles", "--exchange-info", ExchangeInfo, "--min-edge-bps", "-100", recording], output, error);

        // Assert: USDT>ETH>BTC>USDT on n 3 buys ETH at 1650.01, sells it at 0.064 BTC, sells BTC at 26000; on n 4
        // USDT>BTC>ETH>USDT buys BTC at 26000.01, ETH at 0.06301 BTC, sells ETH at 1650. The other cycle is below -100 bps.
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var lines = Lines(output);
        const double K = 0.999;
        Assert.That(lines, Has.Length.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines[0], Does.StartWith("{\"n\":3,\"symbol\":\"ETHBTC\",\"u\":300,\"path\":\"USDT>ETH>BTC>USDT\",\"edge_bps\":"));
            Assert.That(lines[1], Does.StartWith("{\"n\":4,\"symbol\":\"ETHBTC\",\"u\":301,\"path\":\"USDT>BTC>ETH>USDT\",\"edge_bps\":"));
            Assert.That(Edge(lines[0]), Is.EqualTo(((0.064 * 26_000 / 1_650.01 * K * K * K) - 1) * 10_000).Within(1e-9));
            Assert.That(Size(lines[0]), Is.EqualTo(12 * 1_650.01).Within(1e-9), "ETHUSDT's ask binds: 12 ETH · 1650.01");
            Assert.That(Edge(lines[1]), Is.EqualTo(((1_650 / (26_000.01 * 0.06301) * K * K * K) - 1) * 10_000).Within(1e-9));
            Assert.That(Size(lines[1]), Is.EqualTo(Math.Min(2 * 26_000.01, Math.Min(40 * 0.06301 / (K / 26_000.01), 10 / (K * K / (26_000.01 * 0.06301))))).Within(1e-7));
            foreach (var line in lines)
            {
                using var json = JsonDocument.Parse(line);
                foreach (var key in new[] { "edge_bps", "max_start_qty" })
                {
                    var raw = json.RootElement.GetProperty(key).GetRawText();
                    Assert.That(raw, Is.EqualTo(double.Parse(raw, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)), "shortest round-trip text");
                }
            }
        }
    }

    [Test]
    public void ShouldSortTheLinesOfOneTriggerByPath_WhenTheTriggerIsInSeveralTriangles()
    {
        // Arrange: BTCUSDT is in (USDT, BTC, ETH) and (USDT, BNB, BTC); its last ticker re-evaluates both, both ways.
        using var temp = new TempDirectory("optiflow-triangles");
        var recording = Recording(temp, ("ETHUSDT", 1, "1650", "10", "1650.01", "12"), ("ETHBTC", 2, "0.064", "30", "0.06401", "40"),
            ("BNBUSDT", 3, "215", "10", "215.1", "10"), ("BNBBTC", 4, "0.0083", "10", "0.00831", "10"),
            ("BNBETH", 5, "0.13", "10", "0.1301", "10"), ("BTCUSDT", 6, "26000", "1", "26000.01", "1"));
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["triangles", "--exchange-info", ExchangeInfo, "--min-edge-bps", "-10000", recording], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var last = Lines(output).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("n").GetInt64() == 6).ToArray();
        var paths = last.Select(e => e.GetProperty("path").GetString()!).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(paths, Is.EquivalentTo(new[] { "USDT>BNB>BTC>USDT", "USDT>BTC>BNB>USDT", "USDT>BTC>ETH>USDT", "USDT>ETH>BTC>USDT" }));
            Assert.That(paths, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(last.Select(e => e.GetProperty("symbol").GetString()), Is.All.EqualTo("BTCUSDT"));
        }
    }

    [Test]
    public void ShouldWriteASummaryLineOnStandardError_WithCountsAndEvaluationTimes()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-triangles");
        var recording = Recording(temp, ("BTCUSDT", 100, "26000", "1.5", "26000.01", "2"), ("ETHUSDT", 200, "1650", "10", "1650.01", "12"),
            ("ETHBTC", 300, "0.064", "30", "0.06401", "40"), ("XRPUSDT", 400, "0.5", "1000", "0.5001", "1000"));
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["triangles", "--exchange-info", ExchangeInfo, recording], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        using var summary = JsonDocument.Parse(error.ToString().Trim());
        var root = summary.RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("bookTicker_frames").GetInt64(), Is.EqualTo(4));
            Assert.That(root.GetProperty("triangles").GetInt64(), Is.EqualTo(2_207));
            Assert.That(root.GetProperty("evaluations").GetInt64(), Is.EqualTo(2), "ETHBTC's ticker completes one triangle: both directions");
            Assert.That(root.GetProperty("opportunities").GetInt64(), Is.EqualTo(1), "USDT>ETH>BTC>USDT is +54.6 bps");
            Assert.That(Lines(output), Has.Length.EqualTo(1));
            Assert.That(root.GetProperty("eval_ns_p50").GetInt64(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("eval_ns_p99").GetInt64(), Is.GreaterThanOrEqualTo(root.GetProperty("eval_ns_p50").GetInt64()));
            Assert.That(root.GetProperty("executable_plans").GetInt64() + root.GetProperty("plan_failures").EnumerateObject().Sum(p => p.Value.GetInt64()), Is.EqualTo(1));
        }
    }

    [TestCase(new string[] { }, "--exchange-info")]
    [TestCase(new[] { "--exchange-info", "/nonexistent/exchangeInfo.json" }, "cannot read the exchangeInfo file")]
    [TestCase(new[] { "--exchange-info", "DIR" }, "cannot read the exchangeInfo file")]
    [TestCase(new[] { "--exchange-info", "EI", "--taker-fee-bps", "ten" }, "--taker-fee-bps must be a number")]
    [TestCase(new[] { "--exchange-info", "EI", "--min-edge-bps", "1e999" }, "--min-edge-bps must be a number")]
    [TestCase(new[] { "--exchange-info", "EI", "--taker-fee-bps", "10000" }, "below 10000 bps")]
    [TestCase(new[] { "--exchange-info", "EI", "--taker-fee-bps", "-1" }, "at least 0")]
    [TestCase(new[] { "--exchange-info", "EI", "--taker-fee-bps", "7.50001" }, "more than 4 decimals")]
    [TestCase(new[] { "--exchange-info", "NOTJSON" }, "is not an exchangeInfo response")]
    public void ShouldExitWithBadUsageAndSayWhy_WhenAnOptionIsMissingOrWrong(string[] options, string message)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-triangles");
        var recording = Recording(temp, ("BTCUSDT", 100, "26000", "1.5", "26000.01", "2"));
        var notJson = temp.File("not.json");
        File.WriteAllText(notJson, "this is not json");
        var args = new[] { "triangles" }.Concat(options.Select(o => o == "EI" ? ExchangeInfo : o == "NOTJSON" ? notJson : o == "DIR" ? temp.Path : o)).Append(recording).ToArray();
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(args, output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), error.ToString());
            Assert.That(error.ToString(), Does.Contain(message));
            Assert.That(output.ToString(), Is.Empty);
        }
    }

    [Test]
    public void ShouldReproduceEveryTriangleRecord_WhenTheJournaledSessionIsReplayedThroughTheBuiltinCatalog()
    {
        // Arrange: the full universe over a seeded stream written as a recording.
        using var temp = new TempDirectory("optiflow-triangles");
        var factory = new TriangleEvaluatorFactory(ExchangeInfo, takerFeeBps: 10, minEdgeBps: -5);
        var trading = factory.ExchangeInfo.TradingInstruments();
        var table = new SymbolTable(4096);
        foreach (var instrument in trading)
        {
            table.GetOrAdd(instrument.Symbol);
        }

        var events = new SeededBookTickerStream(trading, table.Freeze(), 7).Generate(3_000);
        var path = temp.File("stream.txt");
        File.WriteAllLines(path, events.Select(e => Line(table.NameOf(e.SymbolId), e)));
        var journal = temp.File("journal");
        var input = RecordingInput.Open([path], Adapters.Binance.Recording.RecordingFormat.Auto, Market.Spot, factory.ExchangeInfo.SymbolTableCapacity());

        // Act
        SessionResult result;
        using (var session = EngineSession.ForRecording(input, new EngineOptions { JournalDirectory = journal, Evaluators = [factory] }))
        {
            session.Start();
            session.PublishRecording();
            result = session.Stop();
        }

        var replay = JournalReplayer.Replay(journal, temp.File("replayed"), overwriteOutbound: false, EvaluatorCatalog.Builtin);

        // Assert
        var evaluator = (TriangleEvaluator)result.Core.Evaluators!.Evaluators[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Core.EventsOfKind(MarketEventKind.BookTicker), Is.EqualTo(3_000));
            Assert.That(evaluator.Opportunities, Is.GreaterThan(0));
            Assert.That(result.Evaluators[0].RecordsEmitted, Is.EqualTo(evaluator.Opportunities));
            Assert.That(replay.Differences(), Is.Empty);
            Assert.That(replay.Identical, Is.True);
        }
    }

    private static string Recording(TempDirectory temp, params (string Symbol, long U, string Bid, string BidQty, string Ask, string AskQty)[] tickers)
    {
        var path = temp.File("bookTicker.txt");
        var time = SeededBookTickerStream.StartNs;
        File.WriteAllLines(path, tickers.Select(t =>
            $"{time += 100_000} {{\"stream\":\"{t.Symbol.ToLowerInvariant()}@bookTicker\",\"data\":{{\"u\":{t.U},\"s\":\"{t.Symbol}\",\"b\":\"{t.Bid}\",\"B\":\"{t.BidQty}\",\"a\":\"{t.Ask}\",\"A\":\"{t.AskQty}\"}}}}"));
        return path;
    }

    private static string Line(string symbol, MarketEvent e) =>
        $"{e.LocalTimestampNs} {{\"stream\":\"{symbol.ToLowerInvariant()}@bookTicker\",\"data\":{{\"u\":{e.FinalUpdateId},\"s\":\"{symbol}\",\"b\":\"{FixedPoint.ToString(e.BidPrice)}\",\"B\":\"{FixedPoint.ToString(e.BidQuantity)}\",\"a\":\"{FixedPoint.ToString(e.AskPrice)}\",\"A\":\"{FixedPoint.ToString(e.AskQuantity)}\"}}}}";

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static double Edge(string line) => JsonDocument.Parse(line).RootElement.GetProperty("edge_bps").GetDouble();

    private static double Size(string line) => JsonDocument.Parse(line).RootElement.GetProperty("max_start_qty").GetDouble();
}

/// <summary>The triangle printer on the outbound ring's consumer thread: nothing allocated per record.</summary>
[TestFixture]
public sealed class TriangleJsonPrinterTests
{
    [Test]
    public void ShouldNotAllocate_WhenPrintingTriangleRecords()
    {
        // Arrange
        var universe = new TriangleUniverse(
        [
            new InstrumentSpec { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT" },
            new InstrumentSpec { Symbol = "ETHUSDT", BaseAsset = "ETH", QuoteAsset = "USDT" },
            new InstrumentSpec { Symbol = "ETHBTC", BaseAsset = "ETH", QuoteAsset = "BTC" },
        ]);
        var table = new SymbolTable(8);
        table.GetOrAdd("ETHBTC");
        table.Freeze();
        using var buffer = new Engine.Hosting.Output.Utf8OutputBuffer(Stream.Null);
        var printer = new Engine.Hosting.Output.TriangleJsonPrinter(buffer, table, universe);
        var events = new Engine.Outbound.OutboundEvent[256];
        for (var i = 0; i < events.Length; i++)
        {
            events[i].Kind = Engine.Outbound.OutboundEventKind.EvaluatorRecord;
            events[i].EvaluatorRecord.Type = Engine.Evaluators.EvaluatorRecordType.TriangleOpportunity;
            events[i].EvaluatorRecord.SymbolId = 0;
            ref var body = ref events[i].EvaluatorRecord.BodyAs<TriangleOpportunity>();
            body.N = i + 1;
            body.U = 1_000 + i;
            body.EdgeBps = (i * 0.137) - 3;
            body.MaxStartQty = 1.0 / (i + 1);
            body.Direction = (TriangleDirection)(i % 2);
        }

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < events.Length; i++)
            {
                printer.OnEvent(ref events[i], i, endOfBatch: i == events.Length - 1);
            }
        });
        Assert.That(printer.Lines, Is.EqualTo(3 * events.Length), "two warm-up runs and the measured one: every record printed");
    }
}
