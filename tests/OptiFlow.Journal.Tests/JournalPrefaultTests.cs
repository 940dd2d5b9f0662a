using System.Globalization;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>Background pre-faulting of writable segments (<see cref="JournalOptions.Prefault"/>), checked against the kernel's own accounting.</summary>
public class JournalPrefaultTests : JournalTestBase
{
    private const int SegmentSize = 8 * 1024 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Test]
    public void ShouldMakeTheWholeSegmentResident_WhenPrefaultIsOn()
    {
        // Arrange
        RequireLinux();
        using var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SegmentSize, Prefault = true });

        // Act
        var ended = writer.WaitForPrefault(Bound);
        var resident = ResidentBytes(SegmentPath(JournalDirectory, 0));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ended, Is.True, "the pre-faulter ends within the bound");
            Assert.That(writer.PrefaultError, Is.Null);
            Assert.That(writer.PrefaultedBytes, Is.EqualTo(SegmentSize));
            Assert.That(resident, Is.EqualTo(SegmentSize), "Rss of the segment's mapping in /proc/self/smaps");
        }
    }

    [Test]
    public void ShouldLeaveUntouchedPagesNonResident_WhenPrefaultIsOff()
    {
        // Arrange
        RequireLinux();
        using var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SegmentSize, Prefault = false });
        WriteEvents(writer, GenerateEvents(10));

        // Act
        var resident = ResidentBytes(SegmentPath(JournalDirectory, 0));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writer.PrefaultedBytes, Is.Zero);
            Assert.That(writer.WaitForPrefault(TimeSpan.Zero), Is.True, "no pre-faulter to wait for");
            Assert.That(resident, Is.LessThan(SegmentSize / 8), "only the pages written (and read-ahead) are mapped in");
        }
    }

    [Test]
    public void ShouldPrefaultEveryNewSegment_WhenTheWriterRolls()
    {
        // Arrange
        RequireLinux();
        var events = GenerateEvents(2 * ((SmallSegmentSize / RecordDescriptor.MarketEventFrameLength) + 1));
        using var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, Prefault = true });

        // Act
        WriteEvents(writer, events);
        var ended = writer.WaitForPrefault(Bound);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writer.SegmentCount, Is.EqualTo(3));
            Assert.That(ended, Is.True);
            Assert.That(writer.PrefaultedBytes, Is.EqualTo(SmallSegmentSize), "the current (third) segment");
        }

        writer.Dispose();
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null, "pre-faulting never changes a byte");
    }

    [Test]
    public void ShouldWriteIdenticalBytes_WhenRecordsAreAppendedWhilePrefaulting()
    {
        // Arrange: a 256 MiB segment takes the pre-faulter a while, so appends race with it.
        RequireLinux();
        var events = GenerateEvents(100_000, seed: 7);
        using (var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = 256 * 1024 * 1024, Prefault = true }))
        {
            // Act
            WriteEvents(writer, events);
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
    }

    [Test]
    public void ShouldStopAndUnmapCleanly_WhenDisposedWhilePrefaulting()
    {
        // Arrange
        RequireLinux();
        var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = 512 * 1024 * 1024, Prefault = true });
        var events = GenerateEvents(3);
        WriteEvents(writer, events);

        // Act: Dispose stops the pre-faulter after its current 1 MiB step, then unmaps.
        writer.Dispose();

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
    }

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("pre-faulting uses Linux madvise(MADV_POPULATE_WRITE); /proc/self/smaps is Linux only");
        }
    }

    /// <summary>The Rss, in bytes, of this process's mapping of <paramref name="path"/>, from <c>/proc/self/smaps</c>.</summary>
    private static long ResidentBytes(string path)
    {
        var full = Path.GetFullPath(path);
        var inMapping = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            // A mapping's header line starts with its address range ("7f..-7f.. rw-s ... /path"); attribute lines with "Name:".
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var first = space > 0 ? line[..space] : line;
            var isHeader = first.Contains('-', StringComparison.Ordinal) && !first.EndsWith(':');
            if (isHeader)
            {
                inMapping = line.EndsWith(full, StringComparison.Ordinal);
                continue;
            }

            if (inMapping && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                var kb = line["Rss:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no mapping of {full} in /proc/self/smaps");
    }
}
