using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class SingleProducerSequencerTests
{
    [Test]
    public void ShouldClaimConsecutiveSequences_WhenCallingNextAndNextN()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(8, new YieldingWaitStrategy());
        sequencer.SetGatingSequences(new Sequence());

        // Act
        var first = sequencer.Next();
        var second = sequencer.Next();
        var batchHigh = sequencer.Next(3);
        var cursorBeforePublish = sequencer.Cursor.Value;
        sequencer.Publish(first, batchHigh);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Zero);
            Assert.That(second, Is.EqualTo(1));
            Assert.That(batchHigh, Is.EqualTo(4));
            Assert.That(cursorBeforePublish, Is.EqualTo(Sequence.InitialValue), "claiming does not publish");
            Assert.That(sequencer.Cursor.Value, Is.EqualTo(4));
            Assert.That(sequencer.RemainingCapacity(), Is.EqualTo(3));
            Assert.That(sequencer.BufferSize, Is.EqualTo(8));
        });
    }

    [Test]
    public void ShouldFailTryNext_WhenRingIsFullAgainstAStillGatingSequence()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(4, new YieldingWaitStrategy());
        var consumer = new Sequence();
        sequencer.SetGatingSequences(consumer);
        var claimed = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            Assert.That(sequencer.TryNext(1, out var s), Is.True, $"claim {i} of an empty ring");
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
    public void ShouldWaitForTheGatingSequence_WhenNextIsCalledOnAFullRing()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(4, new YieldingWaitStrategy());
        var consumer = new Sequence();
        sequencer.SetGatingSequences(consumer);
        sequencer.Publish(sequencer.Next(4));
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
        var sequencer = new SingleProducerSequencer(8, new YieldingWaitStrategy());

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => sequencer.Next(n), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => sequencer.TryNext(n, out _), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [TestCase(0)]
    [TestCase(-4)]
    [TestCase(3)]
    [TestCase(6)]
    [TestCase(1000)]
    public void ShouldThrow_WhenRingSizeIsNotAPositivePowerOfTwo(int size)
    {
        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => new SingleProducerSequencer(size, new YieldingWaitStrategy()), Throws.ArgumentException);
            Assert.That(() => new RingBuffer<StubEvent>(size, new YieldingWaitStrategy()), Throws.ArgumentException);
        });
    }

    [Test]
    public void ShouldNeverRefuse_WhenThereIsNoGatingSequence()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(2, new YieldingWaitStrategy());

        // Act
        var refused = 0;
        for (var i = 0; i < 10; i++)
        {
            if (!sequencer.TryNext(2, out _))
            {
                refused++;
            }
        }

        // Assert
        Assert.That(refused, Is.Zero);
    }
}
