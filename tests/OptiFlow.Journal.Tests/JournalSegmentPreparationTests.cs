using OptiFlow.Journal.Segments;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// The next segment prepared in the background (<see cref="JournalOptions.PrepareSegments"/>): a roll allocates nothing on
/// the writer thread, the preparer's I/O failure surfaces at the roll as the writer's own, and a prepared segment the
/// writer never used is neither data nor damage.
/// </summary>
public class JournalSegmentPreparationTests : JournalTestBase
{
    private const int PerSegment = (SmallSegmentSize - JournalDescriptor.HeaderLength) / RecordDescriptor.MarketEventFrameLength;
    private const int WarmUpRolls = 3;
    private const int MeasuredRolls = 12;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [TestCase(true)]
    [TestCase(false)]
    public void ShouldNotAllocateOnTheWriterThread_WhenRollingToPreparedSegments(bool prefault)
    {
        // Arrange: 64 KiB segments, ~400 events each. The writer asks for the next segment when half of the current one
        // is written; the test then waits (bounded, outside the measurement) for the preparer, which a real feed gives
        // it by not filling half a segment in microseconds.
        var events = GenerateEvents(PerSegment * (WarmUpRolls + MeasuredRolls + 2));
        using var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, Prefault = prefault });
        var next = 0;
        long ignored = 0;
        for (var roll = 0; roll < WarmUpRolls; roll++)
        {
            next = AppendThroughRoll(writer, events, next, ref ignored);
        }

        var synchronousBefore = writer.SynchronousRolls;
        var segmentsBefore = writer.SegmentCount;

        // Act
        long allocated = 0;
        for (var roll = 0; roll < MeasuredRolls; roll++)
        {
            next = AppendThroughRoll(writer, events, next, ref allocated);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero, $"bytes allocated on the writer thread by {MeasuredRolls} rolls and their appends");
            Assert.That(writer.SegmentCount - segmentsBefore, Is.EqualTo(MeasuredRolls), "rolls measured");
            Assert.That(writer.SynchronousRolls - synchronousBefore, Is.Zero, "every measured roll found its segment ready");
        }

        writer.Dispose();
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events[..next]), Is.Null);
    }

    [Test]
    public void ShouldWriteTheSameJournalWithoutAllocating_WhenTheWriterRollsFasterThanThePreparer()
    {
        // Arrange: no waiting: the writer fills 64 KiB segments in microseconds and often finds the next one unfinished;
        // it then blocks until the preparer has mapped it, which allocates nothing on the writer thread either.
        var events = GenerateEvents(PerSegment * 20);
        var warmUp = PerSegment * WarmUpRolls;

        // Act
        long synchronousRolls;
        long allocated;
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events[..warmUp]);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = warmUp; i < events.Length; i++)
            {
                writer.Append(ref events[i], i);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            synchronousRolls = writer.SynchronousRolls;
            Assert.That(writer.SegmentCount, Is.EqualTo(20));
        }

        // Assert
        var report = JournalScanner.Scan(JournalDirectory);
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero, $"bytes allocated on the writer thread by {20 - WarmUpRolls} rolls, {synchronousRolls} of them waiting for the preparer");
            Assert.That(synchronousRolls, Is.InRange(0, 19));
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(report.Records, Is.EqualTo(events.Length));
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [Test]
    public void ShouldCountEveryRollAsSynchronous_WhenPreparationIsOff()
    {
        // Arrange
        var events = GenerateEvents(PerSegment * 3);

        // Act
        using var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, PrepareSegments = false });
        WriteEvents(writer, events);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writer.SegmentCount, Is.EqualTo(3), "3 full segments");
            Assert.That(writer.SynchronousRolls, Is.EqualTo(writer.SegmentCount - 1));
            Assert.That(File.Exists(SegmentPath(JournalDirectory, writer.SegmentCount * (long)SmallSegmentSize)), Is.False, "nothing prepared");
        }
    }

    [Test]
    public void ShouldThrowThePreparersFailureAtTheRollAndKeepEveryCommittedRecord_WhenTheNextSegmentCannotBeCreated()
    {
        // Arrange: the preparer finds the next segment's name taken (the stand-in for a full disk of JournalWriterFailureTests).
        var events = GenerateEvents(PerSegment * 2);
        var blocked = SegmentPath(JournalDirectory, SmallSegmentSize);
        var writer = new JournalWriter(JournalDirectory, new JournalOptions
        {
            SegmentSize = SmallSegmentSize,
            SegmentFactory = index =>
            {
                var path = SegmentPath(JournalDirectory, index * SmallSegmentSize);
                Directory.CreateDirectory(path);
                return MappedSegment.Create(path, index, index * SmallSegmentSize, SmallSegmentSize);
            },
        });
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
        writer.Dispose();
        Directory.Delete(blocked);

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
            Assert.That(committed, Is.EqualTo(PerSegment), "everything that fitted the first segment was committed");
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(report.Records, Is.EqualTo(PerSegment));
            Assert.That(ReadAndCompare(reader, events[..PerSegment]), Is.Null);
        }
    }

    [Test]
    public void ShouldReadLiveAndLeaveACleanJournal_WhenDisposedWithAPreparedSegmentNeverUsed()
    {
        // Arrange: over one and a half segments (the next is requested at the half); the third is prepared but never written.
        var events = GenerateEvents(PerSegment + (PerSegment / 2) + 10);
        var prepared = SegmentPath(JournalDirectory, 2L * SmallSegmentSize);
        var writer = new JournalWriter(JournalDirectory, Options());
        WriteEvents(writer, events);
        Assert.That(writer.WaitForNextSegment(Bound), Is.True, "the preparer finished the next segment");

        // Act: while the writer runs, the prepared segment is a headerless last file.
        var existedWhileWriting = File.Exists(prepared);
        string? liveMismatch;
        using (var live = new JournalReader(JournalDirectory))
        {
            liveMismatch = ReadAndCompare(live, events);
        }

        var liveReport = JournalScanner.Scan(JournalDirectory);
        writer.Dispose();

        // Assert
        var report = JournalScanner.Scan(JournalDirectory);
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(existedWhileWriting, Is.True, "the next segment was prepared");
            Assert.That(liveMismatch, Is.Null, "a live reader skips the prepared segment");
            Assert.That(liveReport.Tail, Is.EqualTo(JournalTailState.IncompleteSegment), "a live scan sees a segment being created");
            Assert.That(liveReport.HasDamageBeforeTail, Is.False);
            Assert.That(liveReport.Records, Is.EqualTo(events.Length));
            Assert.That(File.Exists(prepared), Is.False, "dispose deletes the unused prepared segment");
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(report.Records, Is.EqualTo(events.Length));
            Assert.That(report.SegmentFiles, Has.Count.EqualTo(2));
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ShouldResumeAfterTheLastRecord_WhenAPreparedSegmentWasLeftBehind(bool tornTail)
    {
        // Arrange: a writer that died mid-segment with its next segment prepared leaves a zero-filled, headerless last
        // file after a segment with no padding frame (and, when torn, a half-written record).
        var events = GenerateEvents(PerSegment / 2);
        using (var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, PrepareSegments = false }))
        {
            WriteEvents(writer, events);
        }

        var end = JournalDescriptor.HeaderLength + (events.Length * RecordDescriptor.MarketEventFrameLength);
        if (tornTail)
        {
            PatchFile(SegmentPath(JournalDirectory, 0), end + RecordDescriptor.PayloadOffset, [1, 2, 3, 4]);
        }

        var leftover = SegmentPath(JournalDirectory, SmallSegmentSize);
        File.WriteAllBytes(leftover, new byte[SmallSegmentSize]);

        // Act
        var scan = JournalScanner.Scan(JournalDirectory);
        string? mismatch;
        using (var reader = new JournalReader(JournalDirectory))
        {
            mismatch = ReadAndCompare(reader, events);
        }

        var more = GenerateEvents(PerSegment * 2, seed: 3);
        JournalScanReport? recovery;
        using (var resumed = JournalWriter.Resume(JournalDirectory, Options()))
        {
            recovery = resumed.Recovery;
            WriteEvents(resumed, more, firstSequence: events.Length);
        }

        // Assert
        var after = JournalScanner.Scan(JournalDirectory);
        using var again = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatch, Is.Null, "a reader skips the headerless last file");
            Assert.That(scan.HasDamageBeforeTail, Is.False, string.Join("; ", scan.Damage.Select(d => d.Message)));
            Assert.That(scan.Tail, Is.EqualTo(tornTail ? JournalTailState.Uncommitted : JournalTailState.IncompleteSegment));
            Assert.That(scan.EndPosition, Is.EqualTo(end));
            Assert.That(scan.Records, Is.EqualTo(events.Length));
            Assert.That(recovery!.EndPosition, Is.EqualTo(end));
            Assert.That(after.IsIntact, Is.True, string.Join("; ", after.Damage.Select(d => d.Message)));
            Assert.That(ReadAndCompare(again, [.. events, .. more]), Is.Null);
        }
    }

    /// <summary>
    /// Appends from <paramref name="next"/> until the writer has rolled once, adding the bytes the appends allocated to
    /// <paramref name="allocated"/>; past the middle of the segment (where the next one is requested) it waits, bounded
    /// and unmeasured, for the preparer. Returns the next event index.
    /// </summary>
    private static int AppendThroughRoll(JournalWriter writer, Engine.Model.MarketEvent[] events, int next, ref long allocated)
    {
        var segments = writer.SegmentCount;
        var half = (writer.Position / SmallSegmentSize * SmallSegmentSize) + (SmallSegmentSize / 2);
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (writer.Position <= half)
        {
            writer.Append(ref events[next], next);
            next++;
        }

        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(writer.WaitForNextSegment(Bound), Is.True, "the preparer finished the next segment");
        before = GC.GetAllocatedBytesForCurrentThread();
        while (writer.SegmentCount == segments)
        {
            writer.Append(ref events[next], next);
            next++;
        }

        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        return next;
    }
}
