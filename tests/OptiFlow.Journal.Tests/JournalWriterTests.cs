using System.Buffers.Binary;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

public class JournalWriterTests : JournalTestBase
{
    [Test]
    public void ShouldCreateDirectoryAndFirstSegment_WhenConstructed()
    {
        // Arrange
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var options = new JournalOptions { SegmentSize = SmallSegmentSize, TimeProvider = clock };

        // Act
        using (var writer = new JournalWriter(JournalDirectory, options))
        {
            Assert.That(writer.SegmentCount, Is.EqualTo(1));
        }

        // Assert
        var path = SegmentPath(JournalDirectory, 0);
        var header = ReadFileBytes(path, 0, JournalDescriptor.HeaderLength);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Path.GetFileName(path), Is.EqualTo("00000000000000000000.seg"));
            Assert.That(new FileInfo(path).Length, Is.EqualTo(SmallSegmentSize));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(JournalDescriptor.MagicOffset)), Is.EqualTo(JournalDescriptor.Magic));
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(JournalDescriptor.FormatVersionOffset)), Is.EqualTo(JournalDescriptor.Version));
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(JournalDescriptor.MarketEventVersionOffset)), Is.EqualTo(MarketEventDescriptor.Version));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(JournalDescriptor.SegmentIndexOffset)), Is.Zero);
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(JournalDescriptor.BasePositionOffset)), Is.Zero);
            Assert.That(
                BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(JournalDescriptor.CreationTimeNsOffset)),
                Is.EqualTo(clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(JournalDescriptor.SegmentSizeOffset)), Is.EqualTo(SmallSegmentSize));
            Assert.That(header.AsSpan(JournalDescriptor.PaddingOffset, JournalDescriptor.PaddingLength).ToArray(), Is.All.Zero);
        }
    }

    [Test]
    public void ShouldRefuseExistingJournal_WhenOverwriteIsFalse()
    {
        // Arrange
        new JournalWriter(JournalDirectory, Options()).Dispose();

        // Act
        var error = Assert.Throws<JournalDirectoryException>(() => new JournalWriter(JournalDirectory, Options()).Dispose());

        // Assert
        Assert.That(error.Message, Does.Contain(JournalDirectory).And.Contain("Overwrite"));
        Assert.That(error.Reason, Is.EqualTo(JournalDirectoryRefusal.ExistingJournal));
    }

    [Test]
    public void ShouldReplaceExistingSegments_WhenOverwriteIsTrue()
    {
        // Arrange
        using (var first = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(first, GenerateEvents(2000));
            Assert.That(first.SegmentCount, Is.GreaterThan(1));
        }

        var events = GenerateEvents(3, seed: 7);

        // Act
        using (var second = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, Overwrite = true }))
        {
            WriteEvents(second, events);
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.GetFiles(JournalDirectory, "*.seg"), Has.Length.EqualTo(1));
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [TestCase(1000)]
    [TestCase(3 * 1024)]
    [TestCase(96 * 1024)]
    [TestCase(int.MaxValue)]
    [TestCase(2 * 1024)]
    public void ShouldRejectSegmentSize_WhenNotAPowerOfTwoInRange(int size)
    {
        // Arrange
        var options = new JournalOptions { SegmentSize = size };

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new JournalWriter(JournalDirectory, options).Dispose());
    }

    [Test]
    public void ShouldRollIntoSegmentsNamedByBasePosition_WhenRecordsExceedOneSegment()
    {
        // Arrange
        const int perSegment = (SmallSegmentSize - JournalDescriptor.HeaderLength) / RecordDescriptor.MarketEventFrameLength;
        var events = GenerateEvents((perSegment * 3) + 5);

        // Act
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(writer.SegmentCount, Is.EqualTo(4));
                Assert.That(writer.RecordCount, Is.EqualTo(events.Length));
                Assert.That(writer.Position, Is.EqualTo((3L * SmallSegmentSize) + JournalDescriptor.HeaderLength + (5 * RecordDescriptor.MarketEventFrameLength)));
            }
        }

        // Assert
        var names = Directory.GetFiles(JournalDirectory, "*.seg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.That(names, Is.EqualTo(new[]
        {
            "00000000000000000000.seg", "00000000000000065536.seg", "00000000000000131072.seg", "00000000000000196608.seg",
        }));
    }

    [Test]
    public void ShouldClosePreviousSegmentWithPaddingToItsEnd_WhenRolling()
    {
        // Arrange
        const int perSegment = (SmallSegmentSize - JournalDescriptor.HeaderLength) / RecordDescriptor.MarketEventFrameLength;
        const int paddingOffset = JournalDescriptor.HeaderLength + (perSegment * RecordDescriptor.MarketEventFrameLength);
        var events = GenerateEvents((perSegment * 2) + 1);

        // Act
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            foreach (var basePosition in new long[] { 0, SmallSegmentSize })
            {
                var frame = ReadFileBytes(SegmentPath(JournalDirectory, basePosition), paddingOffset, SmallSegmentSize - paddingOffset);
                var length = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(RecordDescriptor.FrameLengthOffset));
                var type = BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(RecordDescriptor.TypeOffset));
                Assert.That(length, Is.EqualTo(SmallSegmentSize - paddingOffset), $"padding length in segment {basePosition}");
                Assert.That(type, Is.EqualTo((ushort)JournalRecordType.Padding), $"padding type in segment {basePosition}");
            }
        }
    }

    [Test]
    public void ShouldRejectBlob_WhenPayloadExceedsSegmentCapacity()
    {
        // Arrange
        using var writer = new JournalWriter(JournalDirectory, Options());
        var payload = new byte[RecordDescriptor.MaxPayloadLength(SmallSegmentSize) + 1];

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.AppendBlob(JournalRecordType.SessionHeader, payload));
    }

    [TestCase(JournalRecordType.Padding)]
    [TestCase(JournalRecordType.None)]
    [TestCase(JournalRecordType.MarketEvent)]
    public void ShouldRejectBlob_WhenTypeIsNotABlobType(JournalRecordType type)
    {
        // Arrange
        using var writer = new JournalWriter(JournalDirectory, Options());

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.AppendBlob(type, new byte[10]));
    }

    [Test]
    public void ShouldThrowObjectDisposed_WhenAppendingAfterDispose()
    {
        // Arrange
        var writer = new JournalWriter(JournalDirectory, Options());
        writer.Dispose();
        var e = default(MarketEvent);

        // Act / Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ObjectDisposedException>(() => writer.Append(ref e, 0));
            Assert.Throws<ObjectDisposedException>(() => writer.AppendBlob(JournalRecordType.RunSummary, [1, 2, 3]));
            Assert.Throws<ObjectDisposedException>(writer.Flush);
        }
    }

    [Test]
    public void ShouldKeepRecordsReadable_WhenFlushedBeforeDispose()
    {
        // Arrange
        var events = GenerateEvents(100);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);

            // Act
            writer.Flush();
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
