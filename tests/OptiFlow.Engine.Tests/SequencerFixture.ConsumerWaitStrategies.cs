using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

// A wait strategy per consumer (ISequencer.NewBarrier(IWaitStrategy, …)), for both sequencers:
// publish signals each distinct blocking strategy in use once and never a strategy that does not block; consumers of
// one ring that wait differently each see every event in order; a parked consumer is woken by the publish itself
// (its neighbour and the ring's default do not block, and a timeout strategy is given an hour, so neither a timeout
// nor anyone else's signal can wake it within the bound); halting each consumer wakes it; publishing allocates nothing.
public abstract partial class SequencerFixture<TSequencer>
{
    /// <summary>A timeout no test lasts: a timeout strategy's wait that ends within <see cref="Await.Timeout"/> was signalled.</summary>
    private static readonly TimeSpan NeverTimeout = TimeSpan.FromHours(1);

    private static IWaitStrategy NewStrategy(string name) => name switch
    {
        "blocking" => new BlockingWaitStrategy(),
        "timeout-blocking" => new TimeoutBlockingWaitStrategy(NeverTimeout),
        "yielding" => new YieldingWaitStrategy(),
        "sleeping" => new SleepingWaitStrategy(),
        "busy-spin" => new BusySpinWaitStrategy(), // bounded: every test halts its processors, with a bounded join
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown strategy."),
    };

    [Test]
    public void ShouldSignalEachDistinctBlockingStrategyOncePerPublish_WhenBarriersHaveTheirOwn()
    {
        // Arrange: two barriers share blockingA; the ring's default and one barrier's strategy do not block; three
        // distinct blocking strategies (one, then two, then three to signal).
        var ringDefault = new RecordingWaitStrategy(isBlocking: false);
        var blockingA = new RecordingWaitStrategy(isBlocking: true);
        var blockingB = new RecordingWaitStrategy(isBlocking: true);
        var blockingC = new RecordingWaitStrategy(isBlocking: true);
        var notBlocking = new RecordingWaitStrategy(isBlocking: false);
        var ring = new RingBuffer<StubEvent>(8, ringDefault, Producer);
        var barriers = new[]
        {
            ring.Sequencer.NewBarrier(blockingA),
            ring.Sequencer.NewBarrier(blockingA, new Sequence()),
            ring.Sequencer.NewBarrier(blockingB),
            ring.Sequencer.NewBarrier(notBlocking),
            ring.Sequencer.NewBarrier(blockingC),
            ring.Sequencer.NewBarrier(blockingB),
            ring.Sequencer.NewBarrier(),
        };

        // Act: three single publishes and one batch publish.
        Support.Producer.Publish(ring, 3);
        Support.Producer.PublishBatches(ring, 4, 4);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(blockingA.Signals, Is.EqualTo(4), "a strategy two barriers share is signalled once per publish");
            Assert.That(blockingB.Signals, Is.EqualTo(4));
            Assert.That(blockingC.Signals, Is.EqualTo(4));
            Assert.That(notBlocking.Signals, Is.Zero, "a strategy that does not block is never called by the producer");
            Assert.That(ringDefault.Signals, Is.Zero);
            Assert.That(barriers.Select(b => b.WaitStrategy), Is.EqualTo(new IWaitStrategy[] { blockingA, blockingA, blockingB, notBlocking, blockingC, blockingB, ringDefault }).AsCollection);
            Assert.That(ring.Sequencer.WaitStrategy, Is.SameAs(ringDefault), "the default stays the ring's");
        });
    }

    [Test]
    public void ShouldSignalTheRingsDefault_WhenItBlocksAndEveryBarrierHasItsOwn()
    {
        // Arrange: as before per-consumer strategies, a blocking default is signalled whoever uses it (a barrier built
        // from the cursor with it, say), beside a barrier's own blocking strategy.
        var ringDefault = new RecordingWaitStrategy(isBlocking: true);
        var own = new RecordingWaitStrategy(isBlocking: true);
        var ring = new RingBuffer<StubEvent>(8, ringDefault, Producer);
        _ = ring.Sequencer.NewBarrier(new RecordingWaitStrategy(isBlocking: false));
        _ = ring.Sequencer.NewBarrier(ringDefault);
        _ = ring.Sequencer.NewBarrier(own);

        // Act
        Support.Producer.Publish(ring, 2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ringDefault.Signals, Is.EqualTo(2), "once per publish, though registered again by a barrier");
            Assert.That(own.Signals, Is.EqualTo(2));
        });
    }

    [Test]
    public void ShouldThrow_WhenNewBarrierIsGivenNoStrategy() =>
        Assert.That(() => NewSequencer(8).NewBarrier((IWaitStrategy)null!, new Sequence()), Throws.ArgumentNullException);

    [TestCase("blocking", "yielding")]
    [TestCase("busy-spin", "blocking")]
    [TestCase("sleeping", "timeout-blocking")]
    public void ShouldDeliverEveryEventInOrderToBoth_WhenTwoConsumersOfOneRingWaitDifferently(string first, string second)
    {
        // Arrange: a 64-slot ring gated by both, so the producer keeps reaching the wrap point; the ring's default
        // counts its waits, and no consumer may use it.
        const long Count = 50_000;
        var ringDefault = new RecordingWaitStrategy(isBlocking: false);
        var ring = new RingBuffer<StubEvent>(64, ringDefault, Producer);
        using var firstDone = new ManualResetEventSlim();
        using var secondDone = new ManualResetEventSlim();
        using var a = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(NewStrategy(first)), new CheckingHandler(Count - 1, firstDone));
        using var b = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(NewStrategy(second)), new CheckingHandler(Count - 1, secondDone));
        ring.Sequencer.SetGatingSequences(a.Sequence, b.Sequence);
        a.Start(first);
        b.Start(second);

        // Act
        try
        {
            PublishOnABackgroundThread(() => Support.Producer.Publish(ring, Count));
            Await.Signal(firstDone, $"the {first} consumer's last event");
            Await.Signal(secondDone, $"the {second} consumer's last event");
        }
        finally
        {
            HaltBoth(a, b);
        }

        // Assert
        AssertEveryEventInOrder(a.Handler, Count, first);
        AssertEveryEventInOrder(b.Handler, Count, second);
        Assert.That(ringDefault.Waits, Is.Zero, "a consumer waited with the ring's default instead of its own strategy");
    }

    [TestCase("blocking")]
    [TestCase("timeout-blocking")]
    public void ShouldWakeTheParkedConsumerOnPublish_WhenNeitherTheRingsDefaultNorItsNeighbourBlocks(string strategy)
    {
        // Arrange: the producer signals nothing unless this consumer's own strategy was registered.
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy(), Producer);
        using var neighbourDone = new ManualResetEventSlim();
        using var neighbour = new BatchEventProcessor<StubEvent, CheckingHandler>(
            ring, ring.Sequencer.NewBarrier(new YieldingWaitStrategy()), new CheckingHandler(0, neighbourDone));
        var barrier = ring.Sequencer.NewBarrier(NewStrategy(strategy));
        ring.Sequencer.SetGatingSequences(neighbour.Sequence);
        neighbour.Start("neighbour");
        long result = -1;
        var waiter = new Thread(() => result = barrier.WaitFor(0)) { IsBackground = true };
        waiter.Start();
        BoundedWait.Until(() => (waiter.ThreadState & ThreadState.WaitSleepJoin) != 0, Await.Timeout, () => $"the {strategy} consumer to park");

        // Act
        try
        {
            Support.Producer.Publish(ring, 1);
            Await.Join(waiter, $"the parked {strategy} consumer, woken by the publish");
            Await.Signal(neighbourDone, "the neighbour's event");
        }
        finally
        {
            barrier.Alert(); // releases the waiter if the publish did not
            Await.Halt(neighbour, "neighbour");
        }

        // Assert
        Assert.That(result, Is.Zero, "the published sequence, not an alert or a timeout");
    }

    [TestCase("blocking", "yielding")]
    [TestCase("timeout-blocking", "busy-spin")]
    [TestCase("sleeping", "blocking")]
    public void ShouldHaltEachPromptly_WhenConsumersOfOneRingWaitDifferently(string first, string second)
    {
        // Arrange: the ring's default does not block, so only a consumer's own strategy can wake it; each consumer has
        // handled one event and waits for the next.
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy(), Producer);
        using var firstDone = new ManualResetEventSlim();
        using var secondDone = new ManualResetEventSlim();
        using var a = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(NewStrategy(first)), new CheckingHandler(0, firstDone));
        using var b = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(NewStrategy(second)), new CheckingHandler(0, secondDone));
        ring.Sequencer.SetGatingSequences(a.Sequence, b.Sequence);
        a.Start(first);
        b.Start(second);
        Support.Producer.Publish(ring, 1);
        Await.Signal(firstDone, $"the {first} consumer's event");
        Await.Signal(secondDone, $"the {second} consumer's event");

        // Act
        a.Halt();
        b.Halt();
        var firstJoined = a.Join(Await.Timeout);
        var secondJoined = b.Join(Await.Timeout);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(firstJoined, Is.True, $"the {first} consumer did not halt within {Await.Timeout.TotalSeconds} s");
            Assert.That(secondJoined, Is.True, $"the {second} consumer did not halt within {Await.Timeout.TotalSeconds} s");
            Assert.That(a.IsRunning || b.IsRunning, Is.False);
            Assert.That(a.Handler.Shutdowns + b.Handler.Shutdowns, Is.EqualTo(2));
            Assert.That(a.Sequence.Value + b.Sequence.Value, Is.Zero);
        });
    }

    [Test]
    public void ShouldNotAllocateOnPublish_WhenConsumersHaveTheirOwnBlockingStrategies()
    {
        // Arrange: two blocking strategies and a yielding one registered by barriers; nothing gates, so the producer
        // never waits and every publish signals both blocking strategies.
        var ring = new RingBuffer<StubEvent>(1024, new YieldingWaitStrategy(), Producer);
        _ = ring.Sequencer.NewBarrier(new BlockingWaitStrategy());
        _ = ring.Sequencer.NewBarrier(new TimeoutBlockingWaitStrategy(NeverTimeout));
        _ = ring.Sequencer.NewBarrier(new YieldingWaitStrategy());
        void PublishSingleAndBatched()
        {
            Support.Producer.Publish(ring, 1_000);
            Support.Producer.PublishBatches(ring, 1_000, 8);
        }

        // Act / Assert
        OptiFlow.Testing.AllocationAssert.ShouldNotAllocate(PublishSingleAndBatched);
    }

    [Test]
    public void ShouldNotAllocateOnAnyThread_WhenABlockingAndAYieldingConsumerReadTheRing()
    {
        // Arrange: the blocking consumer parks whenever it catches up, so publishes really pulse it.
        const long WarmUp = 20_000;
        const long Measured = 100_000;
        const long Total = WarmUp + Measured;
        var ring = new RingBuffer<StubEvent>(256, new YieldingWaitStrategy(), Producer);
        using var blockingDone = new ManualResetEventSlim();
        using var yieldingDone = new ManualResetEventSlim();
        using var blocking = new BatchEventProcessor<StubEvent, AllocationMeasuringHandler>(
            ring, ring.Sequencer.NewBarrier(new BlockingWaitStrategy()), new AllocationMeasuringHandler(WarmUp - 1, Total - 1, blockingDone));
        using var yielding = new BatchEventProcessor<StubEvent, AllocationMeasuringHandler>(
            ring, ring.Sequencer.NewBarrier(new YieldingWaitStrategy()), new AllocationMeasuringHandler(WarmUp - 1, Total - 1, yieldingDone));
        ring.Sequencer.SetGatingSequences(blocking.Sequence, yielding.Sequence);
        blocking.Start("blocking");
        yielding.Start("yielding");
        long producerBytes = -1;

        // Act
        try
        {
            PublishOnABackgroundThread(() =>
            {
                Support.Producer.Publish(ring, WarmUp);
                var before = GC.GetAllocatedBytesForCurrentThread();
                Support.Producer.Publish(ring, Measured / 2);
                Support.Producer.PublishBatches(ring, Measured / 2, 8);
                producerBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            Await.Signal(blockingDone, "the blocking consumer's last event");
            Await.Signal(yieldingDone, "the yielding consumer's last event");
        }
        finally
        {
            HaltBoth(blocking, yielding);
        }

        // Assert
        var b = blocking.Handler;
        var y = yielding.Handler;
        Assert.Multiple(() =>
        {
            Assert.That(producerBytes, Is.Zero, "bytes allocated on the producer thread");
            Assert.That(b.EndBytes - b.StartBytes, Is.Zero, "bytes allocated on the blocking consumer's thread");
            Assert.That(y.EndBytes - y.StartBytes, Is.Zero, "bytes allocated on the yielding consumer's thread");
            Assert.That(b.Sum, Is.EqualTo(Total * (Total - 1) / 2));
            Assert.That(y.Sum, Is.EqualTo(Total * (Total - 1) / 2));
        });
    }

    /// <summary>
    /// Runs a producer that may wait on a full ring on a background thread joined with a bound: should a consumer
    /// never wake, the test fails at the bound instead of hanging in the producer's wait.
    /// </summary>
    private static void PublishOnABackgroundThread(Action publish)
    {
        var producer = new Thread(() => publish()) { IsBackground = true, Name = "producer" };
        producer.Start();
        Await.Join(producer, "producer");
    }

    /// <summary>Halts both processors, then joins each with a bound (so a consumer that fails to halt never keeps spinning unseen).</summary>
    private static void HaltBoth<THandler>(BatchEventProcessor<StubEvent, THandler> a, BatchEventProcessor<StubEvent, THandler> b)
        where THandler : struct, IEventHandler<StubEvent>
    {
        a.Halt();
        b.Halt();
        Await.Halt(a, "first consumer");
        Await.Halt(b, "second consumer");
    }

    private static void AssertEveryEventInOrder(CheckingHandler handler, long count, string consumer) =>
        Assert.Multiple(() =>
        {
            Assert.That(handler.Count, Is.EqualTo(count), $"events delivered to the {consumer} consumer");
            Assert.That(handler.Sum, Is.EqualTo(count * (count - 1) / 2), $"sum of values ({consumer}: loss or duplication)");
            Assert.That(handler.OrderErrors, Is.Zero, $"out-of-order sequences ({consumer})");
            Assert.That(handler.ValueErrors, Is.Zero, $"slots overwritten by a wrap ({consumer})");
            Assert.That(handler.BatchErrors, Is.Zero, $"OnBatchStart and endOfBatch disagreed ({consumer})");
        });
}
