using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// One writer per journal directory: a second <see cref="JournalWriter"/> (new or resuming, overwrite or not) is refused
/// while the first holds <c>DIR/.optiflow.lock</c>, with a message naming the directory and the holder's pid, and the
/// first writer's journal stays exactly what it wrote. <c>flock(2)</c> locks belong to the open file description, so
/// two writers in this one process exclude each other exactly as two processes do.
/// </summary>
public class JournalLockTests : JournalTestBase
{
    [Test]
    public void ShouldRefuseASecondWriterNamingTheDirectoryAndPid_WhenTheFirstStillWrites()
    {
        // Arrange
        var first = GenerateEvents(500, seed: 1);
        var second = GenerateEvents(500, seed: 2);
        JournalDirectoryException? refused;
        JournalDirectoryException? refusedResume;
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, first[..250]);

            // Act: the writers that used to splice their records into this one's.
            refused = Assert.Throws<JournalDirectoryException>(() => new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, Overwrite = true }).Dispose());
            refusedResume = Assert.Throws<JournalDirectoryException>(() => JournalWriter.Resume(JournalDirectory, Options()).Dispose());
            WriteEvents(writer, first[250..], firstSequence: 250);
        }

        // Assert: refused, and the first writer's journal is its own records only.
        var report = JournalScanner.Scan(JournalDirectory);
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.Reason, Is.EqualTo(JournalDirectoryRefusal.Locked));
            Assert.That(refused.HolderProcessId, Is.EqualTo(Environment.ProcessId));
            Assert.That(refused.Message, Does.Contain(JournalDirectory).And.Contain($"pid {Environment.ProcessId}").And.Contain(JournalDirectories.LockFileName));
            Assert.That(refusedResume!.Reason, Is.EqualTo(JournalDirectoryRefusal.Locked));
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(ReadAndCompare(reader, first), Is.Null);
            Assert.That(second, Has.Length.EqualTo(500), "never written");
        }
    }

    [Test]
    public void ShouldLetTheNextWriterResume_WhenTheFirstIsDisposed()
    {
        // Arrange
        var events = GenerateEvents(100);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events[..60]);
        }

        // Act
        using (var resumed = JournalWriter.Resume(JournalDirectory, Options()))
        {
            WriteEvents(resumed, events[60..], firstSequence: 60);
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
    }

    [Test]
    public void ShouldCreateThePrivateDirectoryLockAndSegments_WhenCreatingAJournal()
    {
        // Arrange
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes");
            return;
        }

        // Act
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, GenerateEvents(1000));
        }

        // Assert
        const UnixFileMode privateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var lockFile = Path.Combine(JournalDirectory, JournalDirectories.LockFileName);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.GetUnixFileMode(JournalDirectory), Is.EqualTo(privateFile | UnixFileMode.UserExecute), "the directory");
            Assert.That(File.GetUnixFileMode(lockFile), Is.EqualTo(privateFile), "the lock file");
            Assert.That(File.ReadAllText(lockFile).Trim(), Is.EqualTo($"pid {Environment.ProcessId}"));
            foreach (var segment in Directory.GetFiles(JournalDirectory, "*.seg"))
            {
                Assert.That(File.GetUnixFileMode(segment), Is.EqualTo(privateFile), segment);
            }
        }
    }

    [Test]
    public void ShouldRefuseWithoutFollowing_WhenTheLockFileIsASymbolicLink()
    {
        // Arrange: another user's trap: the lock file name points at a file elsewhere.
        Directory.CreateDirectory(JournalDirectory);
        var target = JournalDirectory + "-target";
        File.WriteAllText(target, "precious");
        File.CreateSymbolicLink(Path.Combine(JournalDirectory, JournalDirectories.LockFileName), target);

        try
        {
            // Act
            var error = Assert.Throws<JournalDirectoryException>(() => new JournalWriter(JournalDirectory, Options()).Dispose());

            // Assert
            using (Assert.EnterMultipleScope())
            {
                Assert.That(error!.Reason, Is.EqualTo(JournalDirectoryRefusal.NotAJournal));
                Assert.That(error.Message, Does.Contain(JournalDirectories.LockFileName));
                Assert.That(File.ReadAllText(target), Is.EqualTo("precious"), "the link's target was not written");
                Assert.That(Directory.GetFiles(JournalDirectory, "*.seg"), Is.Empty);
            }
        }
        finally
        {
            File.Delete(target);
        }
    }
}
