using NUnit.Framework;
using OptiFlow.Engine.Hosting;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Journal.Outbound;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// The whole path (read → decode → ring → core ∥ journal → replay) over every hftbacktest recording session.
/// </summary>
[TestFixture]
[Category("Data")]
public sealed class RecordingSessionTests
{
    private static IEnumerable<RecordedSession> Sessions => RecordedSession.All;

    private static IEnumerable<RecordedSession> SessionsWithSnapshot => RecordedSession.All.Where(s => s.DroppedBeforeSnapshot is not null);

    [Test]
    public void ShouldCoverEveryHftbacktestRecording_WhenSessionsAreListed()
    {
        // Arrange
        var folder = RecordingData.Require("hftbacktest/examples");
        var listed = RecordedSession.All.SelectMany(s => s.RelativePaths).Select(p => p.Replace('/', Path.DirectorySeparatorChar)).ToHashSet();

        // Act
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RecordingData.Root!, f))
            .ToList();

        // Assert
        Assert.That(files, Is.Not.Empty);
        Assert.That(files.Where(f => !listed.Contains(f)), Is.Empty, "recordings not covered by a listed session");
    }

    [TestCaseSource(nameof(Sessions))]
    public void ShouldSyncEveryBookWithoutGapsAndReplayIdentically_WhenRunOverARecording(RecordedSession session)
    {
        // Arrange
        var files = session.RequirePaths();
        using var temp = new TempDirectory("session");
        var journal = temp.File("journal");

        // Act
        var result = HostedRun.Run(session.Market, files, new EngineOptions { JournalDirectory = journal });
        var replay = JournalReplayer.Replay(journal, temp.File("replay-1"));
        var again = JournalReplayer.Replay(journal, temp.File("replay-2"));
        var outbound = Path.Combine(journal, JournalDescriptor.OutboundDirectoryName);
        var liveVsReplay = OutboundStreamComparer.Compare(outbound, temp.File("replay-1"), out var compared);
        var replayVsReplay = OutboundStreamComparer.Compare(temp.File("replay-1"), temp.File("replay-2"), out _);
        var scan = JournalScanner.Scan(journal);

        // Assert
        var core = result.Core;
        Assert.That(core.DecodeErrors, Is.Zero, "decode errors");
        Assert.That(result.CoreFaults + result.JournalFaults, Is.Zero, "handler exceptions");
        Assert.That(core.Symbols, Is.Not.Empty);
        foreach (var state in core.Symbols.Where(s => s.DepthMessages > 0))
        {
            var name = result.Symbols.NameOf(state.SymbolId);
            Assert.That(state.Gaps, Is.Zero, $"{name}: gaps");
            Assert.That(state.CrossedBooks, Is.Zero, $"{name}: crossed books");
            if (session.DroppedBeforeSnapshot is { } dropped)
            {
                Assert.That(state.Snapshots, Is.EqualTo(1), $"{name}: snapshots");
                Assert.That(state.DroppedBeforeSnapshot, Is.EqualTo(dropped), $"{name}: buffered diffs dropped before the snapshot (PROVENANCE.md)");
                Assert.That(state.Applied, Is.EqualTo(state.DepthMessages - dropped), $"{name}: every diff after the snapshot applied");
                Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live));
                Assert.That(state.PendingOverflowMessages, Is.Zero);
            }
            else
            {
                Assert.That(state.Snapshots, Is.Zero, $"{name}: this recording has no snapshot");
                Assert.That(state.Applied, Is.Zero, $"{name}: nothing can be applied without a snapshot");
                Assert.That(state.SyncState, Is.EqualTo(BookSyncState.AwaitingSnapshot));
            }
        }

        Assert.That(core.SignalCount, Is.EqualTo(core.Symbols.Sum(s => s.Applied)), "one signal per applied depth message");
        Assert.That(replay.Differences(), Is.Empty, "replay differences");
        Assert.That(replay.Identical, Is.True);
        Assert.That(scan.IsIntact, Is.True, "the journal verifies intact");
        Assert.That(liveVsReplay, Is.Null, "the replay's outbound stream equals the journaled one byte for byte");
        Assert.That(compared, Is.EqualTo(core.SignalCount), "every live signal was journaled to DIR/outbound");
        Assert.That(replayVsReplay, Is.Null, "two replays of one journal are identical");
        Assert.That(again.OutboundSignals, Is.EqualTo(replay.OutboundSignals));
    }

    [TestCaseSource(nameof(SessionsWithSnapshot))]
    public void ShouldEndWithTheTopOfTheLastBookTickerAtOrBeforeTheLastAppliedUpdate_WhenBothExist(RecordedSession session)
    {
        // Arrange
        var files = session.RequirePaths();
        using var temp = new TempDirectory("ticker");
        var journal = temp.File("journal");
        var result = HostedRun.Run(session.Market, files, new EngineOptions { JournalDirectory = journal });
        var lastApplied = result.Core.Symbols.Where(s => s.Applied > 0).ToDictionary(s => s.SymbolId, s => s.LastAppliedUpdateId);
        Assert.That(lastApplied, Is.Not.Empty, "a synced book");

        // Act: the last bookTicker per symbol whose u is at or before the last applied depth update, from the journal.
        var tickers = new Dictionary<int, MarketEvent>();
        using (var reader = new JournalReader(journal))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type != JournalRecordType.MarketEvent)
                {
                    continue;
                }

                ref readonly var e = ref record.MarketEvent;
                if (e.Kind == MarketEventKind.BookTicker && lastApplied.TryGetValue(e.SymbolId, out var last) && e.FinalUpdateId <= last)
                {
                    tickers[e.SymbolId] = e;
                }
            }
        }

        // Assert
        Assert.That(tickers, Is.Not.Empty, "no bookTicker at or before the last applied update");
        foreach (var (symbolId, ticker) in tickers)
        {
            var book = result.Core.StateOf(symbolId)!.Book;
            Assert.Multiple(() =>
            {
                Assert.That(FixedPoint.ToString(book.Bids.PriceAt(0)), Is.EqualTo(FixedPoint.ToString(ticker.BidPrice)), $"{result.Symbols.NameOf(symbolId)} best bid vs bookTicker u={ticker.FinalUpdateId}");
                Assert.That(FixedPoint.ToString(book.Asks.PriceAt(0)), Is.EqualTo(FixedPoint.ToString(ticker.AskPrice)), $"{result.Symbols.NameOf(symbolId)} best ask vs bookTicker u={ticker.FinalUpdateId}");
            });
        }
    }
}
