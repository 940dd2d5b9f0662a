using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;
using static OptiFlow.Replay.Tests.HostileInput.HostileRecording;

namespace OptiFlow.Replay.Tests.HostileInput;

/// <summary>
/// Issue 16, bare REST snapshots in a merged multi-symbol recording: a snapshot line without <c>symbol</c> belongs to
/// the one symbol whose diff-depth stream the file holds; with several it is refused as
/// <see cref="DecodeErrorCode.AmbiguousSnapshotSymbol"/> at its file and line (exit code 1), never guessed; a snapshot
/// that names its symbol (COIN-M) is attributed by it in any file.
/// </summary>
[TestFixture]
public sealed class SnapshotAttributionTests
{
    [Test]
    public void ShouldRefuseEveryBareSnapshotAtItsLine_WhenTheFileMergesTwoSymbolsDepthStreams()
    {
        // Arrange: BTCUSDT and ETHUSDT lines interleaved as one recording of two connections would be.
        using var temp = new TempDirectory("hostile-merged");
        var btc = Btc;
        var eth = Eth;
        var merged = btc.Zip(eth).SelectMany(p => new[] { p.First, p.Second }).ToList();
        var path = temp.File("merged.txt");
        RecordingLines.Write(path, merged);
        var snapshotLines = merged.Select((l, i) => (l, i)).Where(p => p.l.Contains("\"lastUpdateId\"", StringComparison.Ordinal)).Select(p => p.i + 1).ToList();

        // Act
        var (exit, _, error) = RunCli("book", "--market", "futures", path);
        var run = HostedRun.Run(Market.Futures, [path]);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(snapshotLines, Has.Count.EqualTo(2));
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors));
            foreach (var line in snapshotLines)
            {
                Assert.That(error, Does.Contain($"{path}:{line}: AmbiguousSnapshotSymbol at byte 0"));
            }

            Assert.That(run.Core.ErrorsOfCode(DecodeErrorCode.AmbiguousSnapshotSymbol), Is.EqualTo(2));
            Assert.That(run.Core.Symbols.All(s => s.Snapshots == 0 && s.SyncState == BookSyncState.AwaitingSnapshot), "no book got a snapshot that may not be its own");
        });
    }

    [Test]
    public void ShouldGiveEachFileItsOwnSymbol_WhenTheSymbolsAreInSeparateFiles()
    {
        // Arrange: the same data, one file per symbol: one candidate each.
        using var temp = new TempDirectory("hostile-split");
        var btc = temp.File("btc.txt");
        var eth = temp.File("eth.txt");
        RecordingLines.Write(btc, Btc);
        RecordingLines.Write(eth, Eth);

        // Act
        var run = HostedRun.Run(Market.Futures, [btc, eth]);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(run.HadDataErrors, Is.False);
            Assert.That(run.Core.Symbols.Where(s => s.DepthMessages > 0).Select(s => (run.Symbols.NameOf(s.SymbolId), s.Snapshots, s.SyncState)),
                Is.EquivalentTo(new[] { ("BTCUSDT", 1L, BookSyncState.Live), ("ETHUSDT", 1L, BookSyncState.Live) }));
        });
    }

    [Test]
    [Category("Data")]
    public void ShouldAttributeByTheSnapshotsOwnSymbol_WhenCoinMSnapshotsAreMerged()
    {
        // Arrange: the first 6,000 lines of two COIN-M recordings, interleaved; their snapshots carry "symbol".
        using var temp = new TempDirectory("hostile-coinm");
        var btc = RecordingLines.Read(RecordingData.Require("hftbacktest/examples/cm/btcusd_perp_20240808.gz")).Take(6000);
        var eth = RecordingLines.Read(RecordingData.Require("hftbacktest/examples/cm/ethusd_perp_20240808.gz")).Take(6000);
        var path = temp.File("merged-cm.txt");
        RecordingLines.Write(path, btc.Zip(eth).SelectMany(p => new[] { p.First, p.Second }));

        // Act
        var run = HostedRun.Run(Market.Futures, [path]);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(run.Core.DecodeErrors, Is.Zero);
            Assert.That(run.Core.Symbols.Where(s => s.DepthMessages > 0).Select(s => (run.Symbols.NameOf(s.SymbolId), s.Snapshots, s.SyncState, s.Gaps)),
                Is.EquivalentTo(new[] { ("BTCUSD_PERP", 1L, BookSyncState.Live, 0L), ("ETHUSD_PERP", 1L, BookSyncState.Live, 0L) }));
        });
    }
}
