using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

/// <summary>
/// The processor's chase pacing (<see cref="BatchEventProcessor{T, THandler}.SetChasePacing"/>): a pause after a small
/// batch that was available at the first read of the cursor, before the cursor is read again; never after a wait,
/// after a batch cut by <see cref="BatchEventProcessor{T, THandler}.MaxBatchSize"/>, or with a linger set.
/// </summary>
public class RingChasePacingTests
{
    private const string Consumer = "pacing consumer";

    [Test]
    public void ShouldPaceOnce_WhenASmallBatchWasAvailableWithoutWaiting()
    {
        // Arrange: ten events published before the consumer starts, so its first read finds them all (no wait);
        // batches under 16 events are paced.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(9, done));
        processor.SetChasePacing(16, 250, 2000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 10);

        // Act
        RunUntilDone(processor, done);

        // Assert: one batch, one pause; the next read found nothing and waited, and a wait is never paced.
        Assert.Multiple(() =>
        {
            Assert.That(processor.ChasePacingCount, Is.EqualTo(1));
            Assert.That(processor.Handler.Batches, Is.EqualTo(1));
            Assert.That(processor.Handler.Count, Is.EqualTo(10));
            Assert.That(processor.Handler.BatchErrors + processor.Handler.OrderErrors + processor.Handler.ValueErrors, Is.Zero);
            Assert.That(processor.Sequence.Value, Is.EqualTo(9));
        });
    }

    [Test]
    public void ShouldNotPace_WhenTheBatchIsAtLeastThePacingBatchSize()
    {
        // Arrange: a whole 16-slot ring published before the consumer starts: a batch of 16, not under 16.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(15, done));
        processor.SetChasePacing(16, 250, 2000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 16);

        // Act
        RunUntilDone(processor, done);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.ChasePacingCount, Is.Zero);
            Assert.That(processor.Handler.Count, Is.EqualTo(16));
        });
    }

    [Test]
    public void ShouldNotPace_WhenPacingIsTurnedOff()
    {
        // Arrange: as the paced case, with pacing off.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(9, done));
        processor.SetChasePacing(0, 0, 0);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 10);

        // Act
        RunUntilDone(processor, done);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.ChasePacingCount, Is.Zero);
            Assert.That(processor.ChasePacingBatchSize, Is.Zero);
            Assert.That(processor.ChasePacingNanoseconds, Is.Zero);
            Assert.That(processor.ChasePacingMaxNanoseconds, Is.Zero);
            Assert.That(processor.Handler.Count, Is.EqualTo(10));
        });
    }

    [Test]
    public void ShouldPaceOnlyTheBatchThatTookEverything_WhenMaxBatchSizeCutsTheOthers()
    {
        // Arrange: twenty events available at once, batches of at most 12: the first is cut (more was available,
        // the consumer is behind), the second takes the last eight events and is the only one paced.
        var ring = new RingBuffer<StubEvent>(32, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(19, done)) { MaxBatchSize = 12 };
        processor.SetChasePacing(32, 250, 2000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 20);

        // Act
        RunUntilDone(processor, done);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.Handler.Batches, Is.EqualTo(2));
            Assert.That(processor.ChasePacingCount, Is.EqualTo(1));
            Assert.That(processor.Handler.BatchErrors + processor.Handler.OrderErrors + processor.Handler.ValueErrors, Is.Zero);
        });
    }

    [Test]
    public void ShouldNotPace_WhenTheBatchIsUnderTheSmallestChasedBatch()
    {
        // Arrange: fewer events than a chase (a ping-pong's single event, say), available without waiting.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(BatchEventProcessor<StubEvent, CheckingHandler>.MinChasedBatch - 2, done));
        processor.SetChasePacing(16, 250, 2000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, BatchEventProcessor<StubEvent, CheckingHandler>.MinChasedBatch - 1);

        // Act
        RunUntilDone(processor, done);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.ChasePacingCount, Is.Zero);
            Assert.That(processor.Handler.Batches, Is.EqualTo(1));
            Assert.That(processor.Handler.Count, Is.EqualTo(BatchEventProcessor<StubEvent, CheckingHandler>.MinChasedBatch - 1));
        });
    }

    [Test]
    public void ShouldNotPace_WhenALingerIsSet()
    {
        // Arrange: a batch of 10 is not under the linger size (8), so it does not linger; pacing is skipped with a linger set.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(9, done));
        processor.SetChasePacing(16, 250, 2000);
        processor.SetLinger(8, 2000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 10);

        // Act
        RunUntilDone(processor, done);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.ChasePacingCount, Is.Zero);
            Assert.That(processor.LingerCount, Is.Zero);
            Assert.That(processor.Handler.Count, Is.EqualTo(10));
        });
    }

    [Test]
    public void ShouldEndThePauseAndStop_WhenHaltedDuringAPause()
    {
        // Arrange: a 60 s pause, longer than the bounded wait for the halt (20 s): only the alert can end it in time.
        var ring = new RingBuffer<StubEvent>(16, new BlockingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(9, done));
        processor.SetChasePacing(16, BatchEventProcessor<StubEvent, CheckingHandler>.MaxChasePacingNanoseconds, BatchEventProcessor<StubEvent, CheckingHandler>.MaxChasePacingNanoseconds);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 10);
        processor.Start(Consumer);
        Await.Signal(done, "the last event");
        BoundedWait.Until(() => processor.ChasePacingCount >= 1, Await.Timeout, () => "the processor to pause after its batch");

        // Act
        Await.Halt(processor, Consumer);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.IsRunning, Is.False);
            Assert.That(processor.Sequence.Value, Is.EqualTo(9), "the batch was released before the pause");
            Assert.That(processor.Handler.Shutdowns, Is.EqualTo(1));
        });
    }

    [TestCase(65536, 1024)]
    [TestCase(1024, 256)]
    [TestCase(16, 4)]
    [TestCase(4, 2)]
    [TestCase(1, 0)]
    public void ShouldPaceBatchesUnderTheDefaultSizeCappedAtAQuarterRing_WhenNotConfigured(int bufferSize, long expectedBatchSize)
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(bufferSize, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();

        // Act
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.ChasePacingBatchSize, Is.EqualTo(expectedBatchSize));
            Assert.That(processor.ChasePacingNanoseconds, Is.EqualTo(expectedBatchSize == 0 ? 0 : BatchEventProcessor<StubEvent, CheckingHandler>.DefaultChasePacingNanoseconds));
            Assert.That(processor.ChasePacingMaxNanoseconds, Is.EqualTo(expectedBatchSize == 0 ? 0 : BatchEventProcessor<StubEvent, CheckingHandler>.DefaultChasePacingMaxNanoseconds));
            Assert.That(processor.ChasePacingCount, Is.Zero);
        });
    }

    [TestCase(1, 250, 2000, "batchSize")]
    [TestCase(-1, 250, 2000, "batchSize")]
    [TestCase(17, 250, 2000, "batchSize")]
    [TestCase(8, 0, 2000, "nanoseconds")]
    [TestCase(8, 60_000_000_001, 60_000_000_001, "nanoseconds")]
    [TestCase(8, 250, 249, "maxNanoseconds")]
    [TestCase(8, 250, 60_000_000_001, "maxNanoseconds")]
    public void ShouldThrow_WhenAPacingArgumentIsOutOfRange(int batchSize, long nanoseconds, long maxNanoseconds, string parameter)
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));

        // Act / Assert
        Assert.That(() => processor.SetChasePacing(batchSize, nanoseconds, maxNanoseconds), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(parameter));
    }

    [Test]
    [Category("Stress")]
    public void ShouldDeliverEveryEventInOrder_WhenPacingAConsumerBehindABatchedProducer()
    {
        // Arrange: claims of 10 on a 64-slot ring; batches under 32 events found without waiting pause 0.5–4 µs.
        const long Total = 200_000;
        var ring = new RingBuffer<StubEvent>(64, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(Total - 1, done));
        processor.SetChasePacing(32, 500, 4000);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start(Consumer);

        // Act
        try
        {
            Producer.PublishBatches(ring, Total, 10);
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, Consumer);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.Handler.Count, Is.EqualTo(Total));
            Assert.That(processor.Handler.Sum, Is.EqualTo(Total * (Total - 1) / 2));
            Assert.That(processor.Handler.BatchErrors + processor.Handler.OrderErrors + processor.Handler.ValueErrors, Is.Zero);
        });
    }

    [Test]
    [Category("Stress")]
    public void ShouldDeliverEveryEventOfEveryProducer_WhenPacingOnAMultiProducerRing()
    {
        // Arrange / Act / Assert: three producers on the multi-producer ring, pacing batches under 32 events for
        // 0.5–4 µs; the barrier must still return only published slots after a pause. The helper asserts that every
        // producer's events arrived once each and in order.
        TaggedProducers.RunAndAssertDelivered(new YieldingWaitStrategy(), producers: 3, perProducer: 50_000, configure: p => p.SetChasePacing(32, 500, 4000));
    }

    private static void RunUntilDone(BatchEventProcessor<StubEvent, CheckingHandler> processor, ManualResetEventSlim done)
    {
        processor.Start(Consumer);
        try
        {
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, Consumer);
        }
    }
}
