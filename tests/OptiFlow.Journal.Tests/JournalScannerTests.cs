using System.Buffers.Binary;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>Corruption and recovery: every kind of damage has a defined classification, message and truncation outcome.</summary>
public class JournalScannerTests : JournalTestBase
{
    private const int FirstFrame = JournalDescriptor.HeaderLength;
    private const int Frame = RecordDescriptor.MarketEventFrameLength;

    [Test]
    public void ShouldReportIntactWithCountsAndEnd_WhenNothingIsDamaged()
    {
        // Arrange
        var events = WriteJournal(1000);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.IsIntact, Is.True, string.Join("; ", report.Damage.Select(d => d.Message)));
            Assert.That(report.Tail, Is.EqualTo(JournalTailState.Clean));
            Assert.That(report.Records, Is.EqualTo(events.Length));
            Assert.That(report.MarketEvents, Is.EqualTo(events.Length));
            Assert.That(report.LastSequence, Is.EqualTo(events.Length - 1));
            Assert.That(report.SegmentFiles, Has.Count.GreaterThan(1), "the journal must span segments for this test");
        }
    }

    [Test]
    public void ShouldClassifyUncommittedTailAndCutIt_WhenAWriteStoppedBeforeItsLength()
    {
        // Arrange: a crash after the payload but before the commit store leaves non-zero bytes behind a zero length.
        WriteJournal(3, segmentSize: 1 << 20);
        var path = SegmentPath(JournalDirectory, 0);
        PatchFile(path, FirstFrame + (2 * Frame), new byte[4]);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);
        var cut = JournalScanner.Truncate(report);
        var after = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Tail, Is.EqualTo(JournalTailState.Uncommitted));
            Assert.That(report.Records, Is.EqualTo(2));
            Assert.That(report.TailOffset, Is.EqualTo(FirstFrame + (2 * Frame)));
            Assert.That(report.Damage.Single().Message, Does.Contain("Uncommitted").And.Contain(path).And.Contain($"offset {FirstFrame + (2 * Frame)}"));
            Assert.That(report.HasDamageBeforeTail, Is.False);
            Assert.That(cut, Is.GreaterThan(0));
            Assert.That(after.IsIntact, Is.True);
            Assert.That(after.Records, Is.EqualTo(2));
        }
    }

    [TestCase(RecordDescriptor.PayloadOffset + 5, TestName = "ShouldClassifyTornTail_WhenLastRecordPayloadIsFlipped")]
    [TestCase(RecordDescriptor.SequenceOffset + 1, TestName = "ShouldClassifyTornTail_WhenLastRecordHeaderIsFlipped")]
    public void ShouldClassifyTornTailAndCutIt_WhenTheLastRecordFailsItsChecks(int byteInFrame)
    {
        // Arrange
        WriteJournal(3, segmentSize: 1 << 20);
        var path = SegmentPath(JournalDirectory, 0);
        FlipByte(path, FirstFrame + (2 * Frame) + byteInFrame);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);
        JournalScanner.Truncate(report);
        var after = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Tail, Is.EqualTo(JournalTailState.Torn));
            Assert.That(report.Damage.Single().IsTail, Is.True);
            Assert.That(report.Damage.Single().Message, Does.Contain("Torn tail").And.Contain("CRC-32C mismatch").And.Contain($"offset {FirstFrame + (2 * Frame)}"));
            Assert.That(report.EndPosition, Is.EqualTo(FirstFrame + (2 * Frame)));
            Assert.That(after.IsIntact, Is.True);
            Assert.That(after.Records, Is.EqualTo(2));
        }
    }

    [TestCase(RecordDescriptor.PayloadOffset + 17, TestName = "ShouldReportMiddleDamageAndRefuseToCut_WhenAPayloadByteIsFlipped")]
    [TestCase(RecordDescriptor.TimestampNsOffset + 2, TestName = "ShouldReportMiddleDamageAndRefuseToCut_WhenAHeaderByteIsFlipped")]
    [TestCase(RecordDescriptor.TypeOffset, TestName = "ShouldReportMiddleDamageAndRefuseToCut_WhenTheTypeIsFlipped")]
    public void ShouldReportMiddleDamageWithSegmentAndOffsetAndRefuseToCut_WhenARecordInTheMiddleIsFlipped(int byteInFrame)
    {
        // Arrange
        WriteJournal(10, segmentSize: 1 << 20);
        var path = SegmentPath(JournalDirectory, 0);
        var offset = FirstFrame + (4 * Frame);
        FlipByte(path, offset + byteInFrame);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.IsIntact, Is.False);
            Assert.That(report.HasDamageBeforeTail, Is.True);
            var damage = report.Damage.Single();
            Assert.That(damage.SegmentFile, Is.EqualTo(path));
            Assert.That(damage.Offset, Is.EqualTo(offset));
            Assert.That(damage.Message, Does.Contain("CRC-32C mismatch").And.Contain($"offset {offset}").And.Contain("middle"));
            Assert.That(report.Records, Is.EqualTo(9), "the scan goes on after a sound-length frame and counts the records after it");
            Assert.Throws<JournalCorruptException>(() => JournalScanner.Truncate(report));
            Assert.Throws<JournalCorruptException>(() => JournalWriter.Resume(JournalDirectory, Options(1 << 20)).Dispose());
        }

        using var reader = new JournalReader(JournalDirectory);
        for (var i = 0; i < 4; i++)
        {
            Assert.That(reader.TryRead(out _), Is.True);
        }

        Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _), "the reader never skips it either");
    }

    [Test]
    public void ShouldReportFormatDamage_WhenASegmentHeaderByteIsFlipped()
    {
        // Arrange
        WriteJournal(1000);
        var path = SegmentPath(JournalDirectory, SmallSegmentSize);
        FlipByte(path, JournalDescriptor.FormatVersionOffset);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.HasDamageBeforeTail, Is.True);
            Assert.That(report.Damage[0].Message, Does.Contain(path).And.Contain("format version"));
            Assert.Throws<JournalFormatException>(() => new JournalReader(JournalDirectory).Dispose());
        }
    }

    [Test]
    public void ShouldReportMissingSegment_WhenAMiddleSegmentIsDeleted()
    {
        // Arrange
        WriteJournal(1500);
        File.Delete(SegmentPath(JournalDirectory, SmallSegmentSize));

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.HasDamageBeforeTail, Is.True);
            Assert.That(report.Damage[0].Message, Does.Contain("Segment 1 missing").And.Contain(SegmentPath(JournalDirectory, 2 * SmallSegmentSize)));
            Assert.Throws<JournalCorruptException>(() => JournalScanner.Truncate(report));
            var error = Assert.Throws<JournalFormatException>(() => new JournalReader(JournalDirectory).Dispose());
            Assert.That(error!.Message, Does.Contain("segment 1 is missing"));
        }
    }

    [Test]
    public void ShouldClassifyTruncatedTailAndRestoreTheFile_WhenTheLastSegmentFileIsCut()
    {
        // Arrange: cut the only segment in the middle of its 6th record.
        WriteJournal(10, segmentSize: 1 << 20);
        var path = SegmentPath(JournalDirectory, 0);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(FirstFrame + (5 * Frame) + 40);
        }

        // Act
        var report = JournalScanner.Scan(JournalDirectory);
        JournalScanner.Truncate(report);
        var after = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Tail, Is.EqualTo(JournalTailState.Truncated));
            Assert.That(report.Records, Is.EqualTo(5));
            Assert.That(report.Damage.Single().Message, Does.Contain(path));
            Assert.That(new FileInfo(path).Length, Is.EqualTo(1 << 20));
            Assert.That(after.IsIntact, Is.True);
            Assert.That(after.Records, Is.EqualTo(5));
        }
    }

    [Test]
    public void ShouldReportMiddleDamage_WhenANonLastSegmentFileIsCut()
    {
        // Arrange
        WriteJournal(1000);
        var path = SegmentPath(JournalDirectory, 0);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(SmallSegmentSize / 2);
        }

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        Assert.That(report.Damage.First(d => !d.IsTail).Message, Does.Contain(path).And.Contain("truncated").And.Contain("not the last segment"));
    }

    [Test]
    public void ShouldDeleteAHalfCreatedLastSegment_WhenTruncating()
    {
        // Arrange: the writer closed segment 0 with padding and died between creating the next file and writing its magic.
        WriteJournal(500);
        var next = SegmentPath(JournalDirectory, SmallSegmentSize);
        File.WriteAllBytes(next, new byte[SmallSegmentSize]);

        // Act
        var report = JournalScanner.Scan(JournalDirectory);
        JournalScanner.Truncate(report);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Tail, Is.EqualTo(JournalTailState.IncompleteSegment));
            Assert.That(report.Damage.Single().Message, Does.Contain(next).And.Contain("never completed"));
            Assert.That(File.Exists(next), Is.False);
            Assert.That(JournalScanner.Scan(JournalDirectory).IsIntact, Is.True);
        }
    }

    [Test]
    public void ShouldResumeAfterTheLastGoodRecord_WhenTheTailIsUncommitted()
    {
        // Arrange
        var events = GenerateEvents(5);
        using (var writer = new JournalWriter(JournalDirectory, Options(1 << 20)))
        {
            WriteEvents(writer, events[..3]);
        }

        PatchFile(SegmentPath(JournalDirectory, 0), FirstFrame + (2 * Frame), new byte[4]);

        // Act
        using (var writer = JournalWriter.Resume(JournalDirectory, Options(1 << 20)))
        {
            Assert.That(writer.Recovery!.Tail, Is.EqualTo(JournalTailState.Uncommitted));
            Assert.That(writer.Position, Is.EqualTo(FirstFrame + (2 * Frame)));
            for (var i = 2; i < 5; i++)
            {
                writer.Append(ref events[i], i);
            }
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
        Assert.That(JournalScanner.Scan(JournalDirectory).IsIntact, Is.True);
    }

    [Test]
    public void ShouldResumeInTheNextSegment_WhenTheLastSegmentEndedWithPadding()
    {
        // Arrange: fill segment 0 until the writer rolls, then drop the new segment as if the crash came right after the padding.
        var events = GenerateEvents(800);
        long rolledAt;
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            var i = 0;
            while (writer.SegmentCount == 1)
            {
                writer.Append(ref events[i], i);
                i++;
            }

            rolledAt = i - 1;
        }

        File.Delete(SegmentPath(JournalDirectory, SmallSegmentSize));

        // Act
        using (var writer = JournalWriter.Resume(JournalDirectory, Options()))
        {
            Assert.That(writer.Position, Is.EqualTo(SmallSegmentSize + JournalDescriptor.HeaderLength));
            for (var i = rolledAt; i < events.Length; i++)
            {
                writer.Append(ref events[i], i);
            }
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
    }

    private MarketEvent[] WriteJournal(int count, int segmentSize = SmallSegmentSize)
    {
        var events = GenerateEvents(count);
        using var writer = new JournalWriter(JournalDirectory, Options(segmentSize));
        WriteEvents(writer, events);
        return events;
    }

    private static void FlipByte(string path, long offset)
    {
        var b = ReadFileBytes(path, offset, 1);
        b[0] ^= 0x40;
        PatchFile(path, offset, b);
    }
}
