using System.Text.RegularExpressions;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// What a writer may do in a directory: a user's own files (including <c>*.seg</c> files that are not segments) are
/// never deleted or mixed with; an existing journal is replaced only on request, and then only its segment files go;
/// the private default location is refused when another user could redirect or write it.
/// </summary>
public partial class JournalDirectoriesTests : JournalTestBase
{
    [GeneratedRegex("^run-[0-9]{8}-[0-9]{6}-[A-Za-z0-9]{10}$")]
    private static partial Regex PrivateName();

    [Test]
    public void ShouldRefuseAndDeleteNothing_WhenTheDirectoryHoldsAUsersSegFiles()
    {
        // Arrange: what `--journal DIR` used to delete silently.
        Directory.CreateDirectory(JournalDirectory);
        var named = Path.Combine(JournalDirectory, "00000000000000000000.seg");
        var mine = Path.Combine(JournalDirectory, "mine.seg");
        File.WriteAllText(named, "a user's file that happens to look like a segment");
        File.WriteAllText(mine, "a user's file");

        // Act
        var error = Assert.Throws<JournalDirectoryException>(() =>
            new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, Overwrite = true }).Dispose());

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Reason, Is.EqualTo(JournalDirectoryRefusal.NotAJournal));
            Assert.That(error.Message, Does.Contain(JournalDirectory).And.Contain("not an OptiFlow journal"));
            Assert.That(File.ReadAllText(named), Is.EqualTo("a user's file that happens to look like a segment"));
            Assert.That(File.ReadAllText(mine), Is.EqualTo("a user's file"));
            Assert.That(File.Exists(Path.Combine(JournalDirectory, JournalDirectories.LockFileName)), Is.False, "a refusal leaves no trace");
        }
    }

    [Test]
    public void ShouldClassifyEachKindOfDirectory_WhenInspected()
    {
        // Arrange
        var missing = JournalDirectory + "-missing";
        var empty = JournalDirectory + "-empty";
        var lockOnly = JournalDirectory + "-lock";
        var foreignSub = JournalDirectory + "-sub";
        var file = JournalDirectory + "-file";
        Directory.CreateDirectory(empty);
        Directory.CreateDirectory(lockOnly);
        File.WriteAllText(Path.Combine(lockOnly, JournalDirectories.LockFileName), "pid 1");
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, GenerateEvents(10));
        }

        using (new JournalWriter(Path.Combine(JournalDirectory, JournalDescriptor.OutboundDirectoryName), Options()))
        {
        }

        Directory.CreateDirectory(Path.Combine(foreignSub, JournalDescriptor.OutboundDirectoryName));
        File.WriteAllText(Path.Combine(foreignSub, JournalDescriptor.OutboundDirectoryName, "notes.txt"), "x");
        File.WriteAllText(file, "x");

        try
        {
            // Act
            var states = new[] { missing, empty, lockOnly, JournalDirectory, foreignSub, file }.Select(d => JournalDirectories.Inspect(d)).ToArray();
            JournalDirectories.Inspect(foreignSub, out var foreign);

            // Assert
            Assert.That(states, Is.EqualTo(new[]
            {
                JournalDirectoryState.Missing, JournalDirectoryState.Empty, JournalDirectoryState.Empty,
                JournalDirectoryState.Journal, JournalDirectoryState.NotAJournal, JournalDirectoryState.NotADirectory,
            }));
            Assert.That(foreign, Is.EqualTo(Path.Combine(JournalDescriptor.OutboundDirectoryName, "notes.txt")));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
            Directory.Delete(lockOnly, recursive: true);
            Directory.Delete(foreignSub, recursive: true);
            File.Delete(file);
        }
    }

    [Test]
    public void ShouldDeleteOnlyItsOwnSegments_WhenOverwritingAJournal()
    {
        // Arrange: a journal with its outbound sub-journal.
        var outbound = Path.Combine(JournalDirectory, JournalDescriptor.OutboundDirectoryName);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, GenerateEvents(2000));
        }

        using (var writer = new JournalWriter(outbound, Options()))
        {
            WriteEvents(writer, GenerateEvents(10));
        }

        // Act
        using (var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, Overwrite = true }))
        {
            WriteEvents(writer, GenerateEvents(3, seed: 9));
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(JournalScanner.Scan(JournalDirectory).Records, Is.EqualTo(3));
            Assert.That(JournalScanner.Scan(outbound).Records, Is.EqualTo(10), "the sub-journal is its own writer's to replace");
        }
    }

    [Test]
    public void ShouldCreateAPrivateRootAndUnpredictableNames_WhenChoosingADefaultLocation()
    {
        // Arrange
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix modes and owners");
            return;
        }

        var root = Path.Combine(JournalDirectory, "state", "optiflow");

        // Act
        var created = JournalDirectories.PrivateRootAt(root);
        var again = JournalDirectories.PrivateRootAt(root);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.EqualTo(root));
            Assert.That(again, Is.EqualTo(root), "an existing private root is accepted");
            Assert.That(File.GetUnixFileMode(root), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
    }

    [Test]
    public void ShouldRefuseTheDefaultLocation_WhenItIsASymbolicLinkOrWritableByOthers()
    {
        // Arrange: the attack on /tmp/optiflow: another local user plants a link (or a shared folder) where a run writes.
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix modes and links");
            return;
        }

        var elsewhere = Path.Combine(JournalDirectory, "attacker");
        var link = Path.Combine(JournalDirectory, "link");
        var shared = Path.Combine(JournalDirectory, "shared");
        Directory.CreateDirectory(elsewhere);
        Directory.CreateSymbolicLink(link, elsewhere);
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x1FF); // 0777

        // Act
        var linked = Assert.Throws<JournalDirectoryException>(() => JournalDirectories.PrivateRootAt(link));
        var writable = Assert.Throws<JournalDirectoryException>(() => JournalDirectories.PrivateRootAt(shared));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(linked!.Reason, Is.EqualTo(JournalDirectoryRefusal.NotPrivate));
            Assert.That(linked.Message, Does.Contain(link).And.Contain("symbolic link"));
            Assert.That(writable!.Reason, Is.EqualTo(JournalDirectoryRefusal.NotPrivate));
            Assert.That(writable.Message, Does.Contain("others may write to it (mode 777)"));
            Assert.That(Directory.GetFileSystemEntries(elsewhere), Is.Empty, "nothing was written through the link");
        }
    }

    [Test]
    public void ShouldRefuseTheDefaultLocation_WhenAnotherUserOwnsIt()
    {
        // Arrange: only root can give a directory to another user.
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            Assert.Ignore("needs root to chown a directory to another user");
            return;
        }

        var foreign = Path.Combine(JournalDirectory, "foreign");
        Directory.CreateDirectory(foreign, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using (var chown = System.Diagnostics.Process.Start("chown", ["65534", foreign]))
        {
            Assert.That(chown.WaitForExit(TimeSpan.FromSeconds(30)) && chown.ExitCode == 0, Is.True, "chown 65534");
        }

        // Act
        var error = Assert.Throws<JournalDirectoryException>(() => JournalDirectories.PrivateRootAt(foreign));

        // Assert
        Assert.That(error!.Message, Does.Contain("owned by uid 65534"));
    }

    [Test]
    public void ShouldNameEachDefaultJournalUnpredictably_WhenAskedTwice()
    {
        // Arrange
        var root = JournalDirectories.PrivateRootAt(Path.Combine(JournalDirectory, "root"));

        // Act
        var first = JournalDirectories.NewPathIn(root, "run");
        var second = JournalDirectories.NewPathIn(root, "run");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.Not.EqualTo(second));
            Assert.That(Path.GetFileName(first), Does.Match(PrivateName()));
            Assert.That(Path.GetDirectoryName(first), Is.EqualTo(root));
            Assert.That(Path.Exists(first), Is.False, "nothing is created until a writer uses it");
            Assert.Throws<ArgumentException>(() => JournalDirectories.NewPathIn(root, "../x"));
        }
    }

    [Test]
    [NonParallelizable]
    public void ShouldUseTheXdgStateHome_WhenItIsSet()
    {
        // Arrange
        var previous = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var state = Path.Combine(JournalDirectory, "xdg-state");
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", state);
        try
        {
            // Act
            var path = JournalDirectories.NewPrivatePath("demo");

            // Assert
            Assert.That(Path.GetDirectoryName(path), Is.EqualTo(Path.Combine(state, "optiflow")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_STATE_HOME", previous);
        }
    }

    [Test]
    public void ShouldTellTheSourceFromAnOutsideDestination_WhenComparingPaths()
    {
        // Arrange
        Directory.CreateDirectory(JournalDirectory);
        var link = JournalDirectory + "-link";
        Directory.CreateSymbolicLink(link, JournalDirectory);

        try
        {
            // Act / Assert
            using (Assert.EnterMultipleScope())
            {
                Assert.That(JournalDirectories.IsSameOrInside(JournalDirectory, JournalDirectory), Is.True);
                Assert.That(JournalDirectories.IsSameOrInside(JournalDirectory + "/", JournalDirectory), Is.True);
                Assert.That(JournalDirectories.IsSameOrInside(Path.Combine(JournalDirectory, "outbound", "new"), JournalDirectory), Is.True);
                Assert.That(JournalDirectories.IsSameOrInside(link, JournalDirectory), Is.True, "through a symbolic link");
                Assert.That(JournalDirectories.IsSameOrInside(Path.Combine(link, "x"), JournalDirectory), Is.True);
                Assert.That(JournalDirectories.IsSameOrInside(Path.Combine(JournalDirectory, "..", "elsewhere"), JournalDirectory), Is.False);
                Assert.That(JournalDirectories.IsSameOrInside(JournalDirectory + "-other", JournalDirectory), Is.False, "a sibling that shares a prefix");
            }
        }
        finally
        {
            File.Delete(link);
        }
    }
}
