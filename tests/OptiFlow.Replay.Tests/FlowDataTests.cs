using System.Globalization;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Hosting.Output;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// VPIN buckets (<c>optiflow flow</c>) over the real trades of every recording with a <c>trade</c> stream, against an
/// independent decimal implementation written here from the raw frames (parsed with <see cref="JsonDocument"/>, not
/// the engine's decoder); the engine path (a <see cref="VpinEvaluator"/> in a session) against the direct driver; the
/// journaled session's replay; the CLI; and no allocation per trade or quote in the VPIN, TFI and OFI classes.
/// </summary>
[TestFixture]
[Category("Data")]
public sealed class FlowDataTests
{
    private static IEnumerable<TestCaseData> Sessions => TradeSessions.Cases(TradeSessions.WithTrades);

    [TestCaseSource(nameof(Sessions))]
    public void ShouldMatchAnIndependentDecimalImplementation_WhenBucketingEveryTradeOfARecording(Market market, string[] files)
    {
        // Arrange: a coarse and a fine bucket volume (the fine one splits most trades across several buckets).
        var input = Open(market, files);
        var trades = ReferenceTrades(input, out var nonMarket);
        var total = trades.Sum(t => t.Quantity);
        var coarse = Math.Max(0.00000001m, Math.Round(total / 300m, 3));
        var fine = Math.Max(0.00000001m, Math.Round(total / 20_000m, 8));

        foreach (var (volume, window) in new[] { (coarse, 10), (fine, 50) })
        {
            // Act
            var expected = ReferenceRows(trades, volume, window);
            var sink = new CollectingSink();
            var result = TradeFlowRun.Run(input, ToUnits(volume), window, ref sink);

            // Assert
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.Trades, Is.EqualTo(trades.Count), $"V={volume}: market trades fed");
                Assert.That(result.NonMarketTrades, Is.EqualTo(nonMarket), "non-MARKET futures trades skipped");
                Assert.That(result.DecodeErrors, Is.Zero);
                Assert.That(sink.Rows, Has.Count.EqualTo(expected.Count).And.Count.Positive, $"V={volume}, N={window}: rows");
                var actual = sink.Rows.Select(r => (input.Symbols.NameOf(r.SymbolId), r.Bucket, r.EventTimeMs, r.BuyVolume / 100_000_000m, r.SellVolume / 100_000_000m)).ToList();
                Assert.That(actual, Is.EqualTo(expected.Select(r => (r.Symbol, r.Bucket, r.EventTimeMs, r.Buy, r.Sell)).ToList()), $"V={volume}: buckets (exact volumes)");
                var worst = sink.Rows.Zip(expected, (a, e) => Math.Abs(a.Vpin - e.Vpin)).DefaultIfEmpty().Max();
                Assert.That(worst, Is.LessThanOrEqualTo(1e-15), $"V={volume}: largest |vpin − decimal vpin|");
            }
        }
    }

    [TestCaseSource(nameof(Sessions))]
    public void ShouldEmitTheDirectDriversRows_WhenTheVpinEvaluatorRunsInASession(Market market, string[] files)
    {
        // Arrange
        var input = Open(market, files);
        var volume = ToUnits(Math.Max(0.001m, Math.Round(ReferenceTrades(input, out _).Sum(t => t.Quantity) / 1_000m, 3)));
        var direct = new CollectingSink();
        TradeFlowRun.Run(input, volume, 20, ref direct);
        var factory = new VpinEvaluatorFactory(volume, 20);
        var records = new CollectingHandler();

        // Act
        var result = HostedRun.Run(input, new EngineOptions { Evaluators = [factory], OutboundHandlers = [records] });

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Buckets, Is.EqualTo(direct.Rows), "bucket bodies, byte for byte");
            Assert.That(records.Headers.Select(h => (h.SymbolId, h.EventTimeMs)), Is.EqualTo(direct.Rows.Select(r => (r.SymbolId, r.EventTimeMs))), "record headers name the completing trade");
            Assert.That(result.Evaluators[0].RecordsEmitted, Is.EqualTo(direct.Rows.Count));
            Assert.That(factory.Created!.Rows, Is.EqualTo(direct.Rows.Count));
        }
    }

    [Test]
    public void ShouldReproduceEveryVpinRecord_WhenTheJournaledSessionIsReplayed()
    {
        // Arrange
        var input = Open(Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20240808"]);
        using var temp = new TempDirectory("optiflow-flow");
        var journal = temp.File("journal");

        // Act
        var result = HostedRun.Run(input, new EngineOptions { JournalDirectory = journal, Evaluators = [new VpinEvaluatorFactory(ToUnits(5m), 10)] });
        var replay = JournalReplayer.Replay(journal, temp.File("replayed"), overwriteOutbound: false, catalog: null);
        var divergence = JournalReplayer.CompareOutbound(journal, replay, out _);
        var scan = JournalScanner.Scan(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Evaluators[0].RecordsEmitted, Is.Positive);
            Assert.That(scan.EvaluatorRecords, Is.EqualTo(result.Evaluators[0].RecordsEmitted));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(divergence, Is.Null, "the builtin catalog rebuilds the vpin evaluator: every record byte for byte");
        }
    }

    [Test]
    public void ShouldCheckAPreVersion5JournalsSignalDigestOverTheOld96Bytes_WhenReplayed()
    {
        // Arrange: a replay of this build's journal, then its recorded header and summary as a format-4 writer would
        // have written them (the digest over 96-byte signals, which the replaying core also keeps).
        using var temp = new TempDirectory("optiflow-wobi");
        var journal = temp.File("journal");
        HostedRun.Run(RecordingInput.Open([OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures), new EngineOptions { JournalDirectory = journal });
        var replay = JournalReplayer.Replay(journal);
        var asVersion4 = replay with
        {
            Header = replay.Header! with { JournalFormatVersion = 4 },
            Expected = replay.Expected! with { SignalDigest = replay.Core.LegacySignalDigest },
        };
        var version5WithOldDigest = replay with { Expected = replay.Expected! with { SignalDigest = replay.Core.LegacySignalDigest } };

        // Act / Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(replay.Core.LegacySignalDigest, Is.Not.EqualTo(replay.Core.SignalDigest), "Wobi10 is in the new digest");
            Assert.That(asVersion4.Differences(), Is.Empty);
            Assert.That(version5WithOldDigest.Differences(), Has.Some.StartsWith("signal stream"));
        }
    }

    [Test]
    public void ShouldPrintTheDirectDriversRows_WhenRunFromTheCommandLine()
    {
        // Arrange
        var file = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808");
        var input = RecordingInput.Open([file], RecordingFormat.Auto, market: null);
        using var expectedStream = new MemoryStream();
        using (var buffer = new Utf8OutputBuffer(expectedStream))
        {
            var printer = new VpinCsvPrinter(buffer, input.Symbols);
            printer.WriteHeader();
            TradeFlowRun.Run(input, ToUnits(2.5m), 7, ref printer);
        }

        using var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        // Act
        var exit = OptiFlowCommand.Run(["flow", "--bucket-volume", "2.5", "--window", "7", file], output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
            Assert.That(output.ToString(), Is.EqualTo(Encoding.UTF8.GetString(expectedStream.ToArray())));
            Assert.That(output.ToString(), Does.StartWith(VpinCsvPrinter.Header + "\n"));
            using var summary = JsonDocument.Parse(error.ToString());
            Assert.That(summary.RootElement.GetProperty("trades").GetInt64(), Is.EqualTo(21_313));
            Assert.That(summary.RootElement.GetProperty("skipped").GetProperty("non_market_trades").GetInt64(), Is.Zero);
            Assert.That(summary.RootElement.GetProperty("rows").GetInt64(), Is.EqualTo(output.ToString().Count(c => c == '\n') - 1));
        }
    }

    [TestCase(new[] { "flow", "FILE" }, "--bucket-volume")]
    [TestCase(new[] { "flow", "--bucket-volume", "0", "FILE" }, "--bucket-volume must be a positive decimal")]
    [TestCase(new[] { "flow", "--bucket-volume", "-1", "FILE" }, "--bucket-volume must be a positive decimal")]
    [TestCase(new[] { "flow", "--bucket-volume", "ten", "FILE" }, "--bucket-volume must be a positive decimal")]
    [TestCase(new[] { "flow", "--bucket-volume", "0.000000001", "FILE" }, "at most 8 decimals")]
    [TestCase(new[] { "flow", "--bucket-volume", "1", "--window", "0", "FILE" }, "--window must be at least 1")]
    [TestCase(new[] { "flow", "--bucket-volume", "1", "--window", "x", "FILE" }, "--window")]
    public void ShouldExitWithUsageError_WhenAnOptionIsMissingOrInvalid(string[] args, string message)
    {
        // Arrange
        var file = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808");
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        // Act
        var exit = OptiFlowCommand.Run([.. args.Select(a => a == "FILE" ? file : a)], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(error.ToString(), Does.Contain(message));
        Assert.That(output.ToString(), Is.Empty);
    }

    [Test]
    public void ShouldNotAllocatePerTradeOrQuote_WhenFeedingRealTradesAndBookTickers()
    {
        // Arrange: every trade and bookTicker of a recording, parsed up front.
        var input = Open(Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20240808"]);
        var trades = ReferenceTrades(input, out _).Select(t => (Quantity: ToUnits(t.Quantity), t.BuyerIsMaker, t.EventTimeMs)).ToArray();
        var quotes = BookTickers(input);
        var vpin = new VpinBuckets(1, ToUnits(1m), 50);
        var tfi = new TradeFlowImbalance(1, 100);
        var ofi = new OrderFlowImbalance(1, 100);
        var sink = default(CountingSink);
        Assert.That(trades, Has.Length.GreaterThan(10_000));
        Assert.That(quotes, Has.Length.GreaterThan(10_000));

        // Act / Assert: 0 bytes over every trade and every quote (after one warm-up pass).
        AllocationAssert.ShouldNotAllocate(
            () =>
            {
                foreach (var t in trades)
                {
                    vpin.OnTrade(0, t.Quantity, t.BuyerIsMaker, t.EventTimeMs, ref sink);
                    tfi.OnTrade(0, t.Quantity, t.BuyerIsMaker);
                }

                foreach (var q in quotes)
                {
                    ofi.OnTopOfBook(0, q.BidPrice, q.BidQuantity, q.AskPrice, q.AskQuantity, out _);
                }
            },
            warmUpRuns: 1);
        Assert.That(sink.Rows, Is.Positive);
    }

    private static RecordingInput Open(Market market, string[] files) =>
        RecordingInput.Open([.. files.Select(RecordingData.Require)], RecordingFormat.Auto, market);

    private static long ToUnits(decimal value) => (long)(value * 100_000_000m);

    /// <summary>Every <c>trade</c> frame of the recording, parsed with <see cref="JsonDocument"/>; non-MARKET futures trades counted, not returned.</summary>
    private static List<Trade> ReferenceTrades(RecordingInput input, out long nonMarket)
    {
        nonMarket = 0;
        var trades = new List<Trade>();
        using var reader = input.OpenReader();
        while (reader.TryRead(out var frame))
        {
            if (frame.Frame.IndexOf("\"trade\""u8) < 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(frame.Frame.ToArray());
            var data = json.RootElement.TryGetProperty("data", out var inner) ? inner : json.RootElement;
            if (!data.TryGetProperty("e", out var e) || e.GetString() != "trade")
            {
                continue;
            }

            if (data.TryGetProperty("X", out var x) && x.GetString() != "MARKET")
            {
                nonMarket++;
                continue;
            }

            trades.Add(new Trade(
                data.GetProperty("s").GetString()!,
                decimal.Parse(data.GetProperty("q").GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
                data.GetProperty("m").GetBoolean(),
                data.GetProperty("E").GetInt64()));
        }

        return trades;
    }

    /// <summary>Every bookTicker frame's best quote, parsed with <see cref="JsonDocument"/>.</summary>
    private static (long BidPrice, long BidQuantity, long AskPrice, long AskQuantity)[] BookTickers(RecordingInput input)
    {
        var quotes = new List<(long, long, long, long)>();
        using var reader = input.OpenReader();
        while (reader.TryRead(out var frame))
        {
            if (frame.Frame.IndexOf("bookTicker"u8) < 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(frame.Frame.ToArray());
            var data = json.RootElement.TryGetProperty("data", out var inner) ? inner : json.RootElement;
            long Units(string name) => ToUnits(decimal.Parse(data.GetProperty(name).GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture));
            quotes.Add((Units("b"), Units("B"), Units("a"), Units("A")));
        }

        return [.. quotes];
    }

    /// <summary>The bucket rule, written out plainly in decimal: fill, split, close at exactly V; VPIN re-summed from the last N buckets.</summary>
    private static List<Row> ReferenceRows(List<Trade> trades, decimal volume, int window)
    {
        var rows = new List<Row>();
        var open = new Dictionary<string, (decimal Buy, decimal Sell)>(StringComparer.Ordinal);
        var closed = new Dictionary<string, List<decimal>>(StringComparer.Ordinal);
        foreach (var trade in trades)
        {
            var (buy, sell) = open.GetValueOrDefault(trade.Symbol);
            var imbalances = closed.TryGetValue(trade.Symbol, out var list) ? list : closed[trade.Symbol] = [];
            var remaining = trade.Quantity;
            while (remaining > 0)
            {
                var take = Math.Min(volume - buy - sell, remaining);
                remaining -= take;
                if (trade.BuyerIsMaker)
                {
                    sell += take;
                }
                else
                {
                    buy += take;
                }

                if (buy + sell == volume)
                {
                    imbalances.Add(Math.Abs(buy - sell));
                    if (imbalances.Count >= window)
                    {
                        var vpin = imbalances.Skip(imbalances.Count - window).Sum() / (window * volume);
                        rows.Add(new Row(trade.Symbol, imbalances.Count, trade.EventTimeMs, buy, sell, (double)vpin));
                    }

                    (buy, sell) = (0, 0);
                }
            }

            open[trade.Symbol] = (buy, sell);
        }

        return rows;
    }

    private sealed record Trade(string Symbol, decimal Quantity, bool BuyerIsMaker, long EventTimeMs);

    private sealed record Row(string Symbol, long Bucket, long EventTimeMs, decimal Buy, decimal Sell, double Vpin);

    private sealed class CollectingSink : IVpinBucketSink
    {
        public List<VpinBucket> Rows { get; } = [];

        public void OnBucket(in VpinBucket bucket) => Rows.Add(bucket);
    }

    private struct CountingSink : IVpinBucketSink
    {
        public long Rows;

        public void OnBucket(in VpinBucket bucket) => Rows++;
    }

    private sealed class CollectingHandler : IEventHandler<OutboundEvent>
    {
        public List<VpinBucket> Buckets { get; } = [];

        public List<EvaluatorRecord> Headers { get; } = [];

        public void OnStart()
        {
        }

        public void OnBatchStart(long firstSequence, long count)
        {
        }

        public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
        {
            if (data.Kind == OutboundEventKind.EvaluatorRecord && data.EvaluatorRecord.Type == EvaluatorRecordType.VpinBucket)
            {
                Buckets.Add(data.EvaluatorRecord.BodyAs<VpinBucket>());
                Headers.Add(data.EvaluatorRecord);
            }
        }

        public void OnShutdown()
        {
        }
    }
}
