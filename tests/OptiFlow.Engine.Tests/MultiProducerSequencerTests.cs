using System.Reflection;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class MultiProducerSequencerTests : SequencerFixture<MultiProducerSequencer>
{
    protected override ProducerType Producer => ProducerType.Multi;

    [Test]
    public void ShouldMoveTheCursorOnClaim_WhileSlotsStayUnavailableUntilPublished()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer(8, new YieldingWaitStrategy());

        // Act: claims 0..2, publishes 0 and 2 only.
        var high = sequencer.Next(3);
        sequencer.Publish(0);
        sequencer.Publish(2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(sequencer.Cursor.Value, Is.EqualTo(high).And.EqualTo(2), "the cursor is the highest claimed");
            Assert.That(sequencer.GetHighestPublishedSequence(0, 2), Is.Zero, "stops before the hole at 1");
            Assert.That(sequencer.GetHighestPublishedSequence(1, 2), Is.Zero, "nothing from 1 on");
            Assert.That(sequencer.GetHighestPublishedSequence(2, 2), Is.EqualTo(2));
        });
    }

    [Test]
    public void ShouldPadTheAvailabilityArray_WhenCreated()
    {
        // Act
        var sequencer = new MultiProducerSequencer(16, new YieldingWaitStrategy());
        var markers = (int[])typeof(MultiProducerSequencer).GetField("_available", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(sequencer)!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(MultiProducerSequencer.AvailabilityPadding * sizeof(int), Is.EqualTo(128));
            Assert.That(markers, Has.Length.EqualTo(16 + (2 * MultiProducerSequencer.AvailabilityPadding)));
            Assert.That(markers, Is.All.EqualTo(-1), "no slot is available before the first lap");
        });
    }

    [Test]
    public void ShouldHandOutOnlyPublishedSlots_WhenAnEarlierClaimIsPublishedLast()
    {
        // Arrange: producer A claims 0, producer B claims 1 and publishes it first.
        var ring = new RingBuffer<StubEvent>(8, new BlockingWaitStrategy(), ProducerType.Multi);
        var barrier = ring.Sequencer.NewBarrier();
        var a = ring.Next();
        var b = ring.Next();
        ring[b].Value = 2;
        ring.Publish(b);
        long available = -1;
        long seenInSlot0 = -1;
        var consumer = new Thread(() =>
        {
            available = barrier.WaitFor(0);
            seenInSlot0 = ring[0].Value;
        });

        // Act
        consumer.Start();
        ring[a].Value = 1;
        ring.Publish(a);
        Await.Join(consumer, "consumer waiting for the earlier claim");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(available, Is.EqualTo(1), "both slots once the hole is filled");
            Assert.That(seenInSlot0, Is.EqualTo(1), "slot 0 read only after its producer wrote and published it");
        });
    }

    [Test]
    public void ShouldStopPromptly_WhenAlertedWhileWaitingForAClaimedSlot()
    {
        // Arrange: sequence 0 is claimed and never published.
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy(), ProducerType.Multi);
        var barrier = ring.Sequencer.NewBarrier();
        _ = ring.Next();
        using var started = new ManualResetEventSlim();
        long result = 0;
        var consumer = new Thread(() =>
        {
            started.Set();
            result = barrier.WaitFor(0);
        });

        // Act
        consumer.Start();
        Await.Signal(started, "consumer start");
        barrier.Alert();
        Await.Join(consumer, "consumer on an alerted barrier");

        // Assert
        Assert.That(result, Is.EqualTo(SequenceBarrier.AlertedSequence));
    }

    [TestCase(typeof(YieldingWaitStrategy))]
    [TestCase(typeof(BlockingWaitStrategy))]
    [Category("Stress")]
    public void ShouldDeliverEveryEventOncePerProducerInOrder_WhenThreeProducersClaimWithTryNext(Type strategy)
    {
        // Arrange
        const int Producers = 3;
        const long PerProducer = 100_000;
        var ring = new RingBuffer<StubEvent>(32, (IWaitStrategy)Activator.CreateInstance(strategy)!, ProducerType.Multi);
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, ProducerOrderHandler>(
            ring, ring.Sequencer.NewBarrier(), new ProducerOrderHandler(Producers, (Producers * PerProducer) - 1, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("consumer");
        var producers = Enumerable.Range(0, Producers)
            .Select(p => new Thread(() =>
            {
                if (p == 0)
                {
                    Support.Producer.PublishTagged(ring, p, PerProducer);
                }
                else
                {
                    Support.Producer.TryPublishTagged(ring, p, PerProducer);
                }
            }))
            .ToArray();

        // Act
        try
        {
            Await.StartAndJoin(producers, "producer");

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
            Assert.That(handler.Count, Is.EqualTo(Producers * PerProducer));
            Assert.That(handler.OrderErrors, Is.Zero);
            Assert.That(handler.SequenceErrors, Is.Zero);
            Assert.That(handler.NextPerProducer, Is.All.EqualTo(PerProducer));
            Assert.That(processor.FaultCount, Is.Zero);
        });
    }

    [Test]
    public void ShouldDeliverEveryProducersEventsInOrderToBoth_WhenABlockingAndAYieldingConsumerShareTheRing()
    {
        // Arrange: three producers on a 64-slot ring whose default does not block; one consumer parks (blocking),
        // the other yields; both gate the producers.
        const int Producers = 3;
        const long PerProducer = 30_000;
        const long Last = (Producers * PerProducer) - 1;
        var ring = new RingBuffer<StubEvent>(64, new YieldingWaitStrategy(), ProducerType.Multi);
        using var blockingDone = new ManualResetEventSlim();
        using var yieldingDone = new ManualResetEventSlim();
        using var blocking = new BatchEventProcessor<StubEvent, ProducerOrderHandler>(
            ring, ring.Sequencer.NewBarrier(new BlockingWaitStrategy()), new ProducerOrderHandler(Producers, Last, blockingDone));
        using var yielding = new BatchEventProcessor<StubEvent, ProducerOrderHandler>(
            ring, ring.Sequencer.NewBarrier(new YieldingWaitStrategy()), new ProducerOrderHandler(Producers, Last, yieldingDone));
        ring.Sequencer.SetGatingSequences(blocking.Sequence, yielding.Sequence);
        blocking.Start("blocking");
        yielding.Start("yielding");
        var producers = Enumerable.Range(0, Producers).Select(p => new Thread(() => Support.Producer.PublishTagged(ring, p, PerProducer)) { IsBackground = true }).ToArray();

        // Act
        try
        {
            Await.StartAndJoin(producers, "producer");
            Await.Signal(blockingDone, "the blocking consumer's last event");
            Await.Signal(yieldingDone, "the yielding consumer's last event");
        }
        finally
        {
            blocking.Halt();
            yielding.Halt();
            Await.Halt(blocking, "blocking");
            Await.Halt(yielding, "yielding");
        }

        // Assert
        var b = blocking.Handler;
        var y = yielding.Handler;
        Assert.Multiple(() =>
        {
            foreach (var (name, handler) in new[] { ("blocking", b), ("yielding", y) })
            {
                Assert.That(handler.Count, Is.EqualTo(Producers * PerProducer), $"events delivered ({name})");
                Assert.That(handler.OrderErrors, Is.Zero, $"a producer's events out of its own order ({name})");
                Assert.That(handler.SequenceErrors, Is.Zero, $"ring sequences not contiguous ({name})");
                Assert.That(handler.NextPerProducer, Is.All.EqualTo(PerProducer), $"every producer's last event seen ({name})");
            }
        });
    }
}
