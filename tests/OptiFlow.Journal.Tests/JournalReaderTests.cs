using System.Buffers.Binary;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>Every reader test runs twice: frames checked on the reading thread, and checked ahead on the read-ahead thread
/// (<see cref="JournalReaderOptions.ReadAhead"/>): same records, same errors.</summary>
[TestFixture(false)]
[TestFixture(true)]
public class JournalReaderTests(bool readAhead) : JournalTestBase
{
    private const int FirstFrame = JournalDescriptor.HeaderLength;
    private const int SecondFrame = FirstFrame + RecordDescriptor.MarketEventFrameLength;

    private JournalReader OpenReader() => new(JournalDirectory, new JournalReaderOptions { ReadAhead = readAhead });

    [Test]
    public void ShouldReturnByteIdenticalEvents_WhenReadingWhatWasWritten()
    {
        // Arrange
        var events = GenerateEvents(1000);
        using (var writer = new JournalWriter(JournalDirectory, Options(1024 * 1024)))
        {
            WriteEvents(writer, events, firstSequence: 500);
        }

        // Act
        using var reader = OpenReader();
        var mismatch = ReadAndCompare(reader, events, firstSequence: 500);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatch, Is.Null);
            Assert.That(reader.RecordCount, Is.EqualTo(events.Length));
        }
    }

    [Test]
    public void ShouldExposeEventWithoutCopy_WhenRecordIsMarketEvent()
    {
        // Arrange
        var events = GenerateEvents(1);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        using var reader = OpenReader();

        // Act
        var read = reader.TryRead(out var record);
        var symbolId = record.MarketEvent.SymbolId;
        var price = record.MarketEvent.Price;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.True);
            Assert.That(symbolId, Is.EqualTo(events[0].SymbolId));
            Assert.That(price, Is.EqualTo(events[0].Price));
            Assert.That(record.Position, Is.EqualTo(FirstFrame));
        }
    }

    [Test]
    public void ShouldReadAcrossSegments_WhenWriterRolledSeveralTimes()
    {
        // Arrange
        var events = GenerateEvents(5000);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
            Assert.That(writer.SegmentCount, Is.GreaterThanOrEqualTo(10));
        }

        // Act
        using var reader = OpenReader();
        var mismatch = ReadAndCompare(reader, events);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatch, Is.Null);
            Assert.That(reader.SegmentCount, Is.EqualTo(Directory.GetFiles(JournalDirectory, "*.seg").Length));
        }
    }

    [Test]
    public void ShouldRoundTripBlobsOfAnyLength_WhenMixedWithEvents()
    {
        // Arrange
        int[] lengths = [0, 1, 7, 8, 9, 1000, 20_000, RecordDescriptor.MaxPayloadLength(SmallSegmentSize)];
        var blobs = lengths.Select((n, i) => { var b = new byte[n]; new Random(i).NextBytes(b); return b; }).ToArray();
        var events = GenerateEvents(lengths.Length);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendBlob(JournalRecordType.SessionHeader, "config+symbols"u8);
            for (var i = 0; i < blobs.Length; i++)
            {
                writer.Append(ref events[i], i);
                writer.AppendBlob(JournalRecordType.RunSummary, blobs[i], sequence: 1000 + i);
            }
        }

        // Act
        using var reader = OpenReader();
        var records = new List<(JournalRecordType Type, long Sequence, byte[] Payload)>();
        while (reader.TryRead(out var record))
        {
            records.Add((record.Type, record.Sequence, record.Payload.ToArray()));
        }

        // Assert
        Assert.That(records, Has.Count.EqualTo(1 + (2 * blobs.Length)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records[0].Type, Is.EqualTo(JournalRecordType.SessionHeader));
            Assert.That(records[0].Sequence, Is.EqualTo(RecordDescriptor.NoSequence));
            Assert.That(records[0].Payload, Is.EqualTo("config+symbols"u8.ToArray()));
            for (var i = 0; i < blobs.Length; i++)
            {
                var e = records[1 + (2 * i)];
                var blob = records[2 + (2 * i)];
                Assert.That(e.Type, Is.EqualTo(JournalRecordType.MarketEvent));
                Assert.That(e.Payload, Is.EqualTo(BytesOf(events[i]).ToArray()));
                Assert.That(blob.Type, Is.EqualTo(JournalRecordType.RunSummary));
                Assert.That(blob.Sequence, Is.EqualTo(1000 + i));
                Assert.That(blob.Payload, Is.EqualTo(blobs[i]), $"blob of {lengths[i]} bytes");
            }
        }
    }

    [TestCase(0)]
    [TestCase(8)]
    [TestCase(16)]
    [TestCase(24)]
    [TestCase(144)]
    public void ShouldContinueInNextSegment_WhenSegmentEndsWithShortOrNoPadding(int leftover)
    {
        // Arrange: a blob leaves exactly `leftover` bytes, too few for the next event frame.
        var blob = new byte[SmallSegmentSize - JournalDescriptor.HeaderLength - leftover - RecordDescriptor.HeaderLength];
        new Random(leftover).NextBytes(blob);
        var events = GenerateEvents(2);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendBlob(JournalRecordType.SessionHeader, blob);
            WriteEvents(writer, events);
            Assert.That(writer.SegmentCount, Is.EqualTo(2));
        }

        // Act
        using var reader = OpenReader();
        Assert.That(reader.TryRead(out var first), Is.True);
        var firstPayload = first.Payload.ToArray();
        var mismatch = ReadAndCompare(reader, events);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstPayload, Is.EqualTo(blob));
            Assert.That(mismatch, Is.Null);
            if (leftover > 0)
            {
                var padding = ReadFileBytes(SegmentPath(JournalDirectory, 0), SmallSegmentSize - leftover, RecordDescriptor.MinPaddingFrameLength);
                Assert.That(BinaryPrimitives.ReadInt32LittleEndian(padding), Is.EqualTo(leftover));
                Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(padding.AsSpan(RecordDescriptor.TypeOffset)), Is.EqualTo((ushort)JournalRecordType.Padding));
            }
        }
    }

    [Test]
    public void ShouldStopCleanly_WhenLastRecordWasNeverCommitted()
    {
        // Arrange: a crash after the payload was written but before the length (the commit point).
        var events = GenerateEvents(3);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        PatchFile(SegmentPath(JournalDirectory, 0), FirstFrame + (2 * RecordDescriptor.MarketEventFrameLength), new byte[4]);

        // Act
        using var reader = OpenReader();
        var mismatch = ReadAndCompare(reader, events[..2]);

        // Assert
        Assert.That(mismatch, Is.Null);
    }

    [Test]
    public void ShouldThrowCorruptWithFileAndOffset_WhenPayloadCrcDoesNotMatch()
    {
        // Arrange
        WriteThreeEvents();
        var path = SegmentPath(JournalDirectory, 0);
        var flipped = ReadFileBytes(path, SecondFrame + RecordDescriptor.PayloadOffset + 5, 1);
        flipped[0] ^= 0x10;
        PatchFile(path, SecondFrame + RecordDescriptor.PayloadOffset + 5, flipped);
        using var reader = OpenReader();
        Assert.That(reader.TryRead(out _), Is.True);

        // Act
        var error = Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain("CRC-32C mismatch").And.Contain(path).And.Contain($"offset {SecondFrame}"));
            Assert.That(error.SegmentFile, Is.EqualTo(path));
            Assert.That(error.Offset, Is.EqualTo(SecondFrame));
            Assert.That(error.Position, Is.EqualTo(SecondFrame));
        }
    }

    [Test]
    public void ShouldThrowAgain_WhenReadingPastACorruptRecord()
    {
        // Arrange
        WriteThreeEvents();
        PatchFile(SegmentPath(JournalDirectory, 0), FirstFrame + RecordDescriptor.Crc32COffset, [0xDE, 0xAD]);
        using var reader = OpenReader();

        // Act / Assert
        Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));
        Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _), "a corrupt record is never skipped");
    }

    [TestCase(int.MaxValue & ~7, "runs past the end")]
    [TestCase(RecordDescriptor.MarketEventFrameLength + 1, "not a multiple of 8")]
    [TestCase(4, "too small")]
    [TestCase(16, "shorter than a record header")]
    [TestCase(RecordDescriptor.MarketEventFrameLength + 8, "payload length")]
    public void ShouldThrowCorruptWithFileAndOffset_WhenRecordIsTorn(int tornLength, string expectedReason)
    {
        // Arrange
        WriteThreeEvents();
        var path = SegmentPath(JournalDirectory, 0);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, tornLength);
        PatchFile(path, SecondFrame, length);
        using var reader = OpenReader();
        Assert.That(reader.TryRead(out _), Is.True);

        // Act
        var error = Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain("Torn").And.Contain(path).And.Contain($"offset {SecondFrame}"));
            Assert.That(error.Message, Does.Contain(expectedReason));
            Assert.That(error.Offset, Is.EqualTo(SecondFrame));
        }
    }

    [Test]
    public void ShouldThrowCorrupt_WhenPaddingDoesNotReachSegmentEnd()
    {
        // Arrange
        WriteThreeEvents();
        var frame = new byte[RecordDescriptor.MinPaddingFrameLength];
        BinaryPrimitives.WriteInt32LittleEndian(frame, 64);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(RecordDescriptor.TypeOffset), (ushort)JournalRecordType.Padding);
        PatchFile(SegmentPath(JournalDirectory, 0), FirstFrame, frame);
        using var reader = OpenReader();

        // Act
        var error = Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));

        // Assert
        Assert.That(error.Message, Does.Contain("padding"));
    }

    [Test]
    public void ShouldThrowCorrupt_WhenRecordTypeIsUnknownButItsCrcMatches()
    {
        // Arrange: a type nobody wrote, with a CRC recomputed to match (the CRC covers the type).
        WriteThreeEvents();
        var path = SegmentPath(JournalDirectory, 0);
        var frame = ReadFileBytes(path, FirstFrame, RecordDescriptor.MarketEventFrameLength);
        frame[RecordDescriptor.TypeOffset] = 0x77;
        frame[RecordDescriptor.TypeOffset + 1] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(RecordDescriptor.Crc32COffset), Crc32C.Frame(frame, MarketEventDescriptor.Size));
        PatchFile(path, FirstFrame, frame);
        using var reader = OpenReader();

        // Act
        var error = Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));

        // Assert
        Assert.That(error.Message, Does.Contain("type 119 is unknown"));
    }

    [Test]
    public void ShouldThrowFormatNamingFile_WhenMagicIsWrong()
    {
        // Arrange
        WriteThreeEvents();
        var path = SegmentPath(JournalDirectory, 0);
        PatchFile(path, JournalDescriptor.MagicOffset, "NOTAJRNL"u8);

        // Act
        var error = Assert.Throws<JournalFormatException>(() => OpenReader().Dispose());

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain(path).And.Contain("magic"));
            Assert.That(error.SegmentFile, Is.EqualTo(path));
        }
    }

    [Test]
    public void ShouldThrowFormatNamingFile_WhenFormatVersionDiffers()
    {
        // Arrange
        WriteThreeEvents();
        var path = SegmentPath(JournalDirectory, 0);
        PatchFile(path, JournalDescriptor.FormatVersionOffset, BitConverter.GetBytes(JournalDescriptor.Version + 1));

        // Act
        var error = Assert.Throws<JournalFormatException>(() => OpenReader().Dispose());

        // Assert
        Assert.That(error.Message, Does.Contain(path).And.Contain($"format version {JournalDescriptor.Version + 1}"));
    }

    [Test]
    public void ShouldThrowFormatNamingFile_WhenMarketEventLayoutVersionDiffers()
    {
        // Arrange
        WriteThreeEvents();
        var path = SegmentPath(JournalDirectory, 0);
        PatchFile(path, JournalDescriptor.MarketEventVersionOffset, BitConverter.GetBytes(MarketEventDescriptor.Version + 1));

        // Act
        var error = Assert.Throws<JournalFormatException>(() => OpenReader().Dispose());

        // Assert
        Assert.That(error.Message, Does.Contain(path).And.Contain("MarketEvent layout version"));
    }

    [Test]
    public void ShouldThrowFormatNamingFile_WhenSegmentFileWasTruncated()
    {
        // Arrange
        WriteThreeEvents();
        var path = SegmentPath(JournalDirectory, 0);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(SmallSegmentSize / 2);
        }

        // Act
        var error = Assert.Throws<JournalFormatException>(() => OpenReader().Dispose());

        // Assert
        Assert.That(error.Message, Does.Contain(path).And.Contain("truncated"));
    }

    [Test]
    public void ShouldThrowFormat_WhenASegmentIsMissing()
    {
        // Arrange
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, GenerateEvents(2000));
        }

        File.Delete(SegmentPath(JournalDirectory, SmallSegmentSize));

        // Act
        var error = Assert.Throws<JournalFormatException>(() => OpenReader().Dispose());

        // Assert
        Assert.That(error.Message, Does.Contain("missing"));
    }

    [Test]
    public void ShouldThrowFormat_WhenDirectoryHasNoSegments()
    {
        // Arrange
        Directory.CreateDirectory(JournalDirectory);

        // Act / Assert
        Assert.Throws<JournalFormatException>(() => OpenReader().Dispose());
    }

    [Test]
    public void ShouldSeeRecordsCommittedLater_WhenReadingWhileWriterAppends()
    {
        // Arrange
        var events = GenerateEvents(4);
        using var writer = new JournalWriter(JournalDirectory, Options());
        WriteEvents(writer, events[..2]);
        using var reader = OpenReader();
        Assert.That(ReadAndCompare(reader, events[..2]), Is.Null);

        // Act
        writer.Append(ref events[2], 2);
        writer.Append(ref events[3], 3);
        var sequences = new List<long>();
        while (reader.TryRead(out var record))
        {
            sequences.Add(record.Sequence);
        }

        // Assert
        Assert.That(sequences, Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void ShouldThrowInvalidOperation_WhenAskingABlobForItsMarketEvent()
    {
        // Arrange
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendBlob(JournalRecordType.SessionHeader, [1, 2, 3]);
        }

        using var reader = OpenReader();

        // Act / Assert
        Assert.Throws<InvalidOperationException>(() =>
        {
            Assert.That(reader.TryRead(out var record), Is.True);
            _ = record.MarketEvent;
        });
    }

    private void WriteThreeEvents()
    {
        using var writer = new JournalWriter(JournalDirectory, Options());
        WriteEvents(writer, GenerateEvents(3));
    }
}
