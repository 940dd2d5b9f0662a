using OptiFlow.Engine.Tests.Support;

namespace OptiFlow.Engine.Tests;

/// <summary>
/// The contract every <see cref="IWaitStrategy"/> keeps that can be tested without an unbounded spin: it returns at
/// once what is available, it honours dependents, and an alerted barrier makes a wait in progress return
/// <see cref="SequenceBarrier.AlertedSequence"/> promptly (checked from a thread joined with a bound). A timeout
/// strategy may return <see cref="SequenceBarrier.TimeoutSequence"/> meanwhile; <see cref="WaitAcrossTimeouts"/>
/// waits again, as a processor does.
/// </summary>
/// <typeparam name="T">The strategy.</typeparam>
public abstract class WaitStrategyFixture<T>
    where T : IWaitStrategy, new()
{
    /// <summary>Calls <see cref="SequenceBarrier.WaitFor"/> again while it reports a timeout (the caller's thread join bounds it).</summary>
    protected static long WaitAcrossTimeouts(SequenceBarrier barrier, long sequence)
    {
        long result;
        while ((result = barrier.WaitFor(sequence)) == SequenceBarrier.TimeoutSequence)
        {
        }

        return result;
    }

    [Test]
    public void ShouldReturnAvailableSequence_WhenAlreadyPublished()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(8, new T());
        sequencer.Publish(sequencer.Next(3));
        var barrier = sequencer.NewBarrier();
        long result = 0;

        // Act
        var waiter = new Thread(() => result = WaitAcrossTimeouts(barrier, 1));
        waiter.Start();
        Await.Join(waiter, "waiter");

        // Assert
        Assert.That(result, Is.EqualTo(2), "the highest available sequence, not only the one asked for");
    }

    [Test]
    public void ShouldStayBehindDependents_WhenCursorIsAhead()
    {
        // Arrange
        var sequencer = new SingleProducerSequencer(8, new T());
        sequencer.Publish(sequencer.Next(6));
        var upstream = new Sequence(2);
        var barrier = sequencer.NewBarrier(upstream);
        long result = 0;

        // Act
        var waiter = new Thread(() => result = WaitAcrossTimeouts(barrier, 1));
        waiter.Start();
        Await.Join(waiter, "waiter");

        // Assert
        Assert.That(result, Is.EqualTo(2));
    }

    [Test]
    public void ShouldReturnAlertedSequence_WhenBarrierIsAlertedWhileWaiting()
    {
        // Arrange
        var strategy = new T();
        var sequencer = new SingleProducerSequencer(8, strategy);
        var barrier = sequencer.NewBarrier();
        using var started = new ManualResetEventSlim();
        long result = 0;
        var waiter = new Thread(() =>
        {
            started.Set();
            result = WaitAcrossTimeouts(barrier, 0);
        });

        // Act
        waiter.Start();
        Await.Signal(started, "waiter start");
        barrier.Alert();
        Await.Join(waiter, "waiter on an alerted barrier");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(SequenceBarrier.AlertedSequence));
            Assert.That(barrier.IsAlerted, Is.True);
        });
    }

    [Test]
    public void ShouldReturnAlertedSequence_WhenStrategyIsCalledOnAnAlreadyAlertedBarrier()
    {
        // Arrange
        var strategy = new T();
        var sequencer = new SingleProducerSequencer(8, strategy);
        var barrier = sequencer.NewBarrier();
        barrier.Alert();
        long result = 0;

        // Act: call the strategy itself, bypassing the barrier's own alert check.
        var waiter = new Thread(() => result = strategy.WaitFor(0, barrier));
        waiter.Start();
        Await.Join(waiter, "waiter on an alerted barrier");
        barrier.ClearAlert();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(SequenceBarrier.AlertedSequence));
            Assert.That(barrier.IsAlerted, Is.False);
        });
    }
}
