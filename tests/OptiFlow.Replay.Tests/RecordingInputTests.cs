using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;
using static OptiFlow.Replay.Tests.HostileInput.HostileRecording;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <see cref="RecordingInput.LoadIntoMemory"/>: load once, run many. A session over the in-memory copy publishes what a
/// session over the files publishes (books and signal digests, counts, decode errors, damaged gzip data), as often as
/// it is run, and needs the files no more.
/// </summary>
[TestFixture]
public sealed class RecordingInputTests
{
    public static IEnumerable<TestCaseData> Damages()
    {
        yield return new TestCaseData((Func<byte[], byte[]>)(b => b[..(b.Length / 2)]), (Func<byte[], byte[]>)(b => b))
            .SetName("ShouldReportTheSameDamageAndCounts_WhenTheFirstGzipIsCutInsideItsData");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Flip(b, b.Length / 2)), (Func<byte[], byte[]>)(b => b))
            .SetName("ShouldReportTheSameDamageAndCounts_WhenAGzipByteIsFlipped");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => b[..(b.Length / 3)]), (Func<byte[], byte[]>)(b => b[..^3]))
            .SetName("ShouldReportTheSameDamageAndCounts_WhenBothGzipsAreCut");
    }

    [Test]
    public void ShouldKeepFilesFormatMarketAndSymbols_WhenLoadedIntoMemory()
    {
        // Arrange
        var input = RecordingInput.Open([OptiFlowCommand.DemoRecording], RecordingFormat.Auto, market: null);

        // Act
        var memory = input.LoadIntoMemory();
        var again = memory.LoadIntoMemory();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(input.IsInMemory, Is.False);
            Assert.That(input.Memory, Is.Null);
            Assert.That(memory.IsInMemory, Is.True);
            Assert.That(memory, Is.Not.SameAs(input));
            Assert.That(again, Is.SameAs(memory), "loading an in-memory input again is the same input");
            Assert.That(memory.Files, Is.EqualTo(input.Files));
            Assert.That(memory.Format, Is.EqualTo(input.Format));
            Assert.That(memory.Market, Is.EqualTo(input.Market));
            Assert.That(memory.Symbols, Is.SameAs(input.Symbols));
            Assert.That(memory.Memory!.Frames, Is.EqualTo(Btc.Count), "the shipped recording's 13,384 frames");
        });
    }

    [Test]
    [Category("Data")]
    public void ShouldPublishWhatTheFilesPublish_WhenSessionsRunOverTheCopy()
    {
        // Arrange: a two-file session, once over the files and twice over one in-memory copy, each with a journal.
        var input = RecordingInput.Open(
            [RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808"), RecordingData.Require("hftbacktest/examples/usdm/ethusdt_20240808")],
            RecordingFormat.Auto,
            Market.Futures);
        using var temp = new TempDirectory("inmem-session");

        // Act
        var files = HostedRun.Run(input, new EngineOptions { JournalDirectory = temp.File("files") });
        var memory = input.LoadIntoMemory();
        var first = HostedRun.Run(memory, new EngineOptions { JournalDirectory = temp.File("memory-1") });
        var second = HostedRun.Run(memory, new EngineOptions { JournalDirectory = temp.File("memory-2") });
        var replay = JournalReplayer.Replay(temp.File("memory-1"));

        // Assert
        Assert.That(files.Core.Symbols.Count(s => s.Applied > 0), Is.EqualTo(2), "both books synced over the files");
        AssertSamePublication(files, first);
        AssertSamePublication(files, second);
        Assert.Multiple(() =>
        {
            Assert.That(first.JournalRecords, Is.EqualTo(files.JournalRecords));
            Assert.That(first.OutboundJournalRecords, Is.EqualTo(files.OutboundJournalRecords));
            Assert.That(second.JournalRecords, Is.EqualTo(files.JournalRecords));
            Assert.That(replay.Identical, Is.True, "the in-memory session's journal replays identically");
        });
    }

    [TestCaseSource(nameof(Damages))]
    public void ShouldReportTheSameDamageAndCounts(Func<byte[], byte[]> editBtc, Func<byte[], byte[]> editEth)
    {
        // Arrange: a two-file gzip session [btc, eth] of the shipped recording, damaged.
        using var temp = new TempDirectory("inmem-damage");
        var btc = temp.File("btc.gz");
        var eth = temp.File("eth.gz");
        File.WriteAllBytes(btc, editBtc(WriteGzip(btc, Btc)));
        File.WriteAllBytes(eth, editEth(WriteGzip(eth, Eth)));
        var input = RecordingInput.Open([btc, eth], RecordingFormat.Hftbacktest, Market.Futures);

        // Act
        var files = HostedRun.Run(input);
        var memory = HostedRun.Run(input.LoadIntoMemory());

        // Assert
        Assert.That(files.DamagedInputs, Is.Not.Empty);
        AssertSamePublication(files, memory);
    }

    [Test]
    public void ShouldRunWithoutItsFiles_WhenTheyAreGoneAfterLoading()
    {
        // Arrange: a copy of the shipped recording, run once from the file, then loaded and deleted.
        using var temp = new TempDirectory("inmem-gone");
        var path = temp.File("btcusdt.dat.gz");
        File.Copy(OptiFlowCommand.DemoRecording, path);
        var input = RecordingInput.Open([path], RecordingFormat.Hftbacktest, Market.Futures);
        var files = HostedRun.Run(input);
        var memory = input.LoadIntoMemory();
        File.Delete(path);

        // Act: without a journal, and with one whose segment size is given (the default is sized from the files).
        var plain = HostedRun.Run(memory);
        var journaled = HostedRun.Run(memory, new EngineOptions { JournalDirectory = temp.File("journal"), JournalSegmentSize = 1 << 24 });

        // Assert
        Assert.That(File.Exists(path), Is.False);
        AssertSamePublication(files, plain);
        AssertSamePublication(files, journaled);
        Assert.That(journaled.JournalFailure, Is.Null);
    }

    private static void AssertSamePublication(SessionResult files, SessionResult memory)
    {
        Assert.Multiple(() =>
        {
            Assert.That(memory.Files, Is.EqualTo(files.Files));
            Assert.That(memory.Frames, Is.EqualTo(files.Frames), "frames");
            Assert.That(memory.IgnoredFrames, Is.EqualTo(files.IgnoredFrames), "ignored frames");
            Assert.That(memory.UnknownFieldsSkipped, Is.EqualTo(files.UnknownFieldsSkipped), "unknown fields");
            Assert.That(memory.PublishedSlots, Is.EqualTo(files.PublishedSlots), "published slots");
            Assert.That(memory.Core.EventCount, Is.EqualTo(files.Core.EventCount), "core events");
            foreach (var kind in Enum.GetValues<MarketEventKind>())
            {
                Assert.That(memory.Core.EventsOfKind(kind), Is.EqualTo(files.Core.EventsOfKind(kind)), $"{kind} events");
            }

            Assert.That(memory.Core.DecodeErrors, Is.EqualTo(files.Core.DecodeErrors), "decode errors");
            Assert.That(memory.Core.RecordedErrors.ToArray(), Is.EqualTo(files.Core.RecordedErrors.ToArray()), "decode errors: sequence, file, line, code, offset");
            Assert.That(memory.DamagedInputs.Select(d => (d.Path, d.Code, d.Line, d.Message)), Is.EqualTo(files.DamagedInputs.Select(d => (d.Path, d.Code, d.Line, d.Message))), "damaged inputs");
            Assert.That(memory.SignalCount, Is.EqualTo(files.SignalCount), "signals");
            Assert.That(memory.SignalDigest, Is.EqualTo(files.SignalDigest), "signal digest");
            Assert.That(memory.BooksDigest, Is.EqualTo(files.BooksDigest), "books digest");
            Assert.That(memory.HadDataErrors, Is.EqualTo(files.HadDataErrors));
            Assert.That(memory.CoreFaults + memory.JournalFaults + memory.OutboundFaults, Is.Zero, "handler exceptions");
        });
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }
}
