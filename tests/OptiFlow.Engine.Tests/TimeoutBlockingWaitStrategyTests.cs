using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class TimeoutBlockingWaitStrategyTests : ConsumerWaitStrategyFixture<TimeoutBlockingWaitStrategy>
{
    [Test]
    public void ShouldReportBlocking_WhenAskedIfBlocking() => Assert.That(new TimeoutBlockingWaitStrategy().IsBlocking, Is.True);

    [Test]
    public void ShouldReturnTimeoutSequence_WhenNothingIsPublishedWithinTheTimeout()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(8, new TimeoutBlockingWaitStrategy(TimeSpan.FromMilliseconds(1)));
        var barrier = sequencer.NewBarrier();
        long result = 0;

        // Act
        var waiter = new Thread(() => result = barrier.WaitFor(0));
        waiter.Start();
        Await.Join(waiter, "waiter on an empty ring");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(SequenceBarrier.TimeoutSequence), "a distinct result, not an exception");
            Assert.That(barrier.IsAlerted, Is.False);
        });
    }

    [Test]
    public void ShouldReturnTimeoutSequence_WhenADependentDoesNotMoveWithinTheTimeout()
    {
        // Arrange: the cursor is ahead, the upstream consumer is not.
        var sequencer = new SingleProducerSequencer(8, new TimeoutBlockingWaitStrategy(TimeSpan.FromMilliseconds(1)));
        sequencer.Publish(sequencer.Next(4));
        var barrier = sequencer.NewBarrier(new Sequence());
        long result = 0;

        // Act
        var waiter = new Thread(() => result = barrier.WaitFor(0));
        waiter.Start();
        Await.Join(waiter, "waiter behind a still dependent");

        // Assert
        Assert.That(result, Is.EqualTo(SequenceBarrier.TimeoutSequence));
    }

    [Test]
    public void ShouldCountTimeoutsAndKeepRunning_WhenAProcessorWaitsOnAQuietRing()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(8, new TimeoutBlockingWaitStrategy(TimeSpan.FromMilliseconds(1)));
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("quiet");

        // Act: wait (bounded) until a timeout was counted, then publish one event.
        try
        {
            var deadline = DateTime.UtcNow + Await.Timeout;
            while (processor.TimeoutCount == 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1);
            }

            Producer.Publish(ring, 1);
            Await.Signal(done, "the event published after timeouts");
        }
        finally
        {
            Await.Halt(processor, "quiet");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.TimeoutCount, Is.GreaterThan(0));
            Assert.That(processor.Handler.Count, Is.EqualTo(1));
            Assert.That(processor.FaultCount, Is.Zero);
        });
    }

    [Test]
    public void ShouldThrow_WhenTimeoutIsNotPositive() =>
        Assert.That(() => new TimeoutBlockingWaitStrategy(TimeSpan.Zero), Throws.TypeOf<ArgumentOutOfRangeException>());
}
