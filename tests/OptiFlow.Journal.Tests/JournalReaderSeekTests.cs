using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>Starting points (position, time), tailing across segments created later, signals and symbols, durability level 2.</summary>
public class JournalReaderSeekTests : JournalTestBase
{
    [Test]
    public void ShouldStartAtThatRecord_WhenSeekingToARememberedPosition()
    {
        // Arrange
        var events = Stamped(2000);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        long position;
        using (var first = new JournalReader(JournalDirectory))
        {
            for (var i = 0; i < 1234; i++)
            {
                Assert.That(first.TryRead(out _), Is.True);
            }

            Assert.That(first.TryRead(out var record), Is.True);
            position = record.Position;
        }

        // Act
        using var reader = new JournalReader(JournalDirectory);
        reader.SeekToPosition(position);

        // Assert
        Assert.That(ReadAndCompare(reader, events[1234..], firstSequence: 1234), Is.Null);
    }

    [Test]
    public void ShouldRefuse_WhenSeekingInsideARecord()
    {
        // Arrange
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, Stamped(10));
        }

        using var reader = new JournalReader(JournalDirectory);

        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => reader.SeekToPosition(JournalDescriptor.HeaderLength + 8));
        Assert.That(error!.Message, Does.Contain("not a record boundary"));
    }

    [Test]
    public void ShouldStartAtTheFirstRecordAtOrAfterTheTime_WhenSeekingByTime()
    {
        // Arrange: LocalTimestampNs = 1000 * (i + 1), so time 500_500 falls between records 499 and 500.
        var events = Stamped(2000);
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            WriteEvents(writer, events);
        }

        using var reader = new JournalReader(JournalDirectory);

        // Act
        var found = reader.SeekToTime(500_500);
        var notFound = new JournalReader(JournalDirectory);
        var none = notFound.SeekToTime(long.MaxValue);
        notFound.Dispose();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.True);
            Assert.That(ReadAndCompare(reader, events[500..], firstSequence: 500), Is.Null);
            Assert.That(none, Is.False);
        }
    }

    [Test]
    public void ShouldFollowTheWriterIntoNewSegments_WhenTailing()
    {
        // Arrange: a reader opened when only segment 0 existed.
        var events = Stamped(3000);
        using var writer = new JournalWriter(JournalDirectory, Options());
        WriteEvents(writer, events[..10]);
        using var reader = new JournalReader(JournalDirectory);
        var seen = 0;
        while (reader.TryRead(out _))
        {
            seen++;
        }

        // Act: the writer rolls several times after the reader reached the end.
        for (var i = 10; i < events.Length; i++)
        {
            writer.Append(ref events[i], i);
        }

        while (reader.TryRead(out var record))
        {
            Assert.That(record.Payload.SequenceEqual(BytesOf(events[seen])), Is.True, $"record {seen}");
            seen++;
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writer.SegmentCount, Is.GreaterThan(3));
            Assert.That(seen, Is.EqualTo(events.Length));
            Assert.That(reader.SegmentCount, Is.EqualTo(writer.SegmentCount));
        }
    }

    [Test]
    public void ShouldRoundTripSignalsAndSymbols_WhenMixedWithEvents()
    {
        // Arrange
        var signal = new SignalEvent { Sequence = 7, SymbolId = 1, Applied = 3, FinalUpdateId = 99, EventTimeMs = 1_700_000_000_000, BestBid = 1, BestAsk = 2, Obi1 = 0.25, MidDoubled = 3 };
        using (var writer = new JournalWriter(JournalDirectory, Options()))
        {
            writer.AppendSymbol(1, "BTCUSDT"u8);
            writer.AppendSignal(in signal, 0);
        }

        // Act
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(reader.TryRead(out var symbol), Is.True);
        var (id, name) = (symbol.SymbolId, System.Text.Encoding.UTF8.GetString(symbol.SymbolUtf8Name));
        Assert.That(reader.TryRead(out var record), Is.True);
        var read = record.Signal;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((id, name), Is.EqualTo((1, "BTCUSDT")));
            Assert.That(read, Is.EqualTo(signal));
            Assert.That(record.TimestampNs, Is.EqualTo(signal.EventTimeMs * 1_000_000));
            Assert.That(record.Sequence, Is.Zero);
        }
    }

    [Test]
    public void ShouldWriteReadableRecords_WhenDurabilityIsFlushPeriodically()
    {
        // Arrange
        var events = Stamped(1500);
        var options = new JournalOptions { SegmentSize = SmallSegmentSize, Durability = JournalDurability.FlushPeriodically, FlushEveryRecords = 100, FlushIntervalMs = 1 };

        // Act
        using (var writer = new JournalWriter(JournalDirectory, options))
        {
            WriteEvents(writer, events);
            writer.OnBatchEnd();
        }

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        Assert.That(ReadAndCompare(reader, events), Is.Null);
    }

    [TestCase(JournalDurability.PageCache, 0)]
    [TestCase(JournalDurability.FlushOnRoll, 0)]
    [TestCase(JournalDurability.FlushPeriodically, 2)]
    public void ShouldFlushEveryNRecordsOnlyAtLevel2_WhenAppendingWithinOneSegment(JournalDurability durability, int expectedFlushes)
    {
        // Arrange: 250 records with a flush every 100 at level 2, all in one segment (no roll flush), and a batch-end
        // interval too long to fire.
        var events = Stamped(250);
        var options = new JournalOptions { SegmentSize = 16 * 1024 * 1024, Durability = durability, FlushEveryRecords = 100, FlushIntervalMs = 3_600_000 };
        using var writer = new JournalWriter(JournalDirectory, options);

        // Act
        WriteEvents(writer, events);
        writer.OnBatchEnd();

        // Assert
        Assert.That(writer.SegmentCount, Is.EqualTo(1));
        Assert.That(writer.FlushCount, Is.EqualTo(expectedFlushes));
    }

    [Test]
    public void ShouldCountTheNextPeriodicFlushFromAnExplicitFlush_WhenLevel2()
    {
        // Arrange
        var options = new JournalOptions { SegmentSize = 16 * 1024 * 1024, Durability = JournalDurability.FlushPeriodically, FlushEveryRecords = 100, FlushIntervalMs = 3_600_000 };
        using var writer = new JournalWriter(JournalDirectory, options);
        WriteEvents(writer, Stamped(50));

        // Act: an explicit flush after 50 records, then 149 more (no periodic flush yet), then one more (the 100th since).
        writer.Flush();
        WriteEvents(writer, Stamped(99));
        var beforeHundredth = writer.FlushCount;
        WriteEvents(writer, Stamped(1));

        // Assert
        Assert.That(beforeHundredth, Is.EqualTo(1));
        Assert.That(writer.FlushCount, Is.EqualTo(2));
    }

    [TestCase(JournalDurability.PageCache, false)]
    [TestCase(JournalDurability.FlushOnRoll, true)]
    [TestCase(JournalDurability.FlushPeriodically, true)]
    public void ShouldFlushAClosedSegment_WhenLevelIsAbovePageCache(JournalDurability durability, bool flushesAtRoll)
    {
        // Arrange: enough records for at least one roll; a periodic flush too rare to fire.
        var events = Stamped(1500);
        var options = new JournalOptions { SegmentSize = SmallSegmentSize, Durability = durability, FlushEveryRecords = 1_000_000, FlushIntervalMs = 3_600_000 };
        using var writer = new JournalWriter(JournalDirectory, options);

        // Act
        WriteEvents(writer, events);

        // Assert
        Assert.That(writer.SegmentCount, Is.GreaterThan(1));
        Assert.That(writer.FlushCount, Is.EqualTo(flushesAtRoll ? writer.SegmentCount - 1 : 0));
    }

    [Test]
    public void ShouldNotAllocate_WhenAppendingSignalsAfterWarmUp()
    {
        // Arrange
        var signal = new SignalEvent { SymbolId = 1, EventTimeMs = 1 };
        using var writer = new JournalWriter(JournalDirectory, Options(16 * 1024 * 1024));
        for (var i = 0; i < 20_000; i++)
        {
            writer.AppendSignal(in signal, i);
        }

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 20_000; i < 30_000; i++)
        {
            writer.AppendSignal(in signal, i);
            writer.OnBatchEnd();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.That(allocated, Is.Zero);
        Assert.That(writer.SegmentCount, Is.EqualTo(1));
    }

    private static MarketEvent[] Stamped(int count)
    {
        var events = GenerateEvents(count);
        for (var i = 0; i < events.Length; i++)
        {
            events[i].LocalTimestampNs = 1000L * (i + 1);
        }

        return events;
    }
}
