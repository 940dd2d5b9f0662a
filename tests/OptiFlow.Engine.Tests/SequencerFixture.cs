using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

/// <summary>
/// The contract both sequencers keep, through their own API and through a <see cref="RingBuffer{T}"/> built on them:
/// consecutive claims, publication visible only once published, wrap prevention against the slowest gating sequence,
/// the fail-fast <c>TryNext</c> policy, argument checks, zero allocation from claim to consume, and FsCheck properties
/// of claim/publish/gating against a model.
/// </summary>
/// <typeparam name="TSequencer">The sequencer.</typeparam>
public abstract partial class SequencerFixture<TSequencer>
    where TSequencer : ISequencer
{
    /// <summary>The ring kind built on <typeparamref name="TSequencer"/>.</summary>
    protected abstract ProducerType Producer { get; }

    private TSequencer NewSequencer(int size) => (TSequencer)new RingBuffer<StubEvent>(size, new YieldingWaitStrategy(), Producer).Sequencer;

    [Test]
    public void ShouldBuildTheSequencerKind_WhenCreatingARing()
    {
        // Act
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy(), Producer);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ring.Sequencer, Is.TypeOf<TSequencer>());
            Assert.That(ring.ProducerType, Is.EqualTo(Producer));
        });
    }

    [Test]
    public void ShouldClaimConsecutiveSequences_WhenCallingNextAndNextN()
    {
        // Arrange
        var sequencer = NewSequencer(8);
        sequencer.SetGatingSequences(new Sequence());

        // Act
        var first = sequencer.Next();
        var second = sequencer.Next();
        var batchHigh = sequencer.Next(3);
        var availableBeforePublish = sequencer.IsAvailable(first);
        sequencer.Publish(first, batchHigh);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Zero);
            Assert.That(second, Is.EqualTo(1));
            Assert.That(batchHigh, Is.EqualTo(4));
            Assert.That(availableBeforePublish, Is.False, "claiming does not publish");
            Assert.That(Enumerable.Range(0, 5).All(s => sequencer.IsAvailable(s)), Is.True);
            Assert.That(sequencer.IsAvailable(5), Is.False);
            Assert.That(sequencer.GetHighestPublishedSequence(0, 4), Is.EqualTo(4));
            Assert.That(sequencer.RemainingCapacity(), Is.EqualTo(3));
            Assert.That(sequencer.BufferSize, Is.EqualTo(8));
        });
    }

    [Test]
    public void ShouldReturnOnlyPublishedSequences_WhenABarrierWaitsWhileALaterClaimIsUnpublished()
    {
        // Arrange: three claimed, only the first published.
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy(), Producer);
        var barrier = ring.Sequencer.NewBarrier();
        var high = ring.Next(3);
        ring.Publish(high - 2);

        // Act
        var available = barrier.WaitFor(0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(high, Is.EqualTo(2));
            Assert.That(available, Is.Zero, "the barrier never hands out a claimed but unpublished slot");
            Assert.That(ring.Sequencer.IsAvailable(1), Is.False);
        });
    }

    [Test]
    public void ShouldFailTryNext_WhenRingIsFullAgainstAStillGatingSequence()
    {
        // Arrange
        var sequencer = NewSequencer(4);
        var consumer = new Sequence();
        sequencer.SetGatingSequences(consumer);
        var claimed = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            Assert.That(sequencer.TryNext(out var s), Is.True, $"claim {i} of an empty ring");
            claimed.Add(s);
            sequencer.Publish(s);
        }

        // Act
        var whenFull = sequencer.TryNext(1, out var failed);
        var capacityWhenFull = sequencer.RemainingCapacity();
        consumer.SetValue(0);
        var afterOneConsumed = sequencer.TryNext(1, out var fifth);
        var batchTooBig = sequencer.TryNext(2, out _);
        consumer.SetValue(3);
        var batchAfterMore = sequencer.TryNext(2, out var batchHigh);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.EqualTo(new long[] { 0, 1, 2, 3 }));
            Assert.That(whenFull, Is.False, "a full ring must refuse the claim");
            Assert.That(failed, Is.EqualTo(-1));
            Assert.That(capacityWhenFull, Is.Zero);
            Assert.That(afterOneConsumed, Is.True, "a freed slot can be claimed");
            Assert.That(fifth, Is.EqualTo(4));
            Assert.That(batchTooBig, Is.False);
            Assert.That(batchAfterMore, Is.True);
            Assert.That(batchHigh, Is.EqualTo(6));
        });
    }

    [Test]
    public void ShouldTellLapsApart_WhenASlotIsReclaimedOnTheNextLap()
    {
        // Arrange: one lap of a 4-slot ring published and consumed.
        var sequencer = NewSequencer(4);
        var consumer = new Sequence();
        sequencer.SetGatingSequences(consumer);
        sequencer.Publish(0, sequencer.Next(4));
        consumer.SetValue(3);

        // Act: sequence 4 reuses slot 0.
        var reclaimed = sequencer.Next();
        var beforePublish = sequencer.IsAvailable(reclaimed);
        sequencer.Publish(reclaimed);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(reclaimed, Is.EqualTo(4));
            Assert.That(beforePublish, Is.False, "slot 0's marker of lap 0 must not pass for sequence 4");
            Assert.That(sequencer.IsAvailable(4), Is.True);
        });
    }

    [Test]
    public void ShouldWaitForTheGatingSequence_WhenNextIsCalledOnAFullRing()
    {
        // Arrange
        var sequencer = NewSequencer(4);
        var consumer = new Sequence();
        sequencer.SetGatingSequences(consumer);
        sequencer.Publish(0, sequencer.Next(4));
        long claimed = -1;
        long consumerWhenClaimed = -2;
        var producer = new Thread(() =>
        {
            claimed = sequencer.Next();
            consumerWhenClaimed = consumer.Value;
        });

        // Act
        producer.Start();
        consumer.SetValue(0);
        Await.Join(producer, "producer blocked in Next");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.EqualTo(4));
            Assert.That(consumerWhenClaimed, Is.GreaterThanOrEqualTo(0), "Next returned before the consumer freed the slot");
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(9)]
    public void ShouldThrow_WhenBatchSizeIsOutsideOneToRingSize(int n)
    {
        // Arrange
        var sequencer = NewSequencer(8);
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy(), Producer);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => sequencer.Next(n), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => sequencer.TryNext(n, out _), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => ring.Next(n), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => ring.TryNext(n, out _), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [TestCase(0)]
    [TestCase(-4)]
    [TestCase(3)]
    [TestCase(6)]
    [TestCase(1000)]
    public void ShouldThrow_WhenRingSizeIsNotAPositivePowerOfTwo(int size) =>
        Assert.That(() => new RingBuffer<StubEvent>(size, new YieldingWaitStrategy(), Producer), Throws.ArgumentException);

    [Test]
    public void ShouldNeverRefuse_WhenThereIsNoGatingSequence()
    {
        // Arrange
        var sequencer = NewSequencer(2);

        // Act
        var refused = 0;
        for (var i = 0; i < 10; i++)
        {
            if (!sequencer.TryNext(2, out var high))
            {
                refused++;
            }
            else
            {
                sequencer.Publish(high - 1, high);
            }
        }

        // Assert
        Assert.That(refused, Is.Zero);
    }

    [Test]
    public void ShouldNotAllocateOnEitherThread_WhenClaimingWritingPublishingAndConsuming()
    {
        // Arrange
        const long WarmUp = 20_000;
        const long Measured = 200_000;
        const long Total = WarmUp + Measured;
        var ring = new RingBuffer<StubEvent>(1024, new YieldingWaitStrategy(), Producer);
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, AllocationMeasuringHandler>(
            ring, ring.Sequencer.NewBarrier(), new AllocationMeasuringHandler(WarmUp - 1, Total - 1, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("consumer");
        long producerBytes;

        // Act: single claims, batch claims and TryNext claims.
        try
        {
            Support.Producer.Publish(ring, WarmUp);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Support.Producer.Publish(ring, Measured / 2);
            Support.Producer.PublishBatches(ring, Measured / 4, 8);
            PublishWithTryNext(ring, Measured / 4);
            producerBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "consumer");
        }

        // Assert
        var handler = processor.Handler;
        Assert.Multiple(() =>
        {
            Assert.That(producerBytes, Is.Zero, "bytes allocated on the producer thread");
            Assert.That(handler.StartBytes, Is.GreaterThanOrEqualTo(0), "warm-up mark reached");
            Assert.That(handler.EndBytes - handler.StartBytes, Is.Zero, "bytes allocated on the consumer thread");
            Assert.That(handler.Sum, Is.EqualTo(Total * (Total - 1) / 2));
        });
    }

    /// <summary>
    /// Property: replaying random operations (TryNext of 1..4 slots then publish, Next when there is room, consumer
    /// progress) against a model, a claim succeeds exactly when the model has room, returns the model's next
    /// sequence, never runs more than a ring ahead of the gating sequence, publishes exactly what was claimed, and
    /// remaining capacity always equals the model's.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property ShouldMatchTheModel_WhenReplayingRandomClaimsPublishesAndConsumerProgress()
    {
        var operation =
            from kind in Gen.Choose(0, 2)
            from n in Gen.Choose(1, 4)
            select (Kind: kind, N: n);
        var scenario =
            from sizeLog in Gen.Choose(2, 4)
            from ops in Gen.ListOf(operation)
            select (Size: 1 << sizeLog, Ops: ops.ToArray());
        return Prop.ForAll(scenario.ToArbitrary(), s => Replay(s.Size, s.Ops));
    }

    private bool Replay(int size, (int Kind, int N)[] operations)
    {
        var sequencer = NewSequencer(size);
        var consumer = new Sequence();
        sequencer.SetGatingSequences(consumer);
        long claimed = -1;
        foreach (var (kind, n) in operations)
        {
            var room = size - (claimed - consumer.Value);
            switch (kind)
            {
                case 0:
                    var ok = sequencer.TryNext(n, out var high);
                    if (ok != (n <= room) || (ok && high != claimed + n) || (!ok && high != -1))
                    {
                        return false;
                    }

                    if (ok)
                    {
                        sequencer.Publish(claimed + 1, high);
                        claimed = high;
                    }

                    break;
                case 1 when n <= room:
                    var next = sequencer.Next(n);
                    if (next != claimed + n)
                    {
                        return false;
                    }

                    sequencer.Publish(claimed + 1, next);
                    claimed = next;
                    break;
                default:
                    consumer.SetValue(Math.Min(claimed, consumer.Value + n));
                    break;
            }

            if (claimed - consumer.Value > size
                || sequencer.RemainingCapacity() != size - (claimed - consumer.Value)
                || (claimed >= 0 && (!sequencer.IsAvailable(claimed) || sequencer.GetHighestPublishedSequence(consumer.Value + 1, claimed) != claimed))
                || sequencer.IsAvailable(claimed + 1))
            {
                return false;
            }
        }

        return true;
    }

    private static void PublishWithTryNext(RingBuffer<StubEvent> ring, long count)
    {
        for (long i = 0; i < count; i++)
        {
            long sequence;
            while (!ring.TryNext(out sequence))
            {
                Thread.Yield();
            }

            ring[sequence].Value = sequence;
            ring.Publish(sequence);
        }
    }
}
