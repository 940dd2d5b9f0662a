using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

/// <summary>The processor's throughput mode: small batches wait for more, up to a set time (<see cref="BatchEventProcessor{T, THandler}.SetLinger"/>).</summary>
public class BatchEventProcessorLingerTests
{
    [Test]
    public void ShouldHandleTheHeldEventAndTheLaterOnesAsOneBatch_WhenTheLingerBatchSizeIsReached()
    {
        // Arrange: batches under 3 events wait up to 60 s, longer than the test's bounded wait (20 s): the test can
        // only pass if reaching the batch size ends the linger.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(2, done));
        processor.SetLinger(3, BatchEventProcessor<StubEvent, CheckingHandler>.MaxLingerNanoseconds);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("lingering until 3");

        // Act: one event, then two more once the processor holds the first.
        try
        {
            Producer.Publish(ring, 1);
            WaitForLinger(processor, 1);
            Producer.Publish(ring, 2);
            Await.Signal(done, "the third event");
        }
        finally
        {
            Await.Halt(processor, "lingering until 3");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.Handler.Batches, Is.EqualTo(1), "events 0..2 handled as one batch");
            Assert.That(processor.Handler.Count, Is.EqualTo(3));
            Assert.That(processor.Handler.BatchErrors + processor.Handler.OrderErrors + processor.Handler.ValueErrors, Is.Zero);
            Assert.That(processor.LingerCount, Is.EqualTo(1));
            Assert.That(processor.Sequence.Value, Is.EqualTo(2));
        });
    }

    [Test]
    public void ShouldHandleWhatIsAvailable_WhenTheLingerTimeHasPassed()
    {
        // Arrange: batches under 8 events wait up to 50 ms; only one event ever comes.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));
        processor.SetLinger(8, 50_000_000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("lingering 50 ms");

        // Act
        try
        {
            Producer.Publish(ring, 1);
            Await.Signal(done, "the only event");
        }
        finally
        {
            Await.Halt(processor, "lingering 50 ms");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.LingerCount, Is.EqualTo(1));
            Assert.That(processor.Handler.Batches, Is.EqualTo(1));
            Assert.That(processor.Handler.Count, Is.EqualTo(1));
            Assert.That(processor.Sequence.Value, Is.Zero);
        });
    }

    [Test]
    public void ShouldNotLinger_WhenTheBatchIsAtLeastTheLingerBatchSize()
    {
        // Arrange: ten events published before the consumer starts; batches under 8 would wait up to 60 s.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(9, done));
        processor.SetLinger(8, BatchEventProcessor<StubEvent, CheckingHandler>.MaxLingerNanoseconds);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 10);

        // Act
        processor.Start("not lingering");
        try
        {
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "not lingering");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.LingerCount, Is.Zero);
            Assert.That(processor.Handler.Batches, Is.EqualTo(1));
            Assert.That(processor.Handler.Count, Is.EqualTo(10));
            Assert.That(processor.Handler.BatchErrors + processor.Handler.OrderErrors + processor.Handler.ValueErrors, Is.Zero);
        });
    }

    [Test]
    public void ShouldEndTheLingerAndHandleTheHeldEvent_WhenHalted()
    {
        // Arrange: a 60 s linger, longer than the bounded wait for the halt (20 s): only the alert can end it in time.
        var ring = new RingBuffer<StubEvent>(16, new BlockingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));
        processor.SetLinger(4, BatchEventProcessor<StubEvent, CheckingHandler>.MaxLingerNanoseconds);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("halted while lingering");
        Producer.Publish(ring, 1);
        WaitForLinger(processor, 1);

        // Act
        Await.Halt(processor, "halted while lingering");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.IsRunning, Is.False);
            Assert.That(processor.Handler.Count, Is.EqualTo(1), "the held event was handled before the processor stopped");
            Assert.That(processor.Sequence.Value, Is.Zero);
            Assert.That(processor.Handler.Shutdowns, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldTurnLingeringOff_WhenTheBatchSizeIsZero()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));
        processor.SetLinger(8, 2000);

        // Act
        processor.SetLinger(0, 0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.LingerBatchSize, Is.Zero);
            Assert.That(processor.LingerNanoseconds, Is.Zero);
        });
    }

    [TestCase(1, 2000, "batchSize")]
    [TestCase(-1, 2000, "batchSize")]
    [TestCase(17, 2000, "batchSize")]
    [TestCase(8, 0, "nanoseconds")]
    [TestCase(8, 60_000_000_001, "nanoseconds")]
    public void ShouldThrow_WhenALingerArgumentIsOutOfRange(int batchSize, long nanoseconds, string parameter)
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));

        // Act / Assert
        Assert.That(() => processor.SetLinger(batchSize, nanoseconds), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(parameter));
    }

    [Test]
    public void ShouldStoreTheLinger_WhenTheArgumentsAreInRange()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));

        // Act
        processor.SetLinger(16, 2000);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.LingerBatchSize, Is.EqualTo(16));
            Assert.That(processor.LingerNanoseconds, Is.EqualTo(2000));
            Assert.That(processor.LingerCount, Is.Zero);
        });
    }

    [Test]
    [Category("Stress")]
    public void ShouldDeliverEveryEventOfEveryProducer_WhenLingeringOnAMultiProducerRing()
    {
        // Arrange / Act / Assert (delivery): three producers; batches under 32 events wait up to 2 µs, so the
        // processor re-reads a cursor of claimed (not always published) slots while lingering and must still return
        // only published ones.
        var lingered = TaggedProducers.RunAndAssertDelivered(new YieldingWaitStrategy(), producers: 3, perProducer: 50_000, configure: p => p.SetLinger(32, 2000));

        // Assert
        Assert.That(lingered, Is.GreaterThan(0), "the processor lingered");
    }

    [Test]
    public void ShouldNotAllocateOnTheConsumerThread_WhenLingering()
    {
        // Arrange: every batch short of a whole ring lingers 1 µs; the producer publishes one event at a time.
        const long WarmUp = 20_000;
        const long Total = WarmUp + 200_000;
        var ring = new RingBuffer<StubEvent>(1024, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, AllocationMeasuringHandler>(
            ring, ring.Sequencer.NewBarrier(), new AllocationMeasuringHandler(WarmUp - 1, Total - 1, done));
        processor.SetLinger(1024, 1000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("lingering consumer");

        // Act
        try
        {
            Producer.Publish(ring, Total);
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "lingering consumer");
        }

        // Assert
        var handler = processor.Handler;
        Assert.Multiple(() =>
        {
            Assert.That(processor.LingerCount, Is.GreaterThan(0), "the measured loop lingered");
            Assert.That(handler.StartBytes, Is.GreaterThanOrEqualTo(0), "warm-up mark reached");
            Assert.That(handler.EndBytes - handler.StartBytes, Is.Zero, "bytes allocated on the consumer thread");
            Assert.That(handler.Sum, Is.EqualTo(Total * (Total - 1) / 2));
        });
    }

    private static void WaitForLinger<THandler>(BatchEventProcessor<StubEvent, THandler> processor, long count)
        where THandler : struct, IEventHandler<StubEvent> =>
        BoundedWait.Until(() => processor.LingerCount >= count, Await.Timeout, () => $"the processor to hold a batch (lingered {processor.LingerCount} times)");
}
