using System.IO.Compression;
using System.Text;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests;

[TestFixture]
public sealed class RecordingReaderTests
{
    private const string BtcFrame = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1","q":"1","m":true}}""";
    private const string EthFrame = """{"stream":"ethusdt@bookTicker","data":{"u":1,"s":"ETHUSDT","b":"1","B":"1","a":"2","A":"1"}}""";
    private const string Snapshot = """{"lastUpdateId": 7, "bids": [["1", "1"]], "asks": [["2", "1"]]}""";
    private const string BtcDepth = """{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}}""";
    private const string EthDepth = """{"stream":"ethusdt@depth","data":{"e":"depthUpdate","E":1,"s":"ETHUSDT","U":1,"u":2,"b":[],"a":[]}}""";

    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "optiflow-reader-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void ShouldReadSameFrames_WhenFileIsGzipWithoutGzExtension()
    {
        // Arrange
        var text = $"1723161254206652067 {BtcFrame}\n1723161254206652068 {Snapshot}\n1723161254206652069 {EthFrame}\n";
        var plain = Write("plain.txt", text);
        var gzip = WriteGzip("compressed.dat", text);

        // Act
        var fromPlain = ReadAll([plain], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));
        var fromGzip = ReadAll([gzip], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fromGzip, Has.Count.EqualTo(3));
            Assert.That(fromGzip.Select(f => f with { Path = "" }), Is.EqualTo(fromPlain.Select(f => f with { Path = "" })));
            Assert.That(fromGzip[0].Frame, Is.EqualTo(BtcFrame));
            Assert.That(fromGzip[0].Path, Is.EqualTo(gzip));
        });
    }

    [Test]
    public void ShouldNormaliseToNanoseconds_WhenTimestampHasMicrosecondDigits()
    {
        // Arrange: 16 digits (2023 files) are µs, 19 digits (2024 files) are ns.
        var path = Write("mixed", $"1680652800004107 {BtcFrame}\n1723161254206652067 {BtcFrame}\n99999999999999999 {BtcFrame}\n100000000000000000 {BtcFrame}\n");

        // Act
        var frames = ReadAll([path], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames[0].LocalTimestampNs, Is.EqualTo(1_680_652_800_004_107_000L), "16 digits are µs");
            Assert.That(frames[1].LocalTimestampNs, Is.EqualTo(1_723_161_254_206_652_067L), "19 digits are ns");
            Assert.That(frames[2].LineFormatError, Is.True, "17 digits of µs overflow ns in a long");
            Assert.That(frames[3].LocalTimestampNs, Is.EqualTo(100_000_000_000_000_000L), "18 digits are ns");
        });
    }

    [Test]
    public void ShouldHoldBareSnapshot_WhenItPrecedesTheFirstStreamFrameOfTheFile()
    {
        // Arrange
        var symbols = FrozenSymbols.Of("BTCUSDT", "ETHUSDT");
        var path = Write("held", $"1 {Snapshot}\n\n3 {EthFrame}\n4 {EthDepth}\n");

        // Act
        var frames = ReadAll([path], symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.Line), Is.EqualTo(new long[] { 1, 3, 4 }));
            Assert.That(frames[0].Frame, Is.EqualTo(Snapshot));
            Assert.That(frames[0].LocalTimestampNs, Is.EqualTo(1000));
            Assert.That(frames[0].SymbolHint, Is.EqualTo(FrozenSymbols.IdOf(symbols, "ETHUSDT")));
            Assert.That(frames[1].SymbolHint, Is.EqualTo(-1));
            Assert.That(frames[2].SymbolHint, Is.EqualTo(-1));
        });
    }

    [Test]
    public void ShouldGiveTheOnlyDepthStreamSymbol_WhenOtherSymbolsHaveOnlyOtherStreams()
    {
        // Arrange: ETHUSDT is the only diff-depth stream; the frames around the snapshot are BTCUSDT trades (the old
        // rule, "the most recent stream frame", gave the snapshot to BTCUSDT).
        var symbols = FrozenSymbols.Of("BTCUSDT", "ETHUSDT");
        var path = Write("depth-decides", $"1 {EthDepth}\n2 {BtcFrame}\n3 {Snapshot}\n4 {BtcFrame}\n5 {EthFrame}\n");

        // Act
        var frames = ReadAll([path], symbols);

        // Assert
        Assert.That(frames[2].SymbolHint, Is.EqualTo(FrozenSymbols.IdOf(symbols, "ETHUSDT")));
    }

    [TestCase("two depth streams", $"1 {BtcDepth}\n2 {EthDepth}\n3 {Snapshot}\n4 {BtcDepth}\n")]
    [TestCase("snapshot first", $"1 {Snapshot}\n2 {BtcDepth}\n3 {EthDepth}\n")]
    [TestCase("no depth stream, two symbols", $"1 {BtcFrame}\n2 {EthFrame}\n3 {Snapshot}\n")]
    public void ShouldGiveAmbiguousHintAndDecodeAmbiguousSnapshotSymbol_WhenTheFileNamesSeveralCandidates(string name, string text)
    {
        // Arrange
        var symbols = FrozenSymbols.Of("BTCUSDT", "ETHUSDT");
        var path = Write("merged", text);
        var decoder = new BinanceFrameDecoder(Market.Spot, symbols);
        var slot = default(MarketEvent);

        // Act
        var frames = ReadAll([path], symbols);
        var snapshot = frames.Single(f => f.Frame == Snapshot);
        var outcome = decoder.Decode(Encoding.UTF8.GetBytes(snapshot.Frame), ref slot, new DepthLevelBuffer(), snapshot.SymbolHint);

        // Assert: never a guess; the error names the line through the frame's file and line.
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.SymbolHint, Is.EqualTo(BinanceFrameDecoder.AmbiguousSymbolHint), name);
            Assert.That((outcome, decoder.LastError), Is.EqualTo((FrameOutcome.Error, DecodeErrorCode.AmbiguousSnapshotSymbol)));
        });
    }

    [Test]
    public void ShouldCountOneCandidate_WhenTheSameSymbolAppearsInAnyCaseAndBesideAllMarketStreams()
    {
        // Arrange: "!bookTicker" names no symbol; BTCUSDT@depth and btcusdt@depth@100ms are one symbol.
        var symbols = FrozenSymbols.Of("BTCUSDT", "ETHUSDT");
        var allMarket = """{"stream":"!bookTicker","data":{"u":1,"s":"ETHUSDT","b":"1","B":"1","a":"2","A":"1"}}""";
        var upper = BtcDepth.Replace("btcusdt@depth@100ms", "BTCUSDT@depth", StringComparison.Ordinal);
        var path = Write("one", $"1 {allMarket}\n2 {upper}\n3 {Snapshot}\n4 {BtcDepth}\n");

        // Act
        var frames = ReadAll([path], symbols);

        // Assert
        Assert.That(frames[2].SymbolHint, Is.EqualTo(FrozenSymbols.IdOf(symbols, "BTCUSDT")));
    }

    [Test]
    public void ShouldEmitHeldSnapshotWithoutSymbol_WhenFileEndsBeforeAnyStreamFrame()
    {
        // Arrange: the first file's symbol must not leak into the second file.
        var symbols = FrozenSymbols.Of("BTCUSDT", "ETHUSDT");
        var first = Write("first", $"1 {BtcFrame}\n");
        var second = Write("second", $"2 {Snapshot}\n");
        var third = Write("third", $"3 {Snapshot}\n4 {EthFrame}\n");

        // Act
        var frames = ReadAll([first, second, third], symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.FileIndex), Is.EqualTo(new[] { 0, 1, 2, 2 }));
            Assert.That(frames[1].SymbolHint, Is.EqualTo(-1));
            Assert.That(frames[1].Path, Is.EqualTo(second));
            Assert.That(frames[2].SymbolHint, Is.EqualTo(FrozenSymbols.IdOf(symbols, "ETHUSDT")));
        });
    }

    [Test]
    public void ShouldDecodeUnknownSnapshotSymbol_WhenHeldSnapshotIsEmittedWithoutHint()
    {
        // Arrange
        var symbols = FrozenSymbols.Of("BTCUSDT", "ETHUSDT");
        var path = Write("alone", $"1 {Snapshot}\n");
        var decoder = new BinanceFrameDecoder(Market.Spot, symbols);
        var slot = default(MarketEvent);
        using var reader = new RecordingReader([path], symbols);

        // Act
        Assert.That(reader.TryRead(out var frame), Is.True);
        var outcome = decoder.Decode(frame.Frame, ref slot, new DepthLevelBuffer(), frame.SymbolHint);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(FrameOutcome.Error));
            Assert.That(decoder.LastError, Is.EqualTo(DecodeErrorCode.UnknownSnapshotSymbol));
        });
    }

    [Test]
    public void ShouldGiveNoHintAndInternNothing_WhenStreamSymbolIsNotInTheTable()
    {
        // Arrange: the table holds BTCUSDT only; the file's one candidate is ETHUSDT, which the reader looks up and
        // never adds.
        var symbols = FrozenSymbols.Of("BTCUSDT");
        var path = Write("stranger", $"1 {Snapshot}\n2 {EthFrame}\n3 {EthDepth}\n4 {Snapshot}\n");

        // Act
        var frames = ReadAll([path], symbols);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.SymbolHint), Is.EqualTo(new[] { -1, -1, -1, -1 }));
            Assert.That(symbols.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldRefuseTable_WhenItIsNotFrozen()
    {
        // Arrange
        var path = Write("any", $"1 {BtcFrame}\n");

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => new RecordingReader([path], new SymbolTable()), Throws.ArgumentException);
            Assert.That(() => RecordingReaders.Open(RecordingFormat.Auto, [path], new SymbolTable()), Throws.ArgumentException);
        });
    }

    [Test]
    public void ShouldNumberLinesPerFile_WhenSessionHasSeveralFilesAndEmptyLines()
    {
        // Arrange
        var first = Write("a", $"1 {BtcFrame}\n\n3 {BtcFrame}\r\n");
        var second = WriteGzip("b.gz", $"\n2 {EthFrame}\n3 {EthFrame}");

        // Act
        var frames = ReadAll([first, second], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => (f.FileIndex, f.Line)), Is.EqualTo(new[] { (0, 1L), (0, 3L), (1, 2L), (1, 3L) }));
            Assert.That(frames[1].Frame, Is.EqualTo(BtcFrame), "a trailing CR is dropped");
            Assert.That(frames[3].Frame, Is.EqualTo(EthFrame), "a last line without newline is read");
        });
    }

    [TestCase("abc {\"x\":1}")]
    [TestCase("123{\"x\":1}")]
    [TestCase("123 ")]
    [TestCase(" 123 {}")]
    [TestCase("12345678901234567890 {}")]
    public void ShouldFlagLineFormatError_WhenLineLacksTimestampAndSpace(string line)
    {
        // Arrange
        var path = Write("bad", $"1 {BtcFrame}\n{line}\n");

        // Act
        var frames = ReadAll([path], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames, Has.Count.EqualTo(2));
            Assert.That(frames[1].LineFormatError, Is.True);
            Assert.That(frames[1].Line, Is.EqualTo(2));
            Assert.That(frames[1].Frame, Is.EqualTo(line));
            Assert.That(frames[1].SymbolHint, Is.EqualTo(-1));
            Assert.That(frames[0].LineFormatError, Is.False);
        });
    }

    [Test]
    public void ShouldReadWholeLine_WhenLineIsLongerThanTheInitialBuffer()
    {
        // Arrange: a 3 MB snapshot line.
        var bids = string.Join(",", Enumerable.Range(1, 150_000).Select(i => $"[\"{i}.5\",\"1\"]"));
        var big = "{\"lastUpdateId\":1,\"bids\":[" + bids + "],\"asks\":[]}";
        var path = Write("big", $"1 {BtcFrame}\n2 {big}\n3 {BtcFrame}\n");

        // Act
        var frames = ReadAll([path], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(frames, Has.Count.EqualTo(3));
            Assert.That(frames[1].Frame, Has.Length.EqualTo(big.Length));
            Assert.That(frames[1].Frame, Is.EqualTo(big));
            Assert.That(frames[2].Frame, Is.EqualTo(BtcFrame));
        });
    }

    [Test]
    public void ShouldThrowFileNotFound_WhenAPathIsMissing()
    {
        // Arrange
        var present = Write("present", $"1 {BtcFrame}\n");
        var missing = Path.Combine(_folder, "missing.gz");

        // Act
        var exception = Assert.Throws<FileNotFoundException>(() => new RecordingReader([present, missing], FrozenSymbols.Of("BTCUSDT", "ETHUSDT")));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exception!.FileName, Is.EqualTo(missing));
            Assert.That(exception.Message, Does.Contain(missing));
        });
    }

    [Test]
    public void ShouldGiveSnapshotTheStreamSymbol_WhenReadingRealUsdmRecording()
    {
        // Arrange: PROVENANCE §1: the snapshot is line 55 of usdm/btcusdt_20240808, lastUpdateId 5123107852948.
        var path = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808");
        var symbols = FrozenSymbols.ForRecording(RecordingFormat.Hftbacktest, [path]);
        var decoder = new BinanceFrameDecoder(Market.Futures, symbols);
        var levels = new DepthLevelBuffer();
        var slot = default(MarketEvent);
        long snapshotLine = 0;
        var lines = 0;
        using var reader = new RecordingReader([path], symbols);

        // Act
        while (reader.TryRead(out var frame))
        {
            lines++;
            if (frame.SymbolHint >= 0)
            {
                snapshotLine = frame.Line;
                decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint);
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(lines, Is.EqualTo(93_954));
            Assert.That(snapshotLine, Is.EqualTo(55));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.SnapshotLevel));
            Assert.That(symbols.NameOf(slot.SymbolId), Is.EqualTo("BTCUSDT"));
            Assert.That(slot.FinalUpdateId, Is.EqualTo(5123107852948));
            Assert.That(slot.LevelCount, Is.EqualTo(2000));
        });
    }

    [Test]
    public void ShouldReadMicrosecondGzipSession_WhenReadingReal2023Files()
    {
        // Arrange: PROVENANCE §1: 13,384 + 60,381 messages; the 2023 files carry µs timestamps.
        var first = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20230404.dat.gz");
        var second = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20230405.dat.gz");
        var counts = new int[2];
        long firstTimestamp = 0;
        long previous = 0;
        var backwards = 0;
        using var reader = new RecordingReader([first, second], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));

        // Act
        while (reader.TryRead(out var frame))
        {
            counts[frame.FileIndex]++;
            firstTimestamp = firstTimestamp == 0 ? frame.LocalTimestampNs : firstTimestamp;
            backwards += frame.LocalTimestampNs < previous && frame.SymbolHint < 0 ? 1 : 0;
            previous = frame.LocalTimestampNs;
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(counts, Is.EqualTo(new[] { 13_384, 60_381 }));
            Assert.That(firstTimestamp, Is.EqualTo(1_680_652_700_000_000_000).Within(200_000_000_000L));
            Assert.That(backwards, Is.Zero);
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenReadingLinesAfterWarmUp()
    {
        // Arrange
        var path = RecordingData.Require("hftbacktest/examples/spot/btcusdt_20230405.dat.gz");
        using var reader = new RecordingReader([path], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));
        long bytes = 0;
        Action readChunk = () =>
        {
            for (var i = 0; i < 3000 && reader.TryRead(out var frame); i++)
            {
                bytes += frame.Frame.Length;
            }
        };

        // Act
        var allocated = AllocationAssert.ShouldNotAllocate(readChunk, warmUpRuns: 2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(bytes, Is.Positive);
        });
    }

    [Test]
    public void ShouldValidateGzipStrictly_WhenRunningUnderTheSolutionsRuntimeConfig()
    {
        // Assert: Directory.Build.props turns System.IO.Compression.UseStrictValidation on for every test host.
        Assert.That(LineSource.StrictGzipValidation, Is.True);
    }

    [TestCase(2, TestName = "ShouldReportTruncatedAfterEveryCompleteLine_WhenGzipIsCutInsideItsData")]
    [TestCase(-3, TestName = "ShouldReportTruncatedAfterEveryCompleteLine_WhenOnlyTheGzipTrailerIsCut")]
    public void ShouldReportTruncatedAfterEveryCompleteLine_WhenGzipIsCut(int cut)
    {
        // Arrange: 400 lines; cut = 2 keeps half the compressed bytes, cut = -3 drops the last 3 bytes of the trailer.
        var text = string.Concat(Enumerable.Range(1, 400).Select(i => $"{i} {BtcFrame.Replace("\"t\":1", $"\"t\":{i}", StringComparison.Ordinal)}\n"));
        var whole = File.ReadAllBytes(WriteGzip("whole.gz", text));
        var path = Path.Combine(_folder, "cut.gz");
        File.WriteAllBytes(path, cut > 0 ? whole[..(whole.Length / cut)] : whole[..^-cut]);
        var frames = new List<long>();
        using var reader = new RecordingReader([path], FrozenSymbols.Of("BTCUSDT"));

        // Act
        var damage = Assert.Throws<DamagedRecordingException>(() =>
        {
            while (reader.TryRead(out var frame))
            {
                frames.Add(frame.Line);
            }
        });
        var after = reader.TryRead(out _);

        // Assert: every complete line was returned, the partial one was not, and nothing follows.
        Assert.Multiple(() =>
        {
            Assert.That(damage!.Code, Is.EqualTo(DecodeErrorCode.TruncatedInput));
            Assert.That(damage.Path, Is.EqualTo(path));
            Assert.That(damage.LinesRead, Is.EqualTo(frames.Count));
            Assert.That(damage.Line, Is.EqualTo(frames.Count + 1));
            Assert.That(frames, Is.EqualTo(Enumerable.Range(1, frames.Count).Select(i => (long)i)));
            Assert.That(frames.Count, cut > 0 ? Is.InRange(1, 399) : Is.EqualTo(400));
            Assert.That(damage.Message, Does.StartWith(path + ": gzip stream truncated").And.Contain($"line {frames.Count + 1}").And.Not.Contain("\n"));
            Assert.That(after, Is.False);
        });
    }

    [Test]
    public void ShouldReportCorruptAndGoOnWithTheNextFile_WhenAGzipByteIsFlipped()
    {
        // Arrange: a byte in the middle of the first file's compressed data flipped; the second file is intact.
        var text = string.Concat(Enumerable.Range(1, 400).Select(i => $"{i} {BtcFrame.Replace("\"t\":1", $"\"t\":{i}", StringComparison.Ordinal)}\n"));
        var bytes = File.ReadAllBytes(WriteGzip("flip.gz", text));
        bytes[bytes.Length / 2] ^= 0xFF;
        var damaged = Path.Combine(_folder, "flip.gz");
        File.WriteAllBytes(damaged, bytes);
        var intact = Write("intact", $"1 {EthFrame}\n2 {EthFrame}\n");
        var files = new List<int>();
        DamagedRecordingException? damage = null;
        using var reader = new RecordingReader([damaged, intact], FrozenSymbols.Of("BTCUSDT", "ETHUSDT"));

        // Act
        while (true)
        {
            try
            {
                if (!reader.TryRead(out var frame))
                {
                    break;
                }

                files.Add(frame.FileIndex);
            }
            catch (DamagedRecordingException e)
            {
                damage = e;
            }
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(damage, Is.Not.Null);
            Assert.That(damage!.Code, Is.EqualTo(DecodeErrorCode.CorruptInput));
            Assert.That(damage.Message, Does.StartWith(damaged + ": gzip data damaged"));
            Assert.That(damage.InnerException, Is.InstanceOf<InvalidDataException>());
            Assert.That(files.Count(f => f == 1), Is.EqualTo(2), "the next file is read whole");
            Assert.That(files.Count(f => f == 0), Is.LessThan(400));
        });
    }

    [Test]
    public void ShouldCheckTheTrailerByHand_WhenTheRuntimeDoesNotValidateStrictly()
    {
        // Arrange: one gzip member (ISIZE matches) and two members (the last ISIZE is the second member's only).
        var one = WriteGzip("one.gz", $"1 {BtcFrame}\n2 {BtcFrame}\n");
        var two = Path.Combine(_folder, "two.gz");
        File.WriteAllBytes(two, [.. File.ReadAllBytes(one), .. File.ReadAllBytes(WriteGzip("more.gz", $"3 {BtcFrame}\n"))]);
        LineSource.ForceTrailerCheck = true;
        try
        {
            // Act
            var whole = ReadAll([one], FrozenSymbols.Of("BTCUSDT"));
            var damage = Assert.Throws<DamagedRecordingException>(() => ReadAll([two], FrozenSymbols.Of("BTCUSDT")));

            // Assert: the hand check is exact for one member and reports several as truncated, saying why.
            Assert.Multiple(() =>
            {
                Assert.That(whole, Has.Count.EqualTo(2));
                Assert.That(damage!.Code, Is.EqualTo(DecodeErrorCode.TruncatedInput));
                Assert.That(damage.LinesRead, Is.EqualTo(3));
                Assert.That(damage.Message, Does.Contain("UseStrictValidation"));
            });
        }
        finally
        {
            LineSource.ForceTrailerCheck = false;
        }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private string WriteGzip(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }

    private static List<ReadFrame> ReadAll(IReadOnlyList<string> paths, SymbolTable symbols)
    {
        var frames = new List<ReadFrame>();
        using var reader = new RecordingReader(paths, symbols);
        while (reader.TryRead(out var frame))
        {
            frames.Add(new ReadFrame(frame.LocalTimestampNs, Encoding.UTF8.GetString(frame.Frame), frame.Line, frame.FileIndex, frame.Path, frame.SymbolHint, frame.LineFormatError));
        }

        return frames;
    }

    private sealed record ReadFrame(long LocalTimestampNs, string Frame, long Line, int FileIndex, string Path, int SymbolHint, bool LineFormatError);
}
