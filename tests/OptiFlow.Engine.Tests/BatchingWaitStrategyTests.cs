using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

/// <summary>
/// The batching strategy keeps the contract of every waiting strategy (the fixture: woken by publish, halted promptly,
/// every event delivered in order alone, side by side, in a pipeline and from three producers, where its 1 ms bound
/// ends the waits for batches that cannot fill a small ring), and its own: a parked waiter is woken by the publish that
/// completes its batch and by no earlier one, by a halt at once, and by its bound when the batch never completes.
/// </summary>
public class BatchingWaitStrategyTests : ConsumerWaitStrategyFixture<BatchingWaitStrategy>
{
    /// <summary>A bound no test lasts: a wait that ends within <see cref="Await.Timeout"/> was woken by a signal.</summary>
    private static readonly TimeSpan NeverTimeout = TimeSpan.FromHours(1);

    [Test]
    public void ShouldReportBlocking_WhenAskedIfBlocking() => Assert.That(new BatchingWaitStrategy().IsBlocking, Is.True);

    [Test]
    public void ShouldWakeOnThePublishThatCompletesTheBatch_WhenEventsArePublishedOneByOne()
    {
        // Arrange: a batch of 4 and a bound of an hour, so only a signal can end the wait.
        var strategy = new BatchingWaitStrategy(4, NeverTimeout);
        var ring = new RingBuffer<StubEvent>(16, strategy);
        var barrier = ring.Sequencer.NewBarrier();
        long result = -1;
        var waiter = new Thread(() => result = barrier.WaitFor(0));
        waiter.Start();
        WaitUntilParked(strategy, 1);

        // Act: three publishes, each short of the batch; then the fourth.
        Producer.Publish(ring, 3);
        var aliveAfterThree = waiter.IsAlive;
        Producer.Publish(ring, 1);
        Await.Join(waiter, "waiter woken by the fourth publish");

        // Assert: woken by an earlier publish, it would have returned the sequences published by then (below 3).
        Assert.Multiple(() =>
        {
            Assert.That(aliveAfterThree, Is.True, "the waiter returned before its batch was complete");
            Assert.That(result, Is.EqualTo(3), "the whole batch, 0 to 3");
            Assert.That(strategy.ParkedCount, Is.Zero);
        });
    }

    [Test]
    public void ShouldReturnWhatIsThere_WhenTheBatchNeverCompletesWithinTheBound()
    {
        // Arrange: a batch of 64, of which one event is ever published; the bound is 1 ms.
        var strategy = new BatchingWaitStrategy(64, TimeSpan.FromMilliseconds(1));
        var ring = new RingBuffer<StubEvent>(256, strategy);
        var barrier = ring.Sequencer.NewBarrier();
        long result = -1;
        var waiter = new Thread(() => result = barrier.WaitFor(0));
        waiter.Start();
        WaitUntilParked(strategy, 1);

        // Act
        Producer.Publish(ring, 1);
        Await.Join(waiter, "waiter whose batch never completes");

        // Assert: the bound, not a full batch, ended the wait; it is not a timeout result.
        Assert.That(result, Is.Zero);
    }

    [Test]
    public void ShouldHaltAtOnce_WhenAProcessorIsParkedWaitingForABatch()
    {
        // Arrange: a processor parked for a batch of 8 with an hour's bound, one event short of it.
        var strategy = new BatchingWaitStrategy(8, NeverTimeout);
        var ring = new RingBuffer<StubEvent>(64, strategy);
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(100, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("batching-halt");
        WaitUntilParked(strategy, 1);
        Producer.Publish(ring, 7);

        // Act: only the alert can wake it within the bound of the join.
        Await.Halt(processor, "processor parked for a batch");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.IsRunning, Is.False);
            Assert.That(processor.Handler.Count, Is.EqualTo(7), "woken by the alert, it hands over what was published, then stops");
            Assert.That(processor.Handler.Shutdowns, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldDeliverEveryEventInBatches_WhenAProcessorTrailsAFasterProducer()
    {
        // Arrange: a batch of 64 on a ring of 1,024; 100,000 events.
        const long Count = 100_000;
        var strategy = new BatchingWaitStrategy(64, TimeSpan.FromMilliseconds(1));
        var ring = new RingBuffer<StubEvent>(1024, strategy);
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(Count - 1, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("batching-consumer");

        // Act
        try
        {
            Producer.Publish(ring, Count);
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "batching-consumer");
        }

        // Assert: a parked consumer only ever wakes to a whole batch or its bound, so it cannot have had a batch per event.
        var handler = processor.Handler;
        Assert.Multiple(() =>
        {
            Assert.That(handler.Count, Is.EqualTo(Count));
            Assert.That(handler.OrderErrors, Is.Zero);
            Assert.That(handler.ValueErrors, Is.Zero);
            Assert.That(handler.Batches, Is.LessThan(Count));
        });
    }

    [Test]
    public void ShouldReturnWhatIsPublished_WhenWokenBeforeTheBatchCompletes()
    {
        // Arrange: a batch of 8 with an hour's bound; three events published.
        var strategy = new BatchingWaitStrategy(8, NeverTimeout);
        var ring = new RingBuffer<StubEvent>(64, strategy);
        var barrier = ring.Sequencer.NewBarrier();
        long result = -1;
        var waiter = new Thread(() => result = barrier.WaitFor(0));
        waiter.Start();
        WaitUntilParked(strategy, 1);
        Producer.Publish(ring, 3);

        // Act: the end of the stream.
        strategy.WakeAll();
        Await.Join(waiter, "waiter woken at the end of the stream");

        // Assert
        Assert.That(result, Is.EqualTo(2));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void ShouldThrow_WhenBatchSizeIsBelowOne(int batchSize) =>
        Assert.That(() => new BatchingWaitStrategy(batchSize, TimeSpan.FromMilliseconds(1)), Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase(0.5)]
    [TestCase(3_600_001.0)]
    public void ShouldThrow_WhenMaxWaitIsOutOfRange(double milliseconds) =>
        Assert.That(() => new BatchingWaitStrategy(16, TimeSpan.FromMilliseconds(milliseconds)), Throws.TypeOf<ArgumentOutOfRangeException>());

    /// <summary>Waits (bounded) until <paramref name="count"/> waiters are parked in <paramref name="strategy"/>.</summary>
    private static void WaitUntilParked(BatchingWaitStrategy strategy, int count)
    {
        var deadline = DateTime.UtcNow + Await.Timeout;
        while (strategy.ParkedCount < count)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"Timed out waiting for {count} parked waiter(s).");
            Thread.Sleep(1);
        }
    }
}
