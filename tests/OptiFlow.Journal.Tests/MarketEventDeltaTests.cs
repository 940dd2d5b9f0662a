using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// Market events written as <see cref="JournalRecordType.MarketEventDelta"/> records: every event reads back with the
/// same 128 bytes, each segment starts with a whole event, and a delta that cannot be applied is reported as damage.
/// </summary>
public class MarketEventDeltaTests : JournalTestBase
{
    private const int TinySegmentSize = 4 * 1024;

    /// <summary>Depth-message-like events: runs of levels that share the header words and differ in side, price, quantity and index.</summary>
    private static MarketEvent[] DepthLikeEvents(int count, int seed = 7)
    {
        var random = new Random(seed);
        var events = new MarketEvent[count];
        var i = 0;
        long u = 1_000;
        var line = 1L;
        while (i < count)
        {
            var levels = random.Next(1, 12);
            var receive = 1_000_000_000L + (i * 1_013L);
            for (var level = 0; level < levels && i < count; level++, i++)
            {
                ref var e = ref events[i];
                e.Kind = MarketEventKind.DepthLevel;
                e.Flags = (level == 0 ? MarketEventFlags.BeginOfMessage : 0) | (level == levels - 1 ? MarketEventFlags.EndOfMessage : 0);
                e.Side = level < levels / 2 ? BookSide.Bid : BookSide.Ask;
                e.Market = Market.Futures;
                e.SymbolId = 3;
                e.ReceiveTimestampNs = receive;
                e.PublishTimestampNs = receive + 400;
                e.LocalTimestampNs = 1_723_161_600_000_000_000L + receive;
                e.EventTimeMs = 1_723_161_600_000L + (i / 8);
                e.TransactionTimeMs = e.EventTimeMs - 1;
                e.FirstUpdateId = u + 1;
                e.FinalUpdateId = u + levels;
                e.PreviousFinalUpdateId = u;
                e.Price = 6_000_000_000_000L + (random.Next(-500, 500) * 10_000_000L);
                e.Quantity = random.Next(0, 4) == 0 ? 0 : random.Next(1, 100_000) * 1_000L;
                e.LevelIndex = level;
                e.LevelCount = levels;
                e.SourceLine = line;
            }

            u += levels;
            line++;
        }

        return events;
    }

    /// <summary>Every frame of a segment file: (offset, type, flags, frame length), padding excluded.</summary>
    private static List<(int Offset, JournalRecordType Type, ushort Flags, int Length)> Frames(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var frames = new List<(int, JournalRecordType, ushort, int)>();
        var offset = JournalDescriptor.HeaderLength;
        while (offset < bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            var type = (JournalRecordType)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + RecordDescriptor.TypeOffset));
            if (length == 0 || type == JournalRecordType.Padding)
            {
                break;
            }

            frames.Add((offset, type, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + RecordDescriptor.FlagsOffset)), length));
            offset += length;
        }

        return frames;
    }

    private string[] SegmentFiles() => [.. Directory.GetFiles(JournalDirectory, "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>Rewrites a frame's CRC-32C after a test patched it, so the frame is well-formed but says something else.</summary>
    private static void Reseal(string path, int offset)
    {
        var header = ReadFileBytes(path, offset, RecordDescriptor.HeaderLength);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(RecordDescriptor.PayloadLengthOffset));
        var frame = ReadFileBytes(path, offset, RecordDescriptor.HeaderLength + payloadLength);
        var crc = new byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Frame(frame, payloadLength));
        PatchFile(path, offset + RecordDescriptor.Crc32COffset, crc);
    }

    /// <summary>Journals three depth-like events (a whole one, then two deltas) and returns segment 0's path: what the damage tests then patch.</summary>
    private string WriteThreeEvents()
    {
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, DepthLikeEvents(3));
        }

        return SegmentPath(JournalDirectory, 0);
    }

    [Test]
    public void ShouldReadBackEveryEvent_WhenDepthLevelsAreWrittenAsDeltasAcrossSegments()
    {
        // Arrange
        var events = DepthLikeEvents(3_000);

        // Act
        using (var writer = new JournalWriter(JournalDirectory, Options(TinySegmentSize)))
        {
            WriteEvents(writer, events);
        }

        // Assert
        var frames = SegmentFiles().Select(Frames).ToList();
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReadAndCompare(reader, events), Is.Null);
            Assert.That(frames, Has.Count.GreaterThan(10), "the test must cross many segment rolls");
            Assert.That(frames.Select(f => f[0].Type), Is.All.EqualTo(JournalRecordType.MarketEvent), "each segment starts with a whole event");
            Assert.That(frames.SelectMany(f => f.Skip(1)).Select(f => f.Type), Is.All.EqualTo(JournalRecordType.MarketEventDelta));
            Assert.That(frames.Sum(f => f.Sum(x => (long)x.Length)), Is.LessThan(events.Length * (long)RecordDescriptor.MarketEventFrameLength / 2),
                "levels of one message share 11 of their 16 words: a delta is well under half a whole record");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ShouldReadBackEveryEvent_WhenReadingAheadOverDeltas(bool readAhead)
    {
        // Arrange
        var events = DepthLikeEvents(20_000, seed: 11);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        // Act
        using var reader = new JournalReader(JournalDirectory, new JournalReaderOptions { ReadAhead = readAhead });
        var mismatch = ReadAndCompare(reader, events);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatch, Is.Null);
            Assert.That(reader.SegmentCount, Is.GreaterThan(1));
        }
    }

    [Test]
    public void ShouldWriteAHeaderOnlyFrame_WhenAnEventRepeatsItsBase()
    {
        // Arrange
        var events = DepthLikeEvents(2);
        events[1] = events[0];

        // Act
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        // Assert
        var frames = Frames(SegmentFiles()[0]);
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames[1], Is.EqualTo((frames[1].Offset, JournalRecordType.MarketEventDelta, (ushort)0, RecordDescriptor.HeaderLength)));
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [Test]
    public void ShouldWriteWholeRecords_WhenDeltaMarketEventsIsOff()
    {
        // Arrange
        var events = DepthLikeEvents(500);

        // Act
        using (var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, DeltaMarketEvents = false }))
        {
            WriteEvents(writer, events);
        }

        // Assert
        var frames = SegmentFiles().SelectMany(Frames).ToList();
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames.Select(f => (f.Type, f.Flags, f.Length)), Is.All.EqualTo((JournalRecordType.MarketEvent, (ushort)0, RecordDescriptor.MarketEventFrameLength)));
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [Test]
    public void ShouldStartWithAWholeEvent_WhenAppendingAfterResume()
    {
        // Arrange
        var events = DepthLikeEvents(400);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events[..250]);
        }

        // Act
        using (var resumed = JournalWriter.Resume(JournalDirectory, Options()))
        {
            WriteEvents(resumed, events[250..], firstSequence: 250);
        }

        // Assert
        var frames = Frames(SegmentFiles()[0]);
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames[250].Type, Is.EqualTo(JournalRecordType.MarketEvent), "the resumed writer has no base: its first event goes whole");
            Assert.That(frames[251].Type, Is.EqualTo(JournalRecordType.MarketEventDelta));
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [Test]
    public void ShouldReadFromAnyRecord_WhenSeekingToADeltaRecordsPosition()
    {
        // Arrange
        var events = DepthLikeEvents(1_500);
        using (var writer = new JournalWriter(JournalDirectory, Options(TinySegmentSize)))
        {
            WriteEvents(writer, events);
        }

        var positions = new List<long>();
        using (var first = new JournalReader(JournalDirectory))
        {
            while (first.TryRead(out var record))
            {
                positions.Add(record.Position);
            }
        }

        // Act / Assert
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            foreach (var index in new[] { 1, 37, 38, 700, 1_499 })
            {
                reader.SeekToPosition(positions[index]);
                Assert.That(ReadAndCompare(reader, events[index..], firstSequence: index), Is.Null, $"from record {index}");
            }
        }
    }

    [Test]
    public void ShouldWriteCopiedEventsAsDeltas_WhenCopyingWithAppendBlob()
    {
        // Arrange
        var events = DepthLikeEvents(300);
        var copy = Path.Combine(JournalDirectory, "copy");
        using (var writer = new JournalWriter(JournalDirectory, new JournalOptions { SegmentSize = SmallSegmentSize, DeltaMarketEvents = false }))
        {
            WriteEvents(writer, events);
        }

        // Act
        using (var reader = new JournalReader(JournalDirectory))
        using (var writer = new JournalWriter(copy, Options()))
        {
            while (reader.TryRead(out var record))
            {
                writer.AppendBlob(record.Type, record.Payload, record.Sequence, record.TimestampNs);
            }
        }

        // Assert
        var frames = Frames(SegmentPath(copy, 0));
        using var copied = new JournalReader(copy);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames.Count(f => f.Type == JournalRecordType.MarketEventDelta), Is.EqualTo(events.Length - 1));
            Assert.That(ReadAndCompare(copied, events), Is.Null);
        }
    }

    [Test]
    public void ShouldThrowJournalCorruptException_WhenADeltaHasNoBaseInItsSegment()
    {
        // Arrange: the whole event that starts the segment becomes a (well-formed) Raw record, so the delta after it has no base
        var path = WriteThreeEvents();
        var frames = Frames(path);
        var raw = new byte[sizeof(ushort)];
        BinaryPrimitives.WriteUInt16LittleEndian(raw, (ushort)JournalRecordType.Raw);
        PatchFile(path, frames[0].Offset + RecordDescriptor.TypeOffset, raw);
        Reseal(path, frames[0].Offset);

        // Act
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(reader.TryRead(out var first), Is.True);
        var type = first.Type;
        var error = Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(type, Is.EqualTo(JournalRecordType.Raw));
            Assert.That(error!.Message, Does.Contain("MarketEventDelta record with no market event before it"));
            Assert.That(error.Offset, Is.EqualTo(frames[1].Offset));
            Assert.That(report.HasDamageBeforeTail, Is.True);
            Assert.That(report.Damage[0].Message, Does.Contain("MarketEventDelta record with no market event before it"));
            Assert.That(report.Damage[0].Offset, Is.EqualTo(frames[1].Offset));
        }
    }

    [Test]
    public void ShouldThrowJournalCorruptException_WhenADeltasFlagsDisagreeWithItsLength()
    {
        // Arrange: one more word named in the flags than the payload holds, CRC recomputed
        var path = WriteThreeEvents();
        var delta = Frames(path)[1];
        var absent = (ushort)~delta.Flags;
        var missing = (ushort)(absent & -absent); // the lowest word the delta does not carry
        var flags = new byte[sizeof(ushort)];
        BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(delta.Flags | missing));
        PatchFile(path, delta.Offset + RecordDescriptor.FlagsOffset, flags);
        Reseal(path, delta.Offset);

        // Act
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(reader.TryRead(out _), Is.True);
        var error = Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(missing, Is.Not.Zero);
            Assert.That(error!.Message, Does.Contain("MarketEventDelta payload cannot be"));
            Assert.That(error.Offset, Is.EqualTo(delta.Offset));
            Assert.That(report.Damage, Has.Count.EqualTo(1));
            Assert.That(report.Damage[0].Offset, Is.EqualTo(delta.Offset));
        }
    }

    [Test]
    public void ShouldCountDeltasAsMarketEvents_WhenScanningAJournal()
    {
        // Arrange
        var events = DepthLikeEvents(2_000);
        using (var writer = new JournalWriter(JournalDirectory, Options(TinySegmentSize)))
        {
            WriteEvents(writer, events);
        }

        // Act
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.MarketEvents, Is.EqualTo(events.Length));
            Assert.That(report.Damage, Is.Empty);
            Assert.That(report.LastSequence, Is.EqualTo(events.Length - 1));
        }
    }

    [Test]
    public void ShouldNameExactlyTheWordsThatDiffer_WhenComparingWithABase()
    {
        // Arrange: pairs that share a random subset of words
        var random = new Random(5);
        var mismatches = new List<string>();
        for (var trial = 0; trial < 2_000; trial++)
        {
            var pair = GenerateEvents(2, seed: trial);
            var shared = (ushort)random.Next(0, 1 << 16);
            var first = MemoryMarshal.Cast<MarketEvent, ulong>(pair.AsSpan(0, 1));
            var second = MemoryMarshal.Cast<MarketEvent, ulong>(pair.AsSpan(1, 1));
            for (var word = 0; word < MarketEventDelta.WordCount; word++)
            {
                if ((shared & (1 << word)) != 0)
                {
                    second[word] = first[word];
                }
            }

            // Act
            var words = MarketEventDelta.ChangedWords(in pair[1], in pair[0]);

            // Assert (collected)
            if (words != (ushort)~shared || MarketEventDelta.PayloadLength(words) != 8 * BitOperations.PopCount((uint)(ushort)~shared))
            {
                mismatches.Add($"trial {trial}: shared 0x{shared:X4}, mask 0x{words:X4}");
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void ShouldThrowJournalCorruptException_WhenASegmentOfAnOlderFormatHoldsADelta()
    {
        // Arrange: a format-6 journal whose header is made to say format 5, which has no MarketEventDelta records
        var path = WriteThreeEvents();
        var delta = Frames(path)[1];
        var version = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(version, JournalDescriptor.MarketEventDeltaSinceVersion - 1);
        PatchFile(path, JournalDescriptor.FormatVersionOffset, version);

        // Act
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(reader.TryRead(out _), Is.True, "the whole first event is a record of any format");
        var error = Assert.Throws<JournalCorruptException>(() => reader.TryRead(out _));
        var report = JournalScanner.Scan(JournalDirectory);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("MarketEventDelta record in a segment of format version 5"));
            Assert.That(error.Offset, Is.EqualTo(delta.Offset));
            Assert.That(report.Damage, Is.Not.Empty);
            Assert.That(report.Damage[0].Offset, Is.EqualTo(delta.Offset));
        }
    }
}
