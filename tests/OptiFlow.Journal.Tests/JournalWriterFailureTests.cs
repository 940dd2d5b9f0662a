using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Journal.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// The OS refusing a journal: the next segment cannot be created (a stand-in for a full disk: a directory already holds
/// its name, so <c>open(O_CREAT | O_EXCL)</c> fails with <c>EEXIST</c> whoever runs the test), and a read-only journal.
/// The failure is one <see cref="JournalIOException"/> naming the file and the errno, the writer writes nothing more,
/// and every record committed before it reads back and verifies. The real <c>ENOSPC</c> and <c>EFBIG</c> are exercised
/// end to end in OptiFlow.Replay.Tests (JournalSafety/JournalIOFailureTests).
/// </summary>
public class JournalWriterFailureTests : JournalTestBase
{
    private const int PerSegment = (SmallSegmentSize - JournalDescriptor.HeaderLength) / RecordDescriptor.MarketEventFrameLength;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [TestCase(true)]
    [TestCase(false)]
    public void ShouldThrowNamingTheSegmentAndKeepEveryCommittedRecord_WhenTheNextSegmentCannotBeCreated(bool prepare)
    {
        // Arrange: prepared or not, the next segment is first created once the writer is half-way through the first one
        // (JournalOptions.PrepareSegments), so the blocking entry made now is there first.
        var events = GenerateEvents(PerSegment * 2);
        var blocked = SegmentPath(JournalDirectory, SmallSegmentSize);
        var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, PrepareSegments = prepare });
        Directory.CreateDirectory(blocked);
        var committed = 0;
        JournalIOException? failure = null;

        // Act
        try
        {
            for (; committed < events.Length; committed++)
            {
                writer.Append(ref events[committed], committed);
            }
        }
        catch (JournalIOException e)
        {
            failure = e;
        }

        var again = Assert.Throws<JournalIOException>(() => writer.Append(ref events[0], 0));
        var flush = Assert.Throws<JournalIOException>(writer.Flush);
        var blob = Assert.Throws<JournalIOException>(() => writer.AppendBlob(JournalRecordType.RunSummary, "{}"u8));
        writer.Dispose();

        // Assert
        var report = JournalScanner.Scan(JournalDirectory);
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure, Is.Not.Null, "the roll must fail");
            Assert.That(failure!.Path, Is.EqualTo(blocked));
            Assert.That(failure.Errno, Is.EqualTo(17));
            Assert.That(failure.Message, Is.EqualTo($"Cannot create journal segment '{blocked}': File exists (EEXIST)."));
            Assert.That(writer.Failure, Is.SameAs(failure));
            Assert.That(again, Is.SameAs(failure), "a failed writer appends nothing more");
            Assert.That(flush, Is.SameAs(failure));
            Assert.That(blob, Is.SameAs(failure));
            Assert.That(committed, Is.EqualTo(PerSegment), "everything that fitted the first segment was committed");
            Assert.That(writer.RecordCount, Is.EqualTo(PerSegment));
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(report.Records, Is.EqualTo(PerSegment));
            Assert.That(ReadAndCompare(reader, events[..PerSegment]), Is.Null);
        }
    }

    [Test]
    public void ShouldResumeAfterTheLastCommittedRecord_WhenTheSpaceComesBack()
    {
        // Arrange: the failure above, then the blocking entry goes (the disk was cleaned up).
        var events = GenerateEvents((PerSegment * 2) + 10);
        var blocked = SegmentPath(JournalDirectory, SmallSegmentSize);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            Directory.CreateDirectory(blocked);
            Assert.Throws<JournalIOException>(() => WriteEvents(writer, events));
        }

        Directory.Delete(blocked);

        // Act
        using (var resumed = JournalWriter.Resume(JournalDirectory, Options()))
        {
            WriteEvents(resumed, events[PerSegment..], firstSequence: PerSegment);
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
    }

    [Test]
    public void ShouldKeepTheFailureAndDropLaterEventsWithoutBlockingTheRing_WhenTheWriterFailsUnderAProcessor()
    {
        // Arrange
        var events = GenerateEvents(PerSegment * 3);
        var writer = new JournalWriter(JournalDirectory, Options());
        Directory.CreateDirectory(SegmentPath(JournalDirectory, SmallSegmentSize));
        var ring = new RingBuffer<MarketEvent>(1024, new YieldingWaitStrategy());
        var processor = new BatchEventProcessor<MarketEvent, JournalEventHandler>(ring, ring.Sequencer.NewBarrier(), new JournalEventHandler(writer, 100));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("journal-test");

        // Act: the producer must never block behind the failed journal.
        foreach (var e in events)
        {
            var sequence = ring.Next();
            ring[sequence] = e;
            ring.Publish(sequence);
        }

        BoundedWait.Until(() => processor.Sequence.Value == events.Length - 1, Timeout, () => $"the journal processor reached {processor.Sequence.Value} of {events.Length - 1}");
        processor.Halt();
        Assert.That(processor.Join(Timeout), Is.True);
        var handler = processor.Handler;
        writer.Dispose();
        processor.Dispose();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(processor.FaultCount, Is.Zero, "an I/O failure is the handler's to keep, not one fault per event");
            Assert.That(handler.Failure, Is.SameAs(writer.Failure));
            Assert.That(handler.Failure!.ErrnoName, Is.EqualTo("EEXIST"));
            Assert.That(handler.EventsHandled, Is.EqualTo(PerSegment));
            Assert.That(handler.EventsDropped, Is.EqualTo(events.Length - PerSegment));
            Assert.That(JournalScanner.Scan(JournalDirectory).Records, Is.EqualTo(PerSegment));
        }
    }

    [Test]
    public void ShouldReadAndScanTheJournal_WhenItsDirectoryAndFilesAreReadOnly()
    {
        // Arrange: readers must not need write access (O_RDONLY, PROT_READ, no lock).
        var events = GenerateEvents(PerSegment + 50);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        using var readOnly = ReadOnlyTree.Make(JournalDirectory);

        // Act
        string? mismatch;
        using (var reader = new JournalReader(JournalDirectory))
        {
            mismatch = ReadAndCompare(reader, events);
        }

        var report = JournalScanner.Scan(JournalDirectory);
        var writing = Assert.Throws<JournalDirectoryException>(() => new JournalWriter(JournalDirectory, Options()).Dispose());
        var resuming = Assert.Catch<IOException>(() => JournalWriter.Resume(JournalDirectory, Options()).Dispose());

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatch, Is.Null, readOnly.Method);
            Assert.That(report.IsIntact, Is.True);
            Assert.That(report.Records, Is.EqualTo(events.Length));
            Assert.That(writing!.Reason, Is.EqualTo(JournalDirectoryRefusal.ExistingJournal));
            Assert.That(resuming, Is.TypeOf<JournalIOException>(), "resuming needs the lock file: an OS error naming it");
            Assert.That(resuming!.Message, Does.Contain(JournalDirectories.LockFileName));
        }
    }

    [Test]
    public void ShouldNameTheDirectoryAndTheOsError_WhenTheDirectoryIsReadOnly()
    {
        // Arrange
        Directory.CreateDirectory(JournalDirectory);
        using var readOnly = ReadOnlyTree.Make(JournalDirectory);

        // Act
        var error = Assert.Throws<JournalIOException>(() => new JournalWriter(JournalDirectory, Options()).Dispose());
        var nested = Assert.Throws<JournalIOException>(() => new JournalWriter(Path.Combine(JournalDirectory, "sub"), Options()).Dispose());

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Path, Is.EqualTo(Path.Combine(JournalDirectory, JournalDirectories.LockFileName)), readOnly.Method);
            Assert.That(error.ErrnoName, Is.AnyOf("EACCES", "EPERM", "EROFS"));
            Assert.That(error.Message, Does.StartWith("Cannot create journal lock file '").And.Contain($"({error.ErrnoName})."));
            Assert.That(nested!.Path, Is.EqualTo(Path.Combine(JournalDirectory, "sub")));
            Assert.That(nested.Message, Does.StartWith("Cannot create journal directory '"));
            Assert.That(Directory.GetFileSystemEntries(JournalDirectory), Is.Empty);
        }
    }
}
