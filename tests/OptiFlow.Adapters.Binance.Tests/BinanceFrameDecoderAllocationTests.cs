using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>Steady-state decoding of real frames allocates nothing (ARCHITECTURE "Threads and CPUs").</summary>
[TestFixture]
[NonParallelizable]
public sealed class BinanceFrameDecoderAllocationTests
{
    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures)]
    [TestCase("hftbacktest/examples/spot/btcusdt_20240808", Market.Spot)]
    [TestCase("hftbacktest/examples/cm/btcusd_perp_20240808.gz", Market.Futures)]
    [TestCase("hftbacktest/examples/spot/btcusdt_20230405.dat.gz", Market.Spot)]
    public void ShouldNotAllocate_WhenDecodingRealFramesAfterWarmUp(string relativePath, Market market)
    {
        // Arrange
        var path = RecordingData.Require(relativePath);
        var symbols = FrozenSymbols.ForRecording(Recording.RecordingFormat.Hftbacktest, [path]);
        var frames = RecordedFrames.LoadHftbacktest([path], symbols, maxFrames: 12_000).Select(f => f.Bytes).ToArray();
        var hints = RecordedFrames.LoadHftbacktest([path], symbols, maxFrames: 12_000).Select(f => f.SymbolHint).ToArray();
        var decoder = new BinanceFrameDecoder(market, symbols);
        var levels = new DepthLevelBuffer();
        var decoded = 0L;
        Action decodeAll = () =>
        {
            var slot = default(MarketEvent);
            for (var i = 0; i < frames.Length; i++)
            {
                if (decoder.Decode(frames[i], ref slot, levels, hints[i]) is FrameOutcome.Event or FrameOutcome.Levels)
                {
                    decoded++;
                }
            }
        };

        // Act
        var allocated = AllocationAssert.ShouldNotAllocate(decodeAll, warmUpRuns: 3);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames, Has.Length.GreaterThanOrEqualTo(10_000));
            Assert.That(allocated, Is.Zero);
            Assert.That(decoded, Is.EqualTo(4L * frames.Length), "every frame decodes on every pass");
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenRejectingOutOfRangeValuesAndForeignStreamsAfterWarmUp()
    {
        // Arrange: issue 16's rejections on both paths, the escaped stream name (a pooled buffer) included.
        string[] hostile =
        [
            """{"stream":"ethusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1.5","2"]],"a":[]}}""",
            """{"stream":"eth\u0075sdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}}""",
            """{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["0","2"]],"a":[]}}""",
            """{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[["1","-2"]],"a":[]}}""",
            """{"lastUpdateId":7,"bids":[["1","0"]],"asks":[]}""",
            """{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"0","B":"1","a":"2","A":"1"}}""",
            """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"1","q":"0","X":"MARKET","m":false}}""",
        ];
        var frames = hostile.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        var decoder = new BinanceFrameDecoder(Market.Futures, FrozenSymbols.Inline());
        var levels = new DepthLevelBuffer();
        var errors = 0L;
        Action decodeAll = () =>
        {
            var slot = default(MarketEvent);
            for (var n = 0; n < 1000; n++)
            {
                foreach (var frame in frames)
                {
                    errors += decoder.Decode(frame, ref slot, levels, symbolHint: 0) == FrameOutcome.Error ? 1 : 0;
                }
            }
        };

        // Act
        var allocated = AllocationAssert.ShouldNotAllocate(decodeAll, warmUpRuns: 3);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(errors, Is.EqualTo(4L * 1000 * frames.Length), "every frame is rejected on every pass");
        });
    }

    [TestCase("cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0", Market.Futures)]
    [TestCase("cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0", Market.Futures)]
    [TestCase("cryptofeed/sample_data/BINANCE.ws.1.0", Market.Spot)]
    [TestCase("FinanceTechnologyProjects/resources/data/binance/depth.json", Market.Spot)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20230404.dat.gz", Market.Futures)]
    public void ShouldNotAllocate_WhenDecodingEveryFrameOfOtherFormatsIncludingSnapshotsAndMarkPrice(string relativePath, Market market)
    {
        // Arrange: cryptofeed ws+http (aggTrade, kline, per-symbol snapshots), JSONL, and 2023 USDⓈ-M with markPriceUpdate.
        var path = RecordingData.Require(relativePath);
        var files = Recording.RecordingReaders.SessionFiles(Recording.RecordingFormat.Auto, [path]);
        var symbols = FrozenSymbols.ForRecording(Recording.RecordingFormat.Auto, files);
        List<StoredFrame> stored;
        using (var reader = Recording.RecordingReaders.Open(Recording.RecordingFormat.Auto, files, symbols))
        {
            stored = ReaderFrames.Load(reader);
        }

        var frames = stored.Select(f => f.Bytes).ToArray();
        var hints = stored.Select(f => f.SymbolHint).ToArray();
        var decoder = new BinanceFrameDecoder(market, symbols);
        var levels = new DepthLevelBuffer();
        var errors = 0L;
        Action decodeAll = () =>
        {
            var slot = default(MarketEvent);
            for (var i = 0; i < frames.Length; i++)
            {
                if (decoder.Decode(frames[i], ref slot, levels, hints[i]) == FrameOutcome.Error)
                {
                    errors++;
                }
            }
        };

        // Act
        var allocated = AllocationAssert.ShouldNotAllocate(decodeAll, warmUpRuns: 2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(errors, Is.Zero);
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenMappingUpperCaseSymbolsAndLowerCaseStreamNames()
    {
        // Arrange
        var symbols = FrozenSymbols.Of("BTCUSDT", "BTCUSD_PERP");
        var found = 0;

        // Act
        var allocated = AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                found += symbols.TryGet("BTCUSDT"u8, out _) ? 1 : 0;
                found += symbols.TryGet("btcusdt"u8, out _) ? 1 : 0;
                found += symbols.TryGet("btcusd_perp"u8, out _) ? 1 : 0;
            }
        });

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(found, Is.EqualTo(3 * 3000));
        });
    }
}
