using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Journal.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// The journal as a ring consumer:
/// <code>
///  test thread (producer) --publish--> RingBuffer&lt;MarketEvent&gt;(1024, Yielding) --> BatchEventProcessor&lt;JournalEventHandler&gt; --> JournalWriter --> *.seg
///                                                                                           |
///  test thread, after Join: JournalReader(*.seg) == published events, handler's steady-state allocation == 0
/// </code>
/// </summary>
public class JournalEventHandlerTests : JournalTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public void ShouldJournalEveryPublishedEventWithoutSteadyStateAllocation_WhenRunByBatchProcessor()
    {
        // Arrange: 16 MiB segments, so no roll (which allocates by design) falls in the measured window.
        const int count = 50_000;
        var events = GenerateEvents(count);
        var writer = new JournalWriter(JournalDirectory, Options(16 * 1024 * 1024));
        var (ring, processor) = StartProcessor(writer);

        // Act
        Publish(ring, events);
        BoundedWait.Until(
            () => processor.Sequence.Value == count - 1,
            Timeout,
            () => $"the journal processor reached sequence {processor.Sequence.Value} of {count - 1}");
        processor.Halt();
        var joined = processor.Join(Timeout);
        var handler = processor.Handler;
        writer.Dispose();
        processor.Dispose();

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(joined, Is.True, "the journal processor thread did not stop");
            Assert.That(processor.FaultCount, Is.Zero, () => string.Join("; ", processor.Faults.Select(f => f.ToString())));
            Assert.That(handler.EventsHandled, Is.EqualTo(count));
            Assert.That(writer.RecordCount, Is.EqualTo(count));
            Assert.That(handler.SteadyStateAllocatedBytes, Is.Zero, "bytes allocated on the journal thread after 1,000 events");
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [Test]
    public void ShouldJournalAcrossSegments_WhenRunByBatchProcessorWithSmallSegments()
    {
        // Arrange
        const int count = 20_000;
        var events = GenerateEvents(count, seed: 3);
        var writer = new JournalWriter(JournalDirectory, Options());
        var (ring, processor) = StartProcessor(writer);

        // Act
        Publish(ring, events);
        BoundedWait.Until(
            () => processor.Sequence.Value == count - 1,
            Timeout,
            () => $"the journal processor reached sequence {processor.Sequence.Value} of {count - 1}");
        processor.Halt();
        var joined = processor.Join(Timeout);
        var segments = writer.SegmentCount;
        writer.Dispose();
        processor.Dispose();

        // Assert
        using var reader = new JournalReader(JournalDirectory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(joined, Is.True, "the journal processor thread did not stop");
            Assert.That(processor.FaultCount, Is.Zero);
            Assert.That(segments, Is.GreaterThan(40));
            Assert.That(ReadAndCompare(reader, events), Is.Null);
        }
    }

    [Test]
    public void ShouldReportNotMeasured_WhenFewerEventsThanSteadyStateThreshold()
    {
        // Arrange
        using var writer = new JournalWriter(JournalDirectory, Options());
        var handler = new JournalEventHandler(writer, steadyStateAfterEvents: 10);
        var e = default(MarketEvent);

        // Act
        handler.OnStart();
        handler.OnBatchStart(0, 1);
        handler.OnEvent(ref e, 0, endOfBatch: true);
        handler.OnShutdown();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.SteadyStateAllocatedBytes, Is.EqualTo(JournalEventHandler.NotMeasured));
            Assert.That(handler.EventsHandled, Is.EqualTo(1));
            Assert.That(writer.RecordCount, Is.EqualTo(1));
        }
    }

    private static (RingBuffer<MarketEvent> Ring, BatchEventProcessor<MarketEvent, JournalEventHandler> Processor) StartProcessor(JournalWriter writer)
    {
        var ring = new RingBuffer<MarketEvent>(1024, new YieldingWaitStrategy());
        var processor = new BatchEventProcessor<MarketEvent, JournalEventHandler>(
            ring, ring.Sequencer.NewBarrier(), new JournalEventHandler(writer, steadyStateAfterEvents: 1_000));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("journal-test");
        return (ring, processor);
    }

    private static void Publish(RingBuffer<MarketEvent> ring, MarketEvent[] events)
    {
        foreach (var e in events)
        {
            var sequence = ring.Next();
            try
            {
                ring[sequence] = e;
            }
            finally
            {
                ring.Publish(sequence);
            }
        }
    }
}
