using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>
/// The cryptofeed reader (PROVENANCE §3) on its own and end to end: reader → decoder → <see cref="MarketCore"/> over
/// every multi-symbol capture, with each symbol's REST snapshot merged in at its receive time.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class CryptofeedRecordingReaderTests
{
    // (capture prefix, market, symbols with a snapshot — PROVENANCE §3 table)
    private static readonly (string Prefix, Market Market, int Symbols)[] Sessions =
    [
        ("cryptofeed/sample_data/BINANCE", Market.Spot, 4),
        ("cryptofeed/sample_data/BINANCE_US", Market.Spot, 4),
        ("cryptofeed/sample_data/BINANCE_FUTURES", Market.Futures, 4),
        ("cryptofeed/sample_data/BINANCE_DELIVERY", Market.Futures, 10),
    ];

    public static IEnumerable<TestCaseData> SessionCases() =>
        Sessions.Select(s => new TestCaseData(s.Prefix, s.Market, s.Symbols).SetArgDisplayNames(Path.GetFileName(s.Prefix)));

    [TestCaseSource(nameof(SessionCases))]
    public void ShouldSyncEveryBookWithoutGaps_WhenRunningMultiSymbolCaptureThroughCore(string prefix, Market market, int snapshotSymbols)
    {
        // Arrange
        var ws = RecordingData.Require(prefix + ".ws.1.0");
        var files = CryptofeedRecordingReader.WithSnapshotFiles([ws]);
        var symbols = FrozenSymbols.ForRecording(RecordingFormat.Auto, files);

        // Act
        MarketCore core;
        using (var reader = RecordingReaders.Open(RecordingFormat.Auto, files, symbols))
        {
            (core, _, _) = CoreFeed.Run(reader, market, symbols);
        }

        // Assert
        var withDepth = core.Symbols.Where(s => s.DepthMessages > 0).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files, Has.Count.EqualTo(2), "the .http.0.0 sibling is found");
            Assert.That(core.DecodeErrors, Is.Zero, "decode errors");
            Assert.That(core.Symbols.Sum(s => s.Snapshots), Is.EqualTo(snapshotSymbols), "snapshots loaded");
            foreach (var state in withDepth)
            {
                var name = symbols.NameOf(state.SymbolId);
                Assert.That(state.Gaps, Is.Zero, $"{name} gaps");
                Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live), $"{name} synced");
                Assert.That(state.Applied, Is.Positive, $"{name} applied diffs");
                Assert.That(state.CrossedBooks, Is.Zero, $"{name} crossed books");
            }

            Assert.That(withDepth.Count(s => s.SyncState == BookSyncState.Live), Is.EqualTo(snapshotSymbols), "every symbol with a snapshot is synced");
        });
    }

    [Test]
    public void ShouldEmitEachSnapshotBeforeFirstFrameReceivedAfterIt_WhenMergingHttpFile()
    {
        // Arrange
        var ws = RecordingData.Require("cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0");
        var symbols = FrozenSymbols.ForRecording(RecordingFormat.Cryptofeed, CryptofeedRecordingReader.WithSnapshotFiles([ws]));
        var timestamps = new List<long>();
        var hints = new List<int>();

        // Act
        using (var reader = new CryptofeedRecordingReader(CryptofeedRecordingReader.WithSnapshotFiles([ws]), symbols))
        {
            while (reader.TryRead(out var frame))
            {
                timestamps.Add(frame.LocalTimestampNs);
                if (frame.SymbolHint >= 0)
                {
                    hints.Add(frame.SymbolHint);
                }
            }
        }

        // Assert: 1,535 frames (PROVENANCE §3) + 4 snapshots, in non-decreasing receive time.
        Assert.Multiple(() =>
        {
            Assert.That(timestamps, Has.Count.EqualTo(1535 + 4));
            Assert.That(timestamps, Is.Ordered);
            Assert.That(hints.Select(symbols.NameOf), Is.EquivalentTo(new[] { "SUSHIUSDT", "AKROUSDT", "KEEPUSDT", "CTKUSDT" }));
        });
    }

    [TestCase("1633998512.0633569", 1633998512063356900L)]
    [TestCase("1626992740.175661", 1626992740175661000L)]
    [TestCase("1626992740", 1626992740000000000L)]
    [TestCase("1.1234567891234", 1123456789L)]
    public void ShouldParseUnixSecondsToNs_WhenTextIsDecimal(string text, long expected)
    {
        // Arrange
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);

        // Act
        var ok = CryptofeedRecordingReader.TryParseSeconds(bytes, out var ns);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(ns, Is.EqualTo(expected));
        });
    }

    [TestCase("")]
    [TestCase(".5")]
    [TestCase("12a")]
    [TestCase("1.2.3")]
    [TestCase("12345678901")]
    public void ShouldRejectTimestamp_WhenTextIsNotUnixSeconds(string text)
    {
        // Arrange
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);

        // Act
        var ok = CryptofeedRecordingReader.TryParseSeconds(bytes, out _);

        // Assert
        Assert.That(ok, Is.False);
    }

    [Test]
    public void ShouldReportLineFormatError_WhenWsLineLacksSecondsPrefix()
    {
        // Arrange
        var dir = Directory.CreateTempSubdirectory("optiflow-cf-");
        try
        {
            var ws = Path.Combine(dir.FullName, "X.ws.1.0");
            File.WriteAllText(ws, "wss://x/stream?streams=a@bookTicker <-> 1.0\n1.5: {\"u\":1}\ngarbage line\n");
            var symbols = FrozenSymbols.Of();

            // Act
            using var reader = new CryptofeedRecordingReader([ws], symbols);
            var frames = new List<(bool Error, long Line, long Ts)>();
            while (reader.TryRead(out var frame))
            {
                frames.Add((frame.LineFormatError, frame.Line, frame.LocalTimestampNs));
            }

            // Assert
            Assert.That(frames, Is.EqualTo(new[] { (false, 2L, 1_500_000_000L), (true, 3L, 0L) }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void ShouldAllocateNothingPerFrame_WhenReadingCapture()
    {
        // Arrange
        var ws = RecordingData.Require("cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0");
        var symbols = FrozenSymbols.ForRecording(RecordingFormat.Cryptofeed, CryptofeedRecordingReader.WithSnapshotFiles([ws]));
        using var reader = new CryptofeedRecordingReader(CryptofeedRecordingReader.WithSnapshotFiles([ws]), symbols);
        for (var i = 0; i < 100; i++)
        {
            reader.TryRead(out _);
        }

        // Act + Assert: 1,000 frames per run (3 runs with the warm-ups) in the middle of the file (not the end: closing a file is a cold path).
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                reader.TryRead(out _);
            }
        });
    }
}
