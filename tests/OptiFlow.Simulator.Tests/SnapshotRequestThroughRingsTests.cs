using OptiFlow.Adapters.Binance.Simulator;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// Every decision goes through a ring and is journaled: a journaled live run against the simulator with a forced gap
/// (one depth frame dropped) shows the core's snapshot request in the outbound journal, the live client receives it
/// through its consumer of the outbound ring, and a replay reproduces it byte for byte.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SnapshotRequestThroughRingsTests
{
    private TempDirectory _directory = null!;
    private LiveRunResult _live = null!;

    private string Journal => _directory.File("journal");

    [OneTimeSetUp]
    public async Task RunLiveWithAGap()
    {
        _directory = new TempDirectory("request-rings");
        // At x20, as SimulatorFaultTests: at max pace the gap can come before the start-up snapshot, which then never syncs.
        _live = await LiveRun.RunAsync("drop@depth:300", pace: SimulatorPace.Times(20), journal: Journal);
    }

    [OneTimeTearDown]
    public void DeleteJournal() => _directory.Dispose();

    [Test]
    public void ShouldJournalTheCoresRequest_WhenADepthFrameIsLost()
    {
        // Arrange / Act
        var requests = Read(Path.Combine(Journal, JournalDescriptor.OutboundDirectoryName), JournalRecordType.SnapshotRequest, r => r.SnapshotRequest);
        var request = requests.Single();
        var breaking = Read(Journal, JournalRecordType.MarketEvent, r => (r.Sequence, Event: r.MarketEvent)).Single(e => e.Sequence == request.CausingSequence).Event;

        // Assert
        var state = _live.Core.StateOf(0)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_live.Finished, Is.True);
            Assert.That(state.Gaps, Is.EqualTo(1), "the core saw the gap");
            Assert.That(state.SnapshotRequests, Is.EqualTo(1));
            Assert.That(request.SymbolId, Is.EqualTo(0));
            Assert.That(request.Reason, Is.EqualTo(SnapshotRequestReason.ChainBroken));
            Assert.That(breaking.Kind, Is.EqualTo(MarketEventKind.DepthLevel), "the request names the inbound slot that broke the chain");
            Assert.That(breaking.Flags.HasFlag(MarketEventFlags.BeginOfMessage), Is.True);
            Assert.That(request.FirstBufferedUpdateId, Is.EqualTo(breaking.FirstUpdateId));
            Assert.That(breaking.PreviousFinalUpdateId, Is.Not.EqualTo(request.LastAppliedUpdateId), "pu does not chain on the last applied u");
            Assert.That(_live.Client.CoreResyncRequests, Is.EqualTo(1), "the client got the request through the outbound ring");
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live), "and the book resynced");
        }
    }

    [Test]
    public void ShouldReproduceTheRequest_WhenTheJournalIsReplayed()
    {
        // Arrange
        var output = _directory.File("replay-" + Guid.NewGuid().ToString("N"));

        // Act
        var replay = JournalReplayer.Replay(Journal, output);
        var divergence = JournalReplayer.CompareOutbound(Journal, replay, out var compared);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(divergence, Is.Null, "the replay's outbound stream equals the journaled one byte for byte");
            Assert.That(compared, Is.EqualTo(replay.Core.SignalCount + 1), "every signal and the one request");
            Assert.That(replay.OutboundRecords - replay.OutboundSignals, Is.EqualTo(1));
            Assert.That(replay.Core.StateOf(0)!.SnapshotRequests, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldSayIdenticalWithTheRequest_WhenReplayCompareRuns()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["replay", Journal, "--compare", "--output", _directory.File("replay-cli")], output, error);
        var export = new StringWriter();
        var exportExit = OptiFlowCommand.Run(["journal", "export", Journal, "--format", "csv", "--requests"], export, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output + error.ToString());
            Assert.That(output.ToString(), Does.Contain("compare: identical").And.Contain("and 1 snapshot requests"));
            Assert.That(exportExit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
            var rows = export.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(rows, Has.Length.EqualTo(2), "the header and one request");
            Assert.That(rows[1], Does.Contain(",BTCUSDT,ChainBroken,"));
        }
    }

    private static List<T> Read<T>(string directory, JournalRecordType type, JournalRecordSelector<T> select)
    {
        var records = new List<T>();
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type == type)
            {
                records.Add(select(record));
            }
        }

        return records;
    }

    private delegate T JournalRecordSelector<out T>(JournalRecord record);
}
