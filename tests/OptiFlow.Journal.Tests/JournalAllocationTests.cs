using OptiFlow.Engine.Model;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>Steady-state allocation of the hot paths: <c>GC.GetAllocatedBytesForCurrentThread</c> delta after warm-up.</summary>
public class JournalAllocationTests : JournalTestBase
{
    private const int WarmUpEvents = 20_000;
    private const int MeasuredEvents = 10_000;

    // Large enough that neither warm-up nor measurement rolls a segment (rolling allocates by design).
    private const int SegmentSize = 16 * 1024 * 1024;

    [Test]
    public void ShouldNotAllocate_WhenAppendingEventsAfterWarmUp()
    {
        // Arrange
        var events = GenerateEvents(WarmUpEvents + MeasuredEvents);
        using var writer = new JournalWriter(JournalDirectory, Options(SegmentSize));
        AppendRange(writer, events, 0, WarmUpEvents);

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        AppendRange(writer, events, WarmUpEvents, MeasuredEvents);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero, "bytes allocated by 10,000 appends");
            Assert.That(writer.SegmentCount, Is.EqualTo(1), "the measurement must not include a segment roll");
            Assert.That(writer.RecordCount, Is.EqualTo(WarmUpEvents + MeasuredEvents));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ShouldNotAllocate_WhenReadingEventsAfterWarmUp(bool readAhead)
    {
        // Arrange
        var events = GenerateEvents(WarmUpEvents + MeasuredEvents);
        using (var writer = new JournalWriter(JournalDirectory, Options(SegmentSize)))
        {
            AppendRange(writer, events, 0, events.Length);
        }

        using var reader = new JournalReader(JournalDirectory, new JournalReaderOptions { ReadAhead = readAhead });
        var warmUpChecksum = ReadRange(reader, WarmUpEvents);

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        var checksum = ReadRange(reader, MeasuredEvents);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero, "bytes allocated by 10,000 reads");
            Assert.That(warmUpChecksum + checksum, Is.EqualTo(events.Sum(e => e.SymbolId & 0xFFL)));
            Assert.That(reader.RecordCount, Is.EqualTo(WarmUpEvents + MeasuredEvents));
        }
    }

    private static void AppendRange(JournalWriter writer, MarketEvent[] events, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            writer.Append(ref events[i], i);
        }
    }

    private static long ReadRange(JournalReader reader, int count)
    {
        long checksum = 0;
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryRead(out var record))
            {
                return -1;
            }

            checksum += record.MarketEvent.SymbolId & 0xFF;
        }

        return checksum;
    }
}
