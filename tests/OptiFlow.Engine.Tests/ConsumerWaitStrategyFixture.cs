using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;

namespace OptiFlow.Engine.Tests;

/// <summary>
/// The contract of strategies that may wait in tests (all but busy-spin): a waiter wakes on publish, a processor
/// blocked in the strategy halts promptly, and a <see cref="BatchEventProcessor{T, THandler}"/> delivers every
/// event in order, alone, side by side with another consumer on a small ring, behind another in a pipeline, and
/// from three producers through the multi-producer sequencer (so every strategy is exercised with both sequencers).
/// </summary>
/// <typeparam name="T">The strategy.</typeparam>
public abstract class ConsumerWaitStrategyFixture<T> : WaitStrategyFixture<T>
    where T : IWaitStrategy, new()
{
    private const long Events = 1_000_000;

    [Test]
    public void ShouldWakeWaiter_WhenProducerPublishes()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(8, new T());
        var barrier = ring.Sequencer.NewBarrier();
        using var started = new ManualResetEventSlim();
        long result = 0;
        var waiter = new Thread(() =>
        {
            started.Set();
            result = WaitAcrossTimeouts(barrier, 0);
        });
        waiter.Start();
        Await.Signal(started, "waiter start");

        // Act
        Producer.Publish(ring, 1);
        Await.Join(waiter, "waiter woken by publish");

        // Assert
        Assert.That(result, Is.Zero);
    }

    [Test]
    public void ShouldHaltPromptly_WhenProcessorIsBlockedInTheStrategy()
    {
        // Arrange: one event consumed, so the processor is now waiting for the second.
        var ring = new RingBuffer<StubEvent>(8, new T());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("halt-test");
        Producer.Publish(ring, 1);
        Await.Signal(done, "first event consumed");

        // Act
        Await.Halt(processor, "blocked consumer");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.IsRunning, Is.False);
            Assert.That(processor.Sequence.Value, Is.Zero);
            Assert.That(processor.Handler.Starts, Is.EqualTo(1));
            Assert.That(processor.Handler.Shutdowns, Is.EqualTo(1));
            Assert.That(processor.FaultCount, Is.Zero);
        });
    }

    [Test]
    [Category("Stress")]
    public void ShouldDeliverEveryEventInOrder_WhenOneConsumerReadsAMillionEvents()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(1024, new T());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(Events - 1, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("consumer");

        // Act
        try
        {
            Producer.Publish(ring, Events);
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "consumer");
        }

        // Assert
        AssertDeliveredAll(ref processor.Handler, Events);
        Assert.That(processor.Sequence.Value, Is.EqualTo(Events - 1));
    }

    [Test]
    [Category("Stress")]
    public void ShouldDeliverEveryEvent_WhenProducerClaimsBatches()
    {
        // Arrange
        const long Count = 200_000;
        var ring = new RingBuffer<StubEvent>(256, new T());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(Count - 1, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("consumer");

        // Act
        try
        {
            Producer.PublishBatches(ring, Count, 8);
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "consumer");
        }

        // Assert
        AssertDeliveredAll(ref processor.Handler, Count);
    }

    [Test]
    [Category("Stress")]
    public void ShouldDeliverEveryEventToBoth_WhenTwoConsumersGateASmallRing()
    {
        // Arrange: core ∥ journal, both gating a 64-slot ring, so the producer keeps hitting the wrap point.
        const long Count = 200_000;
        var ring = new RingBuffer<StubEvent>(64, new T());
        using var coreDone = new ManualResetEventSlim();
        using var journalDone = new ManualResetEventSlim();
        using var core = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(Count - 1, coreDone));
        using var journal = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(Count - 1, journalDone));
        ring.Sequencer.SetGatingSequences(core.Sequence, journal.Sequence);
        core.Start("core");
        journal.Start("journal");

        // Act
        try
        {
            Producer.Publish(ring, Count);
            Await.Signal(coreDone, "the core's last event");
            Await.Signal(journalDone, "the journal's last event");
        }
        finally
        {
            Await.Halt(core, "core");
            Await.Halt(journal, "journal");
        }

        // Assert
        AssertDeliveredAll(ref core.Handler, Count);
        AssertDeliveredAll(ref journal.Handler, Count);
    }

    [Test]
    [Category("Stress")]
    public void ShouldNeverOvertakeUpstream_WhenConsumersFormAPipeline()
    {
        // Arrange: A reads the ring; B waits on A's sequence; the producer is gated by B (the end of the chain).
        const long Count = 200_000;
        var ring = new RingBuffer<StubEvent>(64, new T());
        using var doneA = new ManualResetEventSlim();
        using var doneB = new ManualResetEventSlim();
        using var a = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(Count - 1, doneA));
        using var b = new BatchEventProcessor<StubEvent, CheckingHandler>(
            ring, ring.Sequencer.NewBarrier(a.Sequence), new CheckingHandler(Count - 1, doneB) { Upstream = a.Sequence });
        ring.Sequencer.SetGatingSequences(b.Sequence);
        a.Start("A");
        b.Start("B");

        // Act
        try
        {
            Producer.Publish(ring, Count);
            Await.Signal(doneB, "B's last event");
        }
        finally
        {
            Await.Halt(a, "A");
            Await.Halt(b, "B");
        }

        // Assert
        AssertDeliveredAll(ref a.Handler, Count);
        AssertDeliveredAll(ref b.Handler, Count);
        Assert.That(b.Handler.OvertakeErrors, Is.Zero, "B handled an event A had not finished");
    }

    [Test]
    [Category("Stress")]
    public void ShouldDeliverEveryEventOfEveryProducer_WhenThreeProducersShareAMultiProducerRing() =>
        TaggedProducers.RunAndAssertDelivered(new T(), producers: 3, perProducer: 50_000, configure: _ => { });

    private static void AssertDeliveredAll(ref CheckingHandler handler, long count)
    {
        var h = handler;
        Assert.Multiple(() =>
        {
            Assert.That(h.Count, Is.EqualTo(count), "events delivered");
            Assert.That(h.Sum, Is.EqualTo(count * (count - 1) / 2), "sum of values (loss or duplication)");
            Assert.That(h.OrderErrors, Is.Zero, "out-of-order sequences");
            Assert.That(h.ValueErrors, Is.Zero, "slots whose value was not their sequence (overwritten by a wrap)");
            Assert.That(h.BatchErrors, Is.Zero, "OnBatchStart and endOfBatch disagreed");
            Assert.That(h.Batches, Is.InRange(1, count));
            Assert.That(h.Starts, Is.EqualTo(1));
            Assert.That(h.Shutdowns, Is.EqualTo(1));
        });
    }
}
