using NUnit.Framework;
using OptiFlow.Engine.Hosting;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>Edited copies of a real recording: each kind of bad input has its defined, counted outcome, and nothing else is lost.</summary>
[TestFixture]
[Category("Data")]
public sealed class BadInputTests
{
    private const string Recording = "hftbacktest/examples/usdm/btcusdt_20230404.dat.gz";

    [Test]
    public void ShouldCountTheGapAndStopSignals_WhenOneDepthLineIsDeleted()
    {
        // Arrange
        var lines = RecordingLines.Read(RecordingData.Require(Recording));
        var snapshot = RecordingLines.SnapshotIndex(lines);
        var depth = RecordingLines.IndexesOf(lines, "@depth").Where(i => i > snapshot).ToList();
        const int keptBeforeGap = 99;
        var deleted = depth[keptBeforeGap];
        using var temp = new TempDirectory("gap");
        var clean = temp.File("clean.txt");
        var edited = temp.File("gap.txt");
        RecordingLines.Write(clean, lines);
        RecordingLines.Write(edited, lines.Where((_, i) => i != deleted));
        var cleanSignals = new CapturingOutboundHandler();
        var gapSignals = new CapturingOutboundHandler();

        // Act
        var cleanRun = HostedRun.Run(Market.Futures, [clean], new EngineOptions { OutboundHandlers = [cleanSignals] });
        var gapRun = HostedRun.Run(Market.Futures, [edited], new EngineOptions { OutboundHandlers = [gapSignals], JournalDirectory = temp.File("journal") });
        var replay = JournalReplayer.Replay(temp.File("journal"));

        // Assert
        var state = gapRun.Core.Symbols.Single(s => s.DepthMessages > 0);
        Assert.That(cleanRun.Core.Symbols.Single(s => s.DepthMessages > 0).Gaps, Is.Zero, "the unedited copy has no gap");
        Assert.That(state.Gaps, Is.EqualTo(1), "gaps");
        Assert.That(state.SyncState, Is.EqualTo(BookSyncState.AwaitingSnapshot), "the book is unsynced after the gap");
        Assert.That(state.Applied, Is.EqualTo(keptBeforeGap), "diffs applied before the gap");
        Assert.That(state.BufferedMessages, Is.EqualTo(depth.Count - keptBeforeGap - 1), "every later diff is buffered, none applied");
        Assert.That(gapSignals.Signals, Has.Count.EqualTo(keptBeforeGap), "no signal from the book after the gap");
        Assert.That(gapSignals.Signals, Is.EqualTo(cleanSignals.Signals.Take(keptBeforeGap)), "signals before the gap equal the clean run's");
        Assert.That(gapRun.HadDataErrors, Is.True);
        Assert.That(replay.Identical, Is.True, "the replay reproduces the gap");
    }

    [Test]
    public void ShouldReportEachMalformedFrameWithItsLineAndGoOn_WhenFramesAreBroken()
    {
        // Arrange: five broken non-depth lines, each a different kind of error.
        var lines = RecordingLines.Read(RecordingData.Require(Recording));
        var tickers = RecordingLines.IndexesOf(lines, "@bookTicker");
        var trades = RecordingLines.IndexesOf(lines, "@trade");
        var edits = new Dictionary<int, (string Line, DecodeErrorCode Code)>
        {
            [tickers[10]] = (lines[tickers[10]][..(lines[tickers[10]].Length / 2)], DecodeErrorCode.Truncated),
            [trades[10]] = (ReplaceField(lines[trades[10]], "p", "\"abc\""), DecodeErrorCode.InvalidNumber),
            [tickers[20]] = (ReplaceField(lines[tickers[20]], "b", "\"28145.123456789\""), DecodeErrorCode.TooManyDecimals),
            [trades[20]] = (ReplaceField(lines[trades[20]], "q", "\"99999999999999999999\""), DecodeErrorCode.NumberOutOfRange),
            [tickers[30]] = (lines[tickers[30]][(lines[tickers[30]].IndexOf(' ', StringComparison.Ordinal) + 1)..], DecodeErrorCode.InvalidLineFormat),
        };
        var edited = lines.Select((line, i) => edits.TryGetValue(i, out var edit) ? edit.Line : line).ToList();
        using var temp = new TempDirectory("malformed");
        var clean = temp.File("clean.txt");
        var broken = temp.File("broken.txt");
        RecordingLines.Write(clean, lines);
        RecordingLines.Write(broken, edited);

        // Act
        var cleanRun = HostedRun.Run(Market.Futures, [clean]);
        var run = HostedRun.Run(Market.Futures, [broken], new EngineOptions { JournalDirectory = temp.File("journal") });
        var replay = JournalReplayer.Replay(temp.File("journal"));

        // Assert
        var core = run.Core;
        Assert.That(core.DecodeErrors, Is.EqualTo(edits.Count), "decode errors counted");
        var reported = core.RecordedErrors.ToArray().Select(e => (Line: e.Line, e.Code)).ToList();
        var expected = edits.OrderBy(e => e.Key).Select(e => (Line: (long)e.Key + 1, e.Value.Code)).ToList();
        Assert.That(reported, Is.EqualTo(expected), "each error has its 1-based line and its typed code");
        Assert.That(core.EventsOfKind(MarketEventKind.BookTicker), Is.EqualTo(cleanRun.Core.EventsOfKind(MarketEventKind.BookTicker) - 3), "only the three broken bookTickers are missing");
        Assert.That(core.EventsOfKind(MarketEventKind.Trade), Is.EqualTo(cleanRun.Core.EventsOfKind(MarketEventKind.Trade) - 2), "only the two broken trades are missing");
        Assert.That(core.SignalDigest, Is.EqualTo(cleanRun.Core.SignalDigest), "books and signals are untouched");
        Assert.That(core.BooksDigest(), Is.EqualTo(cleanRun.Core.BooksDigest()));
        Assert.That(run.HadDataErrors, Is.True);
        Assert.That(replay.Identical, Is.True, "the replay counts the same errors");
        Assert.That(replay.Core.DecodeErrors, Is.EqualTo(edits.Count));
    }

    [Test]
    public void ShouldLoseOnlyThatMessageAndCountAGap_WhenADepthFrameHasANinthDecimal()
    {
        // Arrange
        var lines = RecordingLines.Read(RecordingData.Require(Recording));
        var snapshot = RecordingLines.SnapshotIndex(lines);
        var target = RecordingLines.IndexesOf(lines, "@depth").Where(i => i > snapshot).Skip(50).First();
        var edited = lines.ToList();
        edited[target] = System.Text.RegularExpressions.Regex.Replace(edited[target], "\"b\":\\[\\[\"([0-9]+\\.[0-9]+)\"", m => $"\"b\":[[\"{m.Groups[1].Value}000000001\"");
        Assert.That(edited[target], Is.Not.EqualTo(lines[target]), "the edit applied");
        using var temp = new TempDirectory("ninth");
        var broken = temp.File("broken.txt");
        RecordingLines.Write(broken, edited);

        // Act
        var run = HostedRun.Run(Market.Futures, [broken]);

        // Assert
        var state = run.Core.Symbols.Single(s => s.DepthMessages > 0);
        Assert.That(run.Core.ErrorsOfCode(DecodeErrorCode.TooManyDecimals), Is.EqualTo(1));
        Assert.That(run.Core.RecordedErrors[0].Line, Is.EqualTo(target + 1));
        Assert.That(state.Gaps, Is.EqualTo(1), "the lost diff breaks the pu chain");
        Assert.That(state.Applied, Is.EqualTo(50));
    }

    private static string ReplaceField(string line, string field, string value) =>
        System.Text.RegularExpressions.Regex.Replace(line, $"\"{field}\":(\"[^\"]*\"|[0-9.]+)", $"\"{field}\":{value}");
}
