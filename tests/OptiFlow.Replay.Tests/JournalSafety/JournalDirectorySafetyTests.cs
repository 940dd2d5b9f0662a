using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests.JournalSafety;

/// <summary>
/// Issue 16, "Journal directories are not safe", as a user meets it through <c>optiflow</c>: one writer per directory,
/// a user's files never deleted, an existing journal replaced only with <c>--overwrite</c>, a private default location,
/// nothing created by a usage error, segments sized to the input, and <c>demo</c> cleaning up after itself.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class JournalDirectorySafetyTests
{
    private static string Demo => OptiFlowCommand.DemoRecording;

    [GeneratedRegex("^(run|demo)-[0-9]{8}-[0-9]{6}-[A-Za-z0-9]{10}$")]
    private static partial Regex DefaultName();

    [Test]
    public void ShouldRefuseASecondWriterNamingTheDirectoryAndPid_WhenAJournalIsInUse()
    {
        // Arrange: a writer (this process) holds the journal, as a running `optiflow run` would.
        using var temp = new TempDirectory("safety-lock");
        var journal = temp.File("journal");
        var writer = new JournalWriter(journal, new JournalOptions { SegmentSize = 1 << 20 });
        writer.AppendBlob(JournalRecordType.Raw, "the first writer's record"u8);

        // Act: what used to splice two runs into one journal that verified "intact".
        var inProcess = Cli.Run("run", "--market", "futures", "--journal", journal, "--overwrite", Demo);
        var child = Cli.Shell("optiflow run --market futures --journal \"$1\" --overwrite \"$2\"", [], journal, Demo);
        writer.Dispose();
        var verify = Cli.Run("journal", "verify", journal);

        // Assert
        var expected = $"optiflow: Journal directory '{journal}' is in use by another writer (pid {Environment.ProcessId}): its lock file '{Path.Combine(journal, JournalDirectories.LockFileName)}' is held. Wait for that writer to finish, or choose another directory.";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inProcess.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), inProcess.ToString());
            Assert.That(inProcess.Error.Trim(), Is.EqualTo(expected));
            Assert.That(child!.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), child.ToString());
            Assert.That(child.Error.Trim(), Is.EqualTo(expected), "another process is refused the same way");
            Assert.That(verify.Exit, Is.EqualTo(OptiFlowCommand.Success), verify.ToString());
            Assert.That(verify.Output, Does.Contain("1 good records (0 market events").And.Contain("intact"), "only the first writer's record");
        }
    }

    [Test]
    public void ShouldRefuseAndKeepTheUsersFiles_WhenTheJournalDirectoryIsNotAJournal()
    {
        // Arrange: `--journal DIR` used to delete a user's own *.seg files there.
        using var temp = new TempDirectory("safety-foreign");
        var directory = temp.File("mine");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "00000000000000000000.seg"), "my segment-looking notes");
        File.WriteAllText(Path.Combine(directory, "model.seg"), "my model");
        var before = Cli.Snapshot(directory);

        // Act
        var plain = Cli.Run("run", "--market", "futures", "--journal", directory, Demo);
        var overwrite = Cli.Run("run", "--market", "futures", "--journal", directory, "--overwrite", Demo);
        var demo = Cli.Run("demo", "--journal", directory, "--overwrite");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            foreach (var result in new[] { plain, overwrite, demo })
            {
                Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), result.ToString());
                Assert.That(result.Error, Does.Match($"^optiflow: Journal directory '{Regex.Escape(directory)}' is not empty and is not an OptiFlow journal \\(it holds '(00000000000000000000|model)\\.seg'\\); nothing was written or deleted\\. Choose a new or empty directory\\.\\n$"));
                Assert.That(result.Output, Is.Empty, "refused before the run started");
            }

            Assert.That(Cli.Snapshot(directory), Is.EqualTo(before), "the user's files are untouched, and nothing was added");
        }
    }

    [Test]
    public void ShouldRefuseAnExistingJournalAndReplaceIt_WhenOverwriteIsGiven()
    {
        // Arrange
        using var temp = new TempDirectory("safety-overwrite");
        var journal = temp.File("journal");
        var first = Cli.Run("run", "--market", "futures", "--journal", journal, Demo);
        var before = Cli.Snapshot(journal);

        // Act
        var again = Cli.Run("run", "--market", "futures", "--journal", journal, Demo);
        var unchanged = Cli.Snapshot(journal);
        var replaced = Cli.Run("run", "--market", "futures", "--journal", journal, "--overwrite", Demo);
        var verify = Cli.Run("journal", "verify", journal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Exit, Is.EqualTo(OptiFlowCommand.Success), first.ToString());
            Assert.That(again.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), again.ToString());
            Assert.That(again.Error.Trim(), Is.EqualTo($"optiflow: Journal directory '{journal}' already holds an OptiFlow journal; nothing was written. Choose a new or empty directory, or overwrite it (--overwrite, JournalOptions.Overwrite)."));
            Assert.That(unchanged, Is.EqualTo(before), "the refused run changed nothing");
            Assert.That(replaced.Exit, Is.EqualTo(OptiFlowCommand.Success), replaced.ToString());
            Assert.That(replaced.Output, Does.Contain("replay verdict: IDENTICAL"));
            Assert.That(verify.Exit, Is.EqualTo(OptiFlowCommand.Success), verify.ToString());
            Assert.That(verify.Output, Does.Contain("session: complete").And.Contain("intact"));
        }
    }

    [Test]
    public void ShouldJournalIntoAPrivateDirectoryWithPrivateFiles_WhenNoJournalIsGiven()
    {
        // Arrange
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix modes");
            return;
        }

        using var temp = new TempDirectory("safety-default");
        using var state = new StateHome(temp.File("state"));

        // Act
        var first = Cli.Run("run", "--market", "futures", Demo);
        var second = Cli.Run("run", "--market", "futures", Demo);

        // Assert
        var journal = JournalPath(first);
        var other = JournalPath(second);
        const UnixFileMode privateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        const UnixFileMode privateDirectory = privateFile | UnixFileMode.UserExecute;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Exit, Is.EqualTo(OptiFlowCommand.Success), first.ToString());
            Assert.That(Path.GetDirectoryName(journal), Is.EqualTo(state.Root));
            Assert.That(Path.GetFileName(journal), Does.Match(DefaultName()), "an unpredictable name");
            Assert.That(other, Is.Not.EqualTo(journal));
            Assert.That(File.GetUnixFileMode(state.Root), Is.EqualTo(privateDirectory), "the per-user root");
            foreach (var directory in new[] { journal, Path.Combine(journal, JournalDescriptor.OutboundDirectoryName) })
            {
                Assert.That(File.GetUnixFileMode(directory), Is.EqualTo(privateDirectory), directory);
                foreach (var file in Directory.GetFiles(directory))
                {
                    Assert.That(File.GetUnixFileMode(file), Is.EqualTo(privateFile), file);
                }
            }
        }
    }

    [Test]
    public void ShouldRefuseTheDefaultLocationAndWriteNothingThere_WhenItIsASymbolicLink()
    {
        // Arrange: another local user plants a link where runs write by default, to redirect a root run's writes.
        using var temp = new TempDirectory("safety-symlink");
        var attacker = temp.File("attacker");
        Directory.CreateDirectory(attacker);
        using var state = new StateHome(temp.File("state"));
        Directory.CreateDirectory(state.Path);
        Directory.CreateSymbolicLink(state.Root, attacker);

        // Act
        var run = Cli.Run("run", "--market", "futures", Demo);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), run.ToString());
            Assert.That(run.Error.Trim(), Is.EqualTo($"optiflow: Refusing the default journal location '{state.Root}': it is a symbolic link. It must be a directory of your own that nobody else can write to (mkdir -m 700); remove it, or give a journal directory explicitly."));
            Assert.That(Directory.GetFileSystemEntries(attacker), Is.Empty, "nothing was written through the link");
        }
    }

    [TestCase("run", "--market", "futures", "--core-cpu", "1023", "DEMO")]
    [TestCase("run", "--market", "futures", "--core-cpu", "1023", "--journal", "JOURNAL", "DEMO")]
    [TestCase("run", "--market", "options", "--journal", "JOURNAL", "DEMO")]
    [TestCase("run", "--market", "futures", "--journal", "JOURNAL", "/nonexistent/recording.gz")]
    [TestCase("run", "--market", "futures", "--wait-strategy", "fast", "DEMO")]
    [TestCase("run", "--market", "futures", "--journal", "JOURNAL")]
    [TestCase("run", "--market", "futures", "--journal", "JOURNAL", "--journal-placement", "sideways", "DEMO")]
    [TestCase("demo", "--core-cpu", "1023")]
    [TestCase("demo", "--journal", "JOURNAL", "--journal-wait-strategy", "fast")]
    [TestCase("replay", "/nonexistent/journal", "--output", "JOURNAL")]
    [TestCase("journal", "copy", "/nonexistent/journal", "JOURNAL")]
    [TestCase("journal", "copy", "DEMO_JOURNAL", "JOURNAL", "--segment-size", "1000")]
    public void ShouldCreateNoDirectory_WhenUsageIsWrong(params string[] args)
    {
        // Arrange
        using var temp = new TempDirectory("safety-usage");
        using var state = new StateHome(temp.File("state"));
        var journal = temp.File("journal");
        var resolved = args.Select(a => a switch
        {
            "DEMO" => Demo,
            "JOURNAL" => journal,
            "DEMO_JOURNAL" => temp.Path,
            _ => a,
        }).ToArray();

        // Act
        var result = Cli.Run(resolved);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), result.ToString());
            Assert.That(Directory.Exists(journal), Is.False, "the journal directory was not created");
            Assert.That(state.Entries, Is.Empty, "no default journal was created");
        }
    }

    [Test]
    public void ShouldSizeSegmentsToTheInput_WhenTheRecordingIsSmall()
    {
        // Arrange: the demo (4 MB of text), its first 300 lines, and an empty file.
        using var temp = new TempDirectory("safety-size");
        var lines = RecordingLines.Read(Demo);
        var small = temp.File("small.txt");
        RecordingLines.Write(small, lines.Take(300).ToList());
        var empty = temp.File("empty.txt");
        File.WriteAllText(empty, string.Empty);

        // Act
        var demo = Cli.Run("run", "--market", "futures", "--journal", temp.File("demo"), Demo);
        var smallRun = Cli.Run("run", "--market", "futures", "--journal", temp.File("small"), small);
        var emptyRun = Cli.Run("run", "--market", "futures", "--journal", temp.File("empty"), empty);

        // Assert: 2 × 64 MiB before; now 8 + 1 MiB, 1 + 1 MiB, and at most 1 + 1 MiB for an empty input.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(demo.Exit, Is.EqualTo(OptiFlowCommand.Success), demo.ToString());
            Assert.That(SegmentBytes(temp.File("demo")), Is.EqualTo((8L << 20, 1L << 20)));
            Assert.That(smallRun.Exit, Is.EqualTo(OptiFlowCommand.Success).Or.EqualTo(OptiFlowCommand.DataErrors), smallRun.ToString());
            Assert.That(SegmentBytes(temp.File("small")), Is.EqualTo((1L << 20, 1L << 20)));
            Assert.That(SegmentBytes(temp.File("empty")).Inbound + SegmentBytes(temp.File("empty")).Outbound, Is.LessThanOrEqualTo(2L << 20), emptyRun.ToString());
        }
    }

    [Test]
    public void ShouldRemoveTheDemoJournal_WhenNoJournalWasGivenUnlessKeep()
    {
        // Arrange
        using var temp = new TempDirectory("safety-demo");
        using var state = new StateHome(temp.File("state"));

        // Act
        var removed = Cli.Run("demo");
        var removedPath = JournalPath(removed);
        var kept = Cli.Run("demo", "--keep");
        var keptPath = JournalPath(kept);
        var verify = Cli.Run("journal", "verify", keptPath);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(removed.Exit, Is.EqualTo(OptiFlowCommand.Success), removed.ToString());
            Assert.That(removed.Output, Does.Contain("replay verdict: IDENTICAL").And.Contain("journal removed (demo --keep keeps it; --journal DIR writes it where you say)"));
            Assert.That(Directory.Exists(removedPath), Is.False, removedPath);
            Assert.That(kept.Exit, Is.EqualTo(OptiFlowCommand.Success), kept.ToString());
            Assert.That(kept.Output, Does.Contain($"journal kept: {keptPath}"));
            Assert.That(state.Entries, Is.EqualTo(new[] { keptPath }));
            Assert.That(verify.Exit, Is.EqualTo(OptiFlowCommand.Success), verify.ToString());
            Assert.That(verify.Output, Does.Contain("session: complete"));
        }
    }

    /// <summary>The journal directory a run printed (<c>journal: DIR (N records, …)</c>).</summary>
    private static string JournalPath(CliResult result)
    {
        var line = Cli.Field(result.Output, "journal: ");
        Assert.That(line, Is.Not.Null, result.ToString());
        return line![..line.LastIndexOf(" (", StringComparison.Ordinal)];
    }

    /// <summary>Bytes of segment files in a journal and in its outbound sub-journal (0 when absent).</summary>
    private static (long Inbound, long Outbound) SegmentBytes(string journal)
    {
        static long Sum(string directory) => Directory.Exists(directory) ? Directory.GetFiles(directory, "*.seg").Sum(f => new FileInfo(f).Length) : 0;
        return (Sum(journal), Sum(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName)));
    }
}
