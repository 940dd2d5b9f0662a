using System.Runtime.InteropServices;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// Decodes every frame of the recorded sessions with <see cref="BinanceFrameDecoder"/> and with the
/// <c>Utf8JsonReader</c>-based <see cref="ReferenceDecoder"/>, and compares every field of every event and level.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BinanceFrameDecoderDifferentialTests
{
    private static readonly (string Path, Market Market)[] CryptofeedFiles =
    [
        ("cryptofeed/sample_data/BINANCE.ws.1.0", Market.Spot),
        ("cryptofeed/sample_data/BINANCE_US.ws.1.0", Market.Spot),
        ("cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0", Market.Futures),
        ("cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0", Market.Futures),
    ];

    public static IEnumerable<TestCaseData> HftbacktestFiles()
    {
        var files = RecordingData.HftbacktestExamples;
        if (files.Count == 0)
        {
            yield return new TestCaseData("hftbacktest/examples", Market.None).SetArgDisplayNames("hftbacktest (absent)");
            yield break;
        }

        foreach (var file in files)
        {
            yield return new TestCaseData(file.RelativePath, file.Market).SetArgDisplayNames(file.RelativePath);
        }
    }

    public static IEnumerable<TestCaseData> CryptofeedCases() =>
        CryptofeedFiles.Select(f => new TestCaseData(f.Path, f.Market).SetArgDisplayNames(Path.GetFileName(f.Path)));

    [TestCaseSource(nameof(HftbacktestFiles))]
    public void ShouldMatchReferenceDecoder_WhenDecodingEveryFrameOfHftbacktestRecording(string relativePath, Market market)
    {
        // Arrange
        var path = RecordingData.Require(relativePath);
        var symbols = FrozenSymbols.ForRecording(Recording.RecordingFormat.Hftbacktest, [path]);
        var frames = RecordedFrames.LoadHftbacktest([path], symbols);

        // Act
        var counts = CompareAll(frames, market, symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(counts[(int)FrameOutcome.Error], Is.Zero, "errors");
            Assert.That(counts[(int)FrameOutcome.Event] + counts[(int)FrameOutcome.Levels], Is.GreaterThan(1000), "decoded frames");
        });
    }

    [TestCaseSource(nameof(CryptofeedCases))]
    public void ShouldMatchReferenceDecoder_WhenDecodingEveryFrameOfCryptofeedCapture(string relativePath, Market market)
    {
        // Arrange
        var path = RecordingData.Require(relativePath);
        var symbols = FrozenSymbols.ForRecording(Recording.RecordingFormat.Cryptofeed, [path]);
        var frames = RecordedFrames.LoadCryptofeed(path);

        // Act
        var counts = CompareAll(frames, market, symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(counts[(int)FrameOutcome.Error], Is.Zero, "errors");
            Assert.That(counts[(int)FrameOutcome.Ignored], Is.Positive, "kline frames are ignored");
            Assert.That(counts[(int)FrameOutcome.Event], Is.Positive, "events (bookTicker, aggTrade)");
        });
    }

    public static IEnumerable<TestCaseData> ReaderSessions()
    {
        yield return new TestCaseData(new[] { "cryptofeed/sample_data/BINANCE.ws.1.0", "cryptofeed/sample_data/BINANCE.http.0.0" }, Market.Spot, 4).SetArgDisplayNames("cryptofeed BINANCE ws+http");
        yield return new TestCaseData(new[] { "cryptofeed/sample_data/BINANCE_US.ws.1.0", "cryptofeed/sample_data/BINANCE_US.http.0.0" }, Market.Spot, 4).SetArgDisplayNames("cryptofeed BINANCE_US ws+http");
        yield return new TestCaseData(new[] { "cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0", "cryptofeed/sample_data/BINANCE_FUTURES.http.0.0" }, Market.Futures, 4).SetArgDisplayNames("cryptofeed BINANCE_FUTURES ws+http");
        yield return new TestCaseData(new[] { "cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0", "cryptofeed/sample_data/BINANCE_DELIVERY.http.0.0" }, Market.Futures, 10).SetArgDisplayNames("cryptofeed BINANCE_DELIVERY ws+http");
        yield return new TestCaseData(new[] { "FinanceTechnologyProjects/resources/data/binance/depth.json" }, Market.Spot, 0).SetArgDisplayNames("jsonl FinanceTechnologyProjects");
        yield return new TestCaseData(new[] { "collect-binancefutures/sample_data/btcusdt_20220811.dat" }, Market.Futures, 1).SetArgDisplayNames("collect-binancefutures 2022");
    }

    [TestCaseSource(nameof(ReaderSessions))]
    public void ShouldMatchReferenceDecoder_WhenDecodingEveryFrameThroughFormatReader(string[] relativePaths, Market market, int snapshots)
    {
        // Arrange: the format is detected from content, as `optiflow run --format auto` does.
        var paths = relativePaths.Select(RecordingData.Require).ToArray();
        var symbols = FrozenSymbols.ForRecording(Recording.RecordingFormat.Auto, paths);
        List<StoredFrame> frames;
        using (var reader = Recording.RecordingReaders.Open(Recording.RecordingFormat.Auto, paths, symbols))
        {
            frames = ReaderFrames.Load(reader);
        }

        // Act
        var counts = CompareAll(frames, market, symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(counts[(int)FrameOutcome.Error], Is.Zero, "errors");
            Assert.That(frames.Count(f => f.SymbolHint >= 0), Is.EqualTo(snapshots), "REST snapshots with a symbol hint");
            Assert.That(counts[(int)FrameOutcome.Levels], Is.Positive, "depth messages");
        });
    }

    [Test]
    public void ShouldCountEveryMessageKind_WhenDecodingUsdmBtcusdt20240808()
    {
        // Arrange: PROVENANCE §1 gives 66,089 bookTicker + 6,551 depth@0ms + 21,313 trade + 1 snapshot.
        var path = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808");
        var symbols = FrozenSymbols.ForRecording(Recording.RecordingFormat.Hftbacktest, [path]);
        var decoder = new BinanceFrameDecoder(Market.Futures, symbols);
        var levels = new DepthLevelBuffer();
        var kinds = new int[8];
        var slot = default(MarketEvent);

        // Act
        using (var reader = new Recording.RecordingReader([path], symbols))
        {
            while (reader.TryRead(out var frame))
            {
                if (decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint) != FrameOutcome.Error)
                {
                    kinds[(int)slot.Kind]++;
                }
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(kinds[(int)MarketEventKind.BookTicker], Is.EqualTo(66_089));
            Assert.That(kinds[(int)MarketEventKind.DepthLevel], Is.EqualTo(6_551));
            Assert.That(kinds[(int)MarketEventKind.Trade], Is.EqualTo(21_313));
            Assert.That(kinds[(int)MarketEventKind.SnapshotLevel], Is.EqualTo(1));
            Assert.That(kinds[(int)MarketEventKind.DecodeError], Is.Zero);
        });
    }

    private static int[] CompareAll(List<StoredFrame> frames, Market market, SymbolTable symbols)
    {
        var decoder = new BinanceFrameDecoder(market, symbols);
        var referenceSymbols = new SymbolTable();
        var reference = new ReferenceDecoder(market, referenceSymbols);
        var levels = new DepthLevelBuffer(16);
        var counts = new int[4];
        var slot = default(MarketEvent);
        foreach (var frame in frames)
        {
            var outcome = decoder.Decode(frame.Bytes, ref slot, levels, frame.SymbolHint);
            var expected = reference.Decode(frame.Bytes, frame.SymbolHint);
            counts[(int)outcome]++;
            AssertSame(frame, outcome, slot, levels, symbols, expected, referenceSymbols, decoder);
        }

        return counts;
    }

    internal static void AssertSame(
        StoredFrame frame,
        FrameOutcome outcome,
        MarketEvent slot,
        DepthLevelBuffer levels,
        SymbolTable symbols,
        ReferenceResult expected,
        SymbolTable referenceSymbols,
        BinanceFrameDecoder decoder)
    {
        if (outcome != expected.Outcome)
        {
            Assert.Fail($"{frame}: outcome {outcome} ({decoder.LastError} at {decoder.LastErrorOffset}), reference {expected.Outcome} ({expected.Error})");
        }

        if (outcome is FrameOutcome.Error or FrameOutcome.Ignored)
        {
            return;
        }

        var actualName = slot.SymbolId >= 0 ? symbols.NameOf(slot.SymbolId) : "-";
        var expectedName = expected.Slot.SymbolId >= 0 ? referenceSymbols.NameOf(expected.Slot.SymbolId) : "-";
        var a = slot;
        var e = expected.Slot;
        a.SymbolId = 0;
        e.SymbolId = 0;
        if (actualName != expectedName
            || !MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref a, 1)).SequenceEqual(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref e, 1))))
        {
            Assert.Fail($"{frame}: slot differs.\n actual   {Describe(slot, actualName)}\n expected {Describe(expected.Slot, expectedName)}");
        }

        if (levels.Count != expected.Levels.Count)
        {
            Assert.Fail($"{frame}: {levels.Count} levels, reference {expected.Levels.Count}");
        }

        for (var i = 0; i < levels.Count; i++)
        {
            var level = new Level(levels.Prices[i], levels.Quantities[i], levels.Sides[i]);
            if (level != expected.Levels[i])
            {
                Assert.Fail($"{frame}: level {i} is {level}, reference {expected.Levels[i]}");
            }
        }
    }

    internal static string Describe(in MarketEvent e, string symbol) =>
        $"{e.Kind} flags={e.Flags} market={e.Market} sym={symbol} E={e.EventTimeMs} T={e.TransactionTimeMs} " +
        $"U/f={e.FirstUpdateId} u/t={e.FinalUpdateId} pu/l={e.PreviousFinalUpdateId} p={e.Price} q={e.Quantity} " +
        $"ap={e.AskPrice} aq={e.AskQuantity} n={e.LevelCount} err={e.ErrorCode}@{e.ErrorOffset}";
}
