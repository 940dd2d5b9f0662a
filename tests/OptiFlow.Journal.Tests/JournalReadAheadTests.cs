using System.Buffers.Binary;
using System.Diagnostics;
using OptiFlow.Journal.Segments;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// <see cref="JournalReaderOptions.ReadAhead"/> in the orders <see cref="JournalReaderTests"/> (which runs every reader
/// test with and without it) cannot force: the read-ahead thread far ahead of the reader, at a damaged frame first,
/// stopped by a dispose or a seek, and a journal still being written.
/// </summary>
public class JournalReadAheadTests : JournalTestBase
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly JournalReaderOptions ReadAhead = new() { ReadAhead = true };

    [Test]
    public void ShouldCheckNothingOnTheReadingThread_WhenTheReadAheadIsAhead()
    {
        // Arrange: ≥ 10 segments of 64 KiB
        var events = GenerateEvents(5000);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        using var reader = new JournalReader(JournalDirectory, ReadAhead);
        var readAhead = reader.ReadAheadForTests!;

        // Act: before each read, wait until the read-ahead has checked the segment after the reader's (it may: it
        // runs at most one segment ahead of the reader)
        string? mismatch = null;
        var index = 0;
        while (mismatch is null)
        {
            // (the reader's segment and the next: one read may cross the padding into it)
            var next = (int)Math.Min((reader.Position / reader.SegmentSize) + 1, readAhead.Count - 1);
            WaitUntil(() => readAhead.VerifiedEnd(next) == reader.SegmentSize || readAhead.IsDone, $"segment {next} checked ahead");
            if (!reader.TryRead(out var record))
            {
                break;
            }

            if (!record.Payload.SequenceEqual(BytesOf(events[index])) || record.Sequence != index)
            {
                mismatch = $"record {index} differs";
            }

            index++;
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatch, Is.Null);
            Assert.That(index, Is.EqualTo(events.Length));
            Assert.That(readAhead.Count, Is.GreaterThanOrEqualTo(10));
            Assert.That(reader.FramesCheckedInline, Is.Zero, "every frame was checked by the read-ahead thread");
            Assert.That(readAhead.FramesChecked, Is.InRange(events.Length, events.Length + readAhead.Count), "every event (and padding frame) once");
        }
    }

    [TestCase("crc")]
    [TestCase("torn")]
    public void ShouldThrowWhatThePlainReaderThrows_WhenTheReadAheadReachedTheDamageFirst(string damage)
    {
        // Arrange: damage the 10th record of the third segment
        var events = GenerateEvents(2000);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        var damaged = SegmentPath(JournalDirectory, 2L * SmallSegmentSize);
        var offset = JournalDescriptor.HeaderLength + (9 * RecordDescriptor.MarketEventFrameLength);
        if (damage == "crc")
        {
            var payloadByte = ReadFileBytes(damaged, offset + RecordDescriptor.PayloadOffset + 5, 1);
            PatchFile(damaged, offset + RecordDescriptor.PayloadOffset + 5, [(byte)(payloadByte[0] ^ 0x40)]);
        }
        else
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, 12);
            PatchFile(damaged, offset + RecordDescriptor.FrameLengthOffset, length);
        }

        var expected = ReadUntilCorrupt(new JournalReader(JournalDirectory), out var expectedRecords);
        using var reader = new JournalReader(JournalDirectory, ReadAhead);
        var readAhead = reader.ReadAheadForTests!;

        // Act: the read-ahead stops at the damage (it may go to segment 2 once the reader is in segment 1)
        WaitUntil(() => readAhead.VerifiedEnd(1) == reader.SegmentSize, "segments 0 and 1 checked ahead");
        var records = 0L;
        while (reader.Position < reader.SegmentSize + JournalDescriptor.HeaderLength + RecordDescriptor.MarketEventFrameLength)
        {
            Assert.That(reader.TryRead(out _), Is.True);
            records++;
        }

        WaitUntil(() => readAhead.IsDone, "the read-ahead stopped at the damage");
        var stoppedAt = readAhead.VerifiedEnd(2);
        var actual = ReadUntilCorrupt(reader, out var moreRecords);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stoppedAt, Is.EqualTo(offset), "the read-ahead checked up to the damaged frame, not past it");
            Assert.That(actual?.Message, Is.EqualTo(expected?.Message));
            Assert.That(actual?.Position, Is.EqualTo(expected?.Position));
            Assert.That(records + moreRecords, Is.EqualTo(expectedRecords));
            Assert.That(reader.FramesCheckedInline, Is.Zero, "the damaged frame was checked inline only when it threw");
        }
    }

    [Test]
    public void ShouldStopTheThreadAndUnmapEverything_WhenDisposedMidway()
    {
        // Arrange
        var events = GenerateEvents(3000);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        var reader = new JournalReader(JournalDirectory, ReadAhead);
        var readAhead = reader.ReadAheadForTests!;
        for (var i = 0; i < 1000; i++)
        {
            Assert.That(reader.TryRead(out _), Is.True);
        }

        // Act
        reader.Dispose();
        var ended = readAhead.Join(Bound); // on Linux it unmaps after Dispose returns, then ends

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ended, Is.True, "the read-ahead thread ended");
            Assert.That(readAhead.IsThreadAlive, Is.False);
            Assert.That(reader.IsReadingAhead, Is.False);
            Assert.Throws<ObjectDisposedException>(() => reader.TryRead(out _));
        }

        Directory.Delete(JournalDirectory, recursive: true); // nothing holds a segment any more
        Assert.That(Directory.Exists(JournalDirectory), Is.False);
    }

    [Test]
    public void ShouldEndTheReadAheadAndReadOnTheSame_WhenSeeking()
    {
        // Arrange
        var events = GenerateEvents(3000);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        using var reader = new JournalReader(JournalDirectory, ReadAhead);
        var readAhead = reader.ReadAheadForTests!;
        var positions = new List<long>();
        for (var i = 0; i < 2500; i++)
        {
            Assert.That(reader.TryRead(out var record), Is.True);
            positions.Add(record.Position);
        }

        // Act: back to record 1,800 (two segments back)
        reader.SeekToPosition(positions[1800]);
        var ended = readAhead.Join(Bound);
        var checkedBefore = reader.FramesCheckedInline;
        var mismatch = ReadAndCompare(reader, events[1800..], firstSequence: 1800);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader.IsReadingAhead, Is.False);
            Assert.That(ended, Is.True, "the read-ahead thread ended");
            Assert.That(mismatch, Is.Null);
            Assert.That(reader.FramesCheckedInline - checkedBefore, Is.GreaterThanOrEqualTo(1200), "after the seek the reader checks every frame itself");
        }
    }

    [Test]
    public void ShouldReadEverything_WhenTheWriterRollsNewSegmentsWhileReadingAhead()
    {
        // Arrange
        var events = GenerateEvents(4000);
        using var writer = new JournalWriter(JournalDirectory, Options());
        WriteEvents(writer, events[..1500]);
        using var reader = new JournalReader(JournalDirectory, ReadAhead);
        var sequences = new List<long>();
        while (reader.TryRead(out var record))
        {
            sequences.Add(record.Sequence);
        }

        // Act: more records, in the open segment and in segments created after the reader opened
        for (var i = 1500; i < events.Length; i++)
        {
            writer.Append(ref events[i], i);
        }

        while (reader.TryRead(out var record))
        {
            sequences.Add(record.Sequence);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sequences, Is.EqualTo(Enumerable.Range(0, events.Length).Select(i => (long)i)));
            Assert.That(writer.SegmentCount, Is.GreaterThan(reader.ReadAheadForTests!.Count), "segments were created after the reader opened");
        }
    }

    private static JournalCorruptException? ReadUntilCorrupt(JournalReader reader, out long records)
    {
        records = 0;
        using (reader)
        {
            try
            {
                while (reader.TryRead(out _))
                {
                    records++;
                }
            }
            catch (JournalCorruptException e)
            {
                return e;
            }
        }

        return null;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Bound)
            {
                Assert.Fail($"timed out after {Bound.TotalSeconds} s waiting for: {what}");
            }

            Thread.Sleep(1);
        }
    }
}
