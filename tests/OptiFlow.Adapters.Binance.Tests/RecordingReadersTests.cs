using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>Format detection and the JSON-lines reader (PROVENANCE §1, §3, §4).</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RecordingReadersTests
{
    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", RecordingFormat.Hftbacktest)]
    [TestCase("hftbacktest/examples/cm/btcusd_perp_20240808.gz", RecordingFormat.Hftbacktest)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20230404.dat.gz", RecordingFormat.Hftbacktest)]
    [TestCase("collect-binancefutures/sample_data/btcusdt_20220811.dat", RecordingFormat.Hftbacktest)]
    [TestCase("cryptofeed/sample_data/BINANCE.ws.1.0", RecordingFormat.Cryptofeed)]
    [TestCase("cryptofeed/sample_data/BINANCE_DELIVERY.http.0.0", RecordingFormat.Cryptofeed)]
    [TestCase("FinanceTechnologyProjects/resources/data/binance/depth.json", RecordingFormat.Jsonl)]
    public void ShouldDetectFormat_WhenReadingFirstLine(string relativePath, RecordingFormat expected)
    {
        // Arrange
        var path = RecordingData.Require(relativePath);

        // Act
        var format = RecordingReaders.Detect(path);

        // Assert
        Assert.That(format, Is.EqualTo(expected));
    }

    [Test]
    public void ShouldThrowInvalidData_WhenFirstLineMatchesNoFormat()
    {
        // Arrange
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "hello world\n");

            // Act + Assert
            Assert.Throws<InvalidDataException>(() => RecordingReaders.Detect(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("auto", RecordingFormat.Auto)]
    [TestCase("HFTBACKTEST", RecordingFormat.Hftbacktest)]
    [TestCase("cryptofeed", RecordingFormat.Cryptofeed)]
    [TestCase("jsonl", RecordingFormat.Jsonl)]
    public void ShouldParseFormatName_WhenNameIsKnown(string text, RecordingFormat expected)
    {
        // Act
        var ok = RecordingReaders.TryParse(text, out var format);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That(format, Is.EqualTo(expected));
        });
    }

    [Test]
    public void ShouldDecodeEveryFrameWithContinuousIds_WhenReadingFinanceTechnologyJsonl()
    {
        // Arrange: PROVENANCE §4: 3,286 btcusdt@depth@100ms frames, U = previous u + 1 throughout, no snapshot.
        var path = RecordingData.Require("FinanceTechnologyProjects/resources/data/binance/depth.json");
        var symbols = FrozenSymbols.ForRecording(RecordingFormat.Auto, [path]);
        var decoder = new MarketData.BinanceFrameDecoder(Market.Spot, symbols);
        var levels = new MarketData.DepthLevelBuffer();
        var slot = default(MarketEvent);
        var frames = 0;
        var breaks = 0;
        long previousU = -1;
        long previousLocal = 0;
        var backwards = 0;

        // Act
        using (var reader = RecordingReaders.Open(RecordingFormat.Auto, [path], symbols))
        {
            while (reader.TryRead(out var frame))
            {
                frames++;
                Assert.That(decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint), Is.EqualTo(MarketData.FrameOutcome.Levels), $"line {frame.Line}");
                if (previousU >= 0 && slot.FirstUpdateId != previousU + 1)
                {
                    breaks++;
                }

                if (frame.LocalTimestampNs < previousLocal)
                {
                    backwards++;
                }

                previousU = slot.FinalUpdateId;
                previousLocal = frame.LocalTimestampNs;
                Assert.That(frame.LocalTimestampNs, Is.EqualTo(slot.EventTimeMs * 1_000_000), "local time is E");
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames, Is.EqualTo(3286));
            Assert.That(breaks, Is.Zero);
            Assert.That(backwards, Is.Zero);
        });
    }

    [Test]
    public void ShouldBufferWithoutGapsOrSync_WhenJsonlSessionHasNoSnapshot()
    {
        // Arrange
        var path = RecordingData.Require("FinanceTechnologyProjects/resources/data/binance/depth.json");
        var symbols = FrozenSymbols.ForRecording(RecordingFormat.Jsonl, [path]);

        // Act
        using var reader = RecordingReaders.Open(RecordingFormat.Jsonl, [path], symbols);
        var (core, frames, _) = CoreFeed.Run(reader, Market.Spot, symbols);

        // Assert
        var state = core.Symbols.Single();
        Assert.Multiple(() =>
        {
            Assert.That(frames, Is.EqualTo(3286));
            Assert.That(core.DecodeErrors, Is.Zero);
            Assert.That(state.Gaps, Is.Zero);
            Assert.That(state.Snapshots, Is.Zero);
            Assert.That(state.SyncState, Is.EqualTo(Engine.Core.BookSyncState.AwaitingSnapshot));
        });
    }
}
