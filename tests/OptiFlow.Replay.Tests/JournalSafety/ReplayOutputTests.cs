using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests.JournalSafety;

/// <summary>
/// <c>optiflow replay</c> only reads the journal it replays: its outbound stream goes to <c>--output DIR</c> or a private
/// temporary journal (removed unless <c>--keep</c>), never inside the journal, so replays run side by side and a
/// read-only journal replays.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReplayOutputTests
{
    private TempDirectory _temp = null!;

    private string Journal => _temp.File("journal");

    [OneTimeSetUp]
    public void RunTheDemoOnce()
    {
        _temp = new TempDirectory("replay-output");
        var run = Cli.Run("run", "--market", "futures", "--journal", Journal, OptiFlowCommand.DemoRecording);
        Assert.That(run.Exit, Is.EqualTo(OptiFlowCommand.Success), run.ToString());
    }

    [OneTimeTearDown]
    public void DeleteTheJournal() => _temp.Dispose();

    [Test]
    public void ShouldReplayVerifyAndCopyAReadOnlyJournal_WhenNothingMayBeWrittenThere()
    {
        // Arrange
        using var temp = new TempDirectory("replay-readonly");
        var before = Cli.Snapshot(Journal);
        ReplayResults results;
        using (ReadOnlyTree.Make(Journal))
        {
            // Act
            results = new ReplayResults(
                Cli.Run("replay", Journal, "--compare"),
                Cli.Run("replay", Journal, "--compare", "--output", temp.File("out")),
                Cli.Run("journal", "verify", Journal),
                Cli.Run("journal", "copy", Journal, temp.File("copy")));
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Default.Exit, Is.EqualTo(OptiFlowCommand.Success), results.Default.ToString());
            Assert.That(results.Default.Output, Does.Contain("replay verdict: IDENTICAL").And.Contain("compare: identical: 4322 outbound records"));
            Assert.That(results.Output.Exit, Is.EqualTo(OptiFlowCommand.Success), results.Output.ToString());
            Assert.That(results.Output.Output, Does.Contain($"written to {temp.File("out")}"));
            Assert.That(results.Verify.Exit, Is.EqualTo(OptiFlowCommand.Success), results.Verify.ToString());
            Assert.That(results.Copy.Exit, Is.EqualTo(OptiFlowCommand.Success), results.Copy.ToString());
            Assert.That(Cli.Snapshot(Journal), Is.EqualTo(before), "nothing in the journal changed, nothing was added (no replay-outbound)");
        }
    }

    [Test]
    public void ShouldRunReplaysOfOneJournalSideBySide_WhenEachWritesItsOwnOutput()
    {
        // Arrange: replays used to crash each other over JOURNAL/replay-outbound.
        using var temp = new TempDirectory("replay-concurrent");
        using var state = new StateHome(temp.File("state"));

        // Act
        var replays = Enumerable.Range(0, 4)
            .Select(i => Task.Run(() => i % 2 == 0 ? Cli.Run("replay", Journal, "--compare") : Cli.Run("replay", Journal, "--compare", "--output", temp.File($"out-{i}"))))
            .ToArray();
        Assert.That(Task.WaitAll(replays, TimeSpan.FromMinutes(2)), Is.True, "the replays did not finish in time");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            foreach (var replay in replays.Select(r => r.Result))
            {
                Assert.That(replay.Exit, Is.EqualTo(OptiFlowCommand.Success), replay.ToString());
                Assert.That(replay.Output, Does.Contain("compare: identical: 4322 outbound records"));
            }

            Assert.That(state.Entries, Is.Empty, "the default outputs were temporary");
        }
    }

    [Test]
    public void ShouldRefuseAnOutputInsideTheJournal_WhenAskedToWriteThere()
    {
        // Arrange
        var before = Cli.Snapshot(Journal);

        // Act
        var legacy = Cli.Run("replay", Journal, "--output", Path.Combine(Journal, JournalDirectories.LegacyReplayOutputName));
        var itself = Cli.Run("replay", Journal, "--output", Journal, "--overwrite");
        var outbound = Cli.Run("replay", Journal, "--output", Path.Combine(Journal, JournalDescriptor.OutboundDirectoryName), "--overwrite");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            foreach (var result in new[] { legacy, itself, outbound })
            {
                Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), result.ToString());
                Assert.That(result.Error, Does.Contain($"is inside the journal it replays ('{Journal}'); a replay never writes into its journal"));
            }

            Assert.That(Cli.Snapshot(Journal), Is.EqualTo(before));
        }
    }

    [Test]
    public void ShouldKeepTheDefaultOutput_WhenKeepIsGiven()
    {
        // Arrange
        using var temp = new TempDirectory("replay-keep");
        using var state = new StateHome(temp.File("state"));

        // Act
        var removed = Cli.Run("replay", Journal);
        var kept = Cli.Run("replay", Journal, "--keep");

        // Assert
        var keptPath = Cli.Field(kept.Output, "outbound stream: 4322 signals written to ");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(removed.Exit, Is.EqualTo(OptiFlowCommand.Success), removed.ToString());
            Assert.That(removed.Output, Does.Contain("outbound stream: 4322 signals written to a temporary journal, removed at the end (--keep keeps it, --output DIR writes it where you say)"));
            Assert.That(kept.Exit, Is.EqualTo(OptiFlowCommand.Success), kept.ToString());
            Assert.That(state.Entries, Is.EqualTo(new[] { keptPath }));
            Assert.That(JournalScanner.Scan(keptPath!).Signals, Is.EqualTo(4322));
        }
    }

    [Test]
    public void ShouldRefuseAnExistingOutputJournal_WhenOverwriteIsNotGiven()
    {
        // Arrange
        using var temp = new TempDirectory("replay-existing");
        var output = temp.File("out");
        var user = temp.File("user");
        Directory.CreateDirectory(user);
        File.WriteAllText(Path.Combine(user, "notes.txt"), "mine");

        // Act
        var first = Cli.Run("replay", Journal, "--output", output);
        var again = Cli.Run("replay", Journal, "--output", output);
        var overwritten = Cli.Run("replay", Journal, "--output", output, "--overwrite", "--compare");
        var foreign = Cli.Run("replay", Journal, "--output", user, "--overwrite");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Exit, Is.EqualTo(OptiFlowCommand.Success), first.ToString());
            Assert.That(again.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), again.ToString());
            Assert.That(again.Error, Does.Contain($"Journal directory '{output}' already holds an OptiFlow journal"));
            Assert.That(overwritten.Exit, Is.EqualTo(OptiFlowCommand.Success), overwritten.ToString());
            Assert.That(foreign.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), foreign.ToString());
            Assert.That(foreign.Error, Does.Contain("is not empty and is not an OptiFlow journal (it holds 'notes.txt')"));
            Assert.That(File.ReadAllText(Path.Combine(user, "notes.txt")), Is.EqualTo("mine"));
        }
    }

    private sealed record ReplayResults(CliResult Default, CliResult Output, CliResult Verify, CliResult Copy);
}
