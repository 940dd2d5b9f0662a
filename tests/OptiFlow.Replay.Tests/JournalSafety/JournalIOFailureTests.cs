using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests.JournalSafety;

/// <summary>
/// The OS refusing a journal, through <c>optiflow</c> and the host: a full disk mid-run (a private tmpfs), a file-size
/// limit, a read-only directory, a segment that cannot be created. Each ends with one line naming the path and the OS
/// error and exit 5 (I/O failure), never a stack trace, and every record committed before it verifies. Refused
/// destinations of <c>journal copy</c> (itself, inside itself, a non-empty directory) exit 2 and change nothing.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class JournalIOFailureTests
{
    private static string Demo => OptiFlowCommand.DemoRecording;

    [Test]
    [Category("Data")]
    public void ShouldExitFiveNamingTheSegmentAndKeepWhatWasCommitted_WhenTheDiskFillsDuringARun()
    {
        // Arrange: the largest recording, ETHUSDT's of the same day and the largest again journal ~98 MB (market events as
        // deltas) into 64 MiB segments (+ an 8 MiB outbound one); an 80 MiB tmpfs, mounted in a private mount namespace so
        // it vanishes with the child, fills when the second segment is created. Without root the namespace comes with a
        // user namespace (unshare --map-root-user), where mounting a tmpfs is allowed.
        var recording = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808");
        var second = RecordingData.Require("hftbacktest/examples/usdm/ethusdt_20240808");
        using var temp = new TempDirectory("io-enospc");
        var disk = temp.File("disk");
        Directory.CreateDirectory(disk);
        const string script = """
            mount -t tmpfs -o size=80m,mode=0700 tmpfs "$1" || exit 97
            optiflow run --market futures --journal "$1/journal" "$2" "$4" "$2"
            echo "run-exit=$?"
            optiflow journal verify "$1/journal"
            echo "verify-exit=$?"
            optiflow replay "$1/journal" --output "$3"
            echo "replay-exit=$?"
            """;

        // Act
        string[] unshare = Environment.IsPrivilegedProcess ? ["unshare", "--mount"] : ["unshare", "--map-root-user", "--mount"];
        var result = Cli.Shell(script, unshare, disk, recording, temp.File("replay"), second);
        if (result is null || result.Exit == 97 || result.Error.Contains("unshare: ", StringComparison.Ordinal))
        {
            Assert.Ignore($"cannot mount a private tmpfs here (needs unshare and mount rights): {result?.Error.Trim() ?? "no unshare"}");
        }

        // Assert
        var segment = Path.Combine(disk, "journal", "00000000000067108864.seg");
        var errorLines = result!.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Cli.Field(result.Output, "run-exit="), Is.EqualTo(OptiFlowCommand.IoFailure.ToString()), result.ToString());
            Assert.That(errorLines, Has.Length.EqualTo(1), "one line, no stack trace: " + result.Error);
            Assert.That(errorLines[0], Does.StartWith($"optiflow: journal I/O failure: Cannot allocate 67108864 bytes for journal segment '{segment}': No space left on device (ENOSPC). The run stopped journaling there; the "));
            Assert.That(errorLines[0], Does.EndWith($"records committed before it are kept (an incomplete session, no run summary): check them with 'optiflow journal verify {Path.Combine(disk, "journal")}'."));
            Assert.That(result.Error, Does.Not.Contain("ObjectDisposedException").And.Not.Contain("Unhandled"));
            Assert.That(Cli.Field(result.Output, "verify-exit="), Is.EqualTo("0"), "what was committed verifies: " + result.Output);
            Assert.That(result.Output, Does.Contain("session: incomplete (no run summary)").And.Contain("  intact"));
            Assert.That(Cli.Field(result.Output, "replay-exit="), Is.EqualTo("0"), result.Output);
            Assert.That(result.Output, Does.Contain("journaled outbound records reproduced, byte for byte"));
        }
    }

    [Test]
    public void ShouldExitFiveNamingTheSegmentAndLeaveNothing_WhenAFileSizeLimitRefusesTheFirstSegment()
    {
        // Arrange: RLIMIT_FSIZE below the demo's 8 MiB segment; SIGXFSZ ignored so the OS answers EFBIG. The runtime's
        // W^X double mapping sizes a memfd, which the limit would refuse too: it is switched off for this child.
        using var temp = new TempDirectory("io-efbig");
        var journal = temp.File("journal");
        const string script = """
            ulimit -f 2048
            trap '' XFSZ
            export DOTNET_EnableWriteXorExecute=0
            optiflow run --market futures --journal "$1" "$2"
            """;

        // Act
        var result = Cli.Shell(script, [], journal, Demo)!;

        // Assert
        var segment = Path.Combine(journal, "00000000000000000000.seg");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.IoFailure), result.ToString());
            Assert.That(result.Error, Is.EqualTo($"optiflow: Cannot allocate 8388608 bytes for journal segment '{segment}': File too large (EFBIG).\n"));
            Assert.That(Directory.Exists(journal), Is.False, "the writer removed the directory it had created: nothing was committed");
        }
    }

    [Test]
    public void ShouldExitFiveNamingTheDirectoryAndOsError_WhenTheJournalDirectoryIsReadOnly()
    {
        // Arrange
        using var temp = new TempDirectory("io-readonly");
        var directory = temp.File("readonly");
        Directory.CreateDirectory(directory);
        CliResult inside;
        CliResult below;
        using (var readOnly = ReadOnlyTree.Make(directory))
        {
            // Act
            inside = Cli.Run("run", "--market", "futures", "--journal", directory, Demo);
            below = Cli.Run("run", "--market", "futures", "--journal", Path.Combine(directory, "sub"), Demo);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inside.Exit, Is.EqualTo(OptiFlowCommand.IoFailure), inside.ToString());
            Assert.That(inside.Error, Does.Match($"^optiflow: Cannot create journal lock file '{System.Text.RegularExpressions.Regex.Escape(Path.Combine(directory, JournalDirectories.LockFileName))}': .+ \\((EACCES|EPERM|EROFS)\\)\\.\\n$"));
            Assert.That(below.Exit, Is.EqualTo(OptiFlowCommand.IoFailure), below.ToString());
            Assert.That(below.Error, Does.Match($"^optiflow: Cannot create journal directory '{System.Text.RegularExpressions.Regex.Escape(Path.Combine(directory, "sub"))}': .+\\n$"));
            Assert.That(Directory.GetFileSystemEntries(directory), Is.Empty);
        }
    }

    [TestCase(JournalPlacement.OwnThread)]
    [TestCase(JournalPlacement.CoreThread)]
    public void ShouldStopEarlyReportAndKeepWhatWasCommitted_WhenTheNextSegmentCannotBeCreated(JournalPlacement placement)
    {
        // Arrange: 64 KiB segments, and a directory where the second segment must go (open(O_EXCL) fails with EEXIST):
        // the host's path of a full disk, without needing one. With a 1,024-slot ring the producer cannot be more than
        // 1,024 slots ahead of the journal, so by frame 4,095 (where it checks) the failure (near slot 400) is seen.
        using var temp = new TempDirectory("io-host");
        var journal = temp.File("journal");
        var input = RecordingInput.Open([Demo], RecordingFormat.Hftbacktest, Market.Futures);
        var blocked = Path.Combine(journal, "00000000000000065536.seg");
        SessionResult result;
        using (var session = EngineSession.ForRecording(input, new EngineOptions { JournalDirectory = journal, JournalSegmentSize = 64 * 1024, RingSize = 1024, JournalPlacement = placement }))
        {
            Directory.CreateDirectory(blocked);
            session.Start();
            session.PublishRecording();

            // Act
            result = session.Stop();
        }

        Directory.Delete(blocked);
        var verify = Cli.Run("journal", "verify", journal);
        var replay = Cli.Run("replay", journal);

        // Assert
        var report = JournalScanner.Scan(journal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.JournalOnCoreThread, Is.EqualTo(placement == JournalPlacement.CoreThread));
            Assert.That(result.JournalFailure, Is.Not.Null);
            Assert.That(result.JournalFailure!.Path, Is.EqualTo(blocked));
            Assert.That(result.JournalFailure.ErrnoName, Is.EqualTo("EEXIST"));
            Assert.Throws<JournalIOException>(result.ThrowIfJournalFailed);
            Assert.That(result.JournalFaults, Is.Zero, "one failure, kept by the handler, not a fault per event");
            Assert.That(result.Frames, Is.EqualTo(4095), "the producer stopped publishing at its first check after the failure");
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(report.Records, Is.EqualTo(result.JournalRecords), "every committed record is there");
            Assert.That(report.Session, Is.EqualTo(JournalSessionState.Incomplete));
            Assert.That(verify.Exit, Is.EqualTo(OptiFlowCommand.Success), verify.ToString());
            Assert.That(replay.Exit, Is.EqualTo(OptiFlowCommand.Success), replay.ToString());
            Assert.That(replay.Output, Does.Contain("replay verdict: INCOMPLETE SESSION"));
        }
    }

    [Test]
    public void ShouldRefuseAndChangeNothing_WhenACopyTargetsItselfItsInsideOrAUsersDirectory()
    {
        // Arrange
        using var temp = new TempDirectory("io-copy");
        var journal = temp.File("journal");
        Assert.That(Cli.Run("run", "--market", "futures", "--journal", journal, Demo).Exit, Is.EqualTo(OptiFlowCommand.Success));
        var user = temp.File("user");
        Directory.CreateDirectory(user);
        File.WriteAllText(Path.Combine(user, "notes.txt"), "mine");
        var before = Cli.Snapshot(journal);

        // Act
        var itself = Cli.Run("journal", "copy", journal, journal);
        var itselfResume = Cli.Run("journal", "copy", journal, journal + "/", "--resume");
        var outbound = Cli.Run("journal", "copy", journal, Path.Combine(journal, JournalDescriptor.OutboundDirectoryName), "--overwrite");
        var inside = Cli.Run("journal", "copy", journal, Path.Combine(journal, "copy"));
        var users = Cli.Run("journal", "copy", journal, user);
        var fresh = Cli.Run("journal", "copy", journal, temp.File("copy"));
        var again = Cli.Run("journal", "copy", journal, temp.File("copy"));
        var overwritten = Cli.Run("journal", "copy", journal, temp.File("copy"), "--overwrite");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            foreach (var result in new[] { itself, itselfResume, outbound, inside })
            {
                Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), result.ToString());
                Assert.That(result.Error, Does.StartWith($"optiflow: Cannot copy journal '{journal}' onto '").And.Contain("the destination is the source or inside it; nothing was written."));
            }

            Assert.That(users.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), users.ToString());
            Assert.That(users.Error, Does.Contain("is not an OptiFlow journal (it holds 'notes.txt')"));
            Assert.That(fresh.Exit, Is.EqualTo(OptiFlowCommand.Success), fresh.ToString());
            Assert.That(again.Exit, Is.EqualTo(OptiFlowCommand.BadUsage), again.ToString());
            Assert.That(again.Error, Does.Contain("already holds an OptiFlow journal"));
            Assert.That(overwritten.Exit, Is.EqualTo(OptiFlowCommand.Success), overwritten.ToString());
            Assert.That(Cli.Snapshot(journal), Is.EqualTo(before), "the source is untouched");
            Assert.That(File.ReadAllText(Path.Combine(user, "notes.txt")), Is.EqualTo("mine"));
            Assert.That(JournalScanner.Scan(temp.File("copy")).Records, Is.EqualTo(JournalScanner.Scan(journal).Records));
        }
    }

    [Test]
    public void ShouldExitFiveNamingTheFile_WhenACopyOrExportCannotWriteItsDestination()
    {
        // Arrange
        using var temp = new TempDirectory("io-destination");
        var journal = temp.File("journal");
        Assert.That(Cli.Run("run", "--market", "futures", "--journal", journal, Demo).Exit, Is.EqualTo(OptiFlowCommand.Success));
        var locked = temp.File("readonly");
        Directory.CreateDirectory(locked);
        var csv = temp.File("events.csv");
        CliResult copy;
        CliResult export;
        using (ReadOnlyTree.Make(locked))
        {
            // Act
            copy = Cli.Run("journal", "copy", journal, Path.Combine(locked, "copy"));
            export = Cli.Run("journal", "export", journal, "--format", "csv", "--output", Path.Combine(locked, "events.csv"));
        }

        var exported = Cli.Run("journal", "export", journal, "--format", "csv", "--output", csv);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(copy.Exit, Is.EqualTo(OptiFlowCommand.IoFailure), copy.ToString());
            Assert.That(copy.Error, Does.StartWith($"optiflow: Cannot create journal directory '{Path.Combine(locked, "copy")}': "));
            Assert.That(export.Exit, Is.EqualTo(OptiFlowCommand.IoFailure), export.ToString());
            Assert.That(export.Error, Does.StartWith($"optiflow: Cannot create export file '{Path.Combine(locked, "events.csv")}': "));
            Assert.That(exported.Exit, Is.EqualTo(OptiFlowCommand.Success), exported.ToString());
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(csv), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "an export is private to its owner");
            }
        }
    }
}
