using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class BatchEventProcessorTests
{
    [Test]
    public void ShouldRecordFaultAndContinue_WhenHandlerThrows()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, ThrowingHandler>(ring, ring.Sequencer.NewBarrier(), new ThrowingHandler(5, 9, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("faulty");

        // Act
        try
        {
            Producer.Publish(ring, 10);
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "faulty");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.FaultCount, Is.EqualTo(1));
            Assert.That(processor.Faults, Has.Count.EqualTo(1));
            Assert.That(processor.Faults[0].Sequence, Is.EqualTo(5));
            Assert.That(processor.Faults[0].Exception, Is.TypeOf<InvalidOperationException>().With.Message.EqualTo("bad event 5"));
            Assert.That(processor.Handler.Handled, Is.EqualTo(9), "every other event is still handled");
            Assert.That(processor.Handler.LastSeen, Is.EqualTo(9));
            Assert.That(processor.Sequence.Value, Is.EqualTo(9));
        });
    }

    [Test]
    public void ShouldRecordAtMostSixteenFaults_WhenEveryEventThrows()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(64, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, ThrowingHandler>(ring, ring.Sequencer.NewBarrier(), new ThrowingHandler(0, 39, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("faulty");

        // Act: every slot holds 0, so every event throws.
        try
        {
            for (var i = 0; i < 40; i++)
            {
                ring.Publish(ring.Next());
            }

            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "faulty");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.FaultCount, Is.EqualTo(40));
            Assert.That(processor.Faults.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(0, 16).Select(i => (long)i)));
            Assert.That(processor.Sequence.Value, Is.EqualTo(39));
        });
    }

    [Test]
    public void ShouldHandlePublishedEvents_WhenRunOnTheCurrentThread()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(9, done));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 10);
        var halter = new Thread(() =>
        {
            if (done.Wait(Await.Timeout))
            {
                processor.Halt();
            }
        });

        // Act
        halter.Start();
        var runner = new Thread(processor.RunOnCurrentThread);
        runner.Start();
        Await.Join(halter, "halter");
        Await.Join(runner, "RunOnCurrentThread");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.Handler.Count, Is.EqualTo(10));
            Assert.That(processor.Handler.OrderErrors + processor.Handler.ValueErrors + processor.Handler.BatchErrors, Is.Zero);
            Assert.That(processor.Handler.Shutdowns, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldThrow_WhenStartedTwice()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));
        processor.Start("once");

        // Act / Assert
        try
        {
            Assert.That(() => processor.Start("twice"), Throws.InvalidOperationException);
        }
        finally
        {
            Await.Halt(processor, "once");
        }
    }

    [Test]
    public void ShouldThrowCpuAffinityException_WhenStartedOnACpuOutsideTheMask()
    {
        // Arrange
        Assume.That(OperatingSystem.IsLinux(), "CPU pinning is Linux-only");
        Assume.That(CpuAffinity.GetAllowedCpus(), Does.Not.Contain(1023));
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => processor.Start("pinned", 1023), Throws.TypeOf<CpuAffinityException>().With.Message.Contains("1023"));
            Assert.That(processor.IsRunning, Is.False);
            Assert.That(processor.Handler.Starts, Is.Zero, "the handler never ran");
        });
    }

    [Test]
    public void ShouldSplitBatchesAtMaxBatchSize_WhenTheConsumerStartsARingBehind()
    {
        // Arrange: a full 16-slot ring published before the consumer starts.
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(15, done))
        {
            MaxBatchSize = 4,
        };
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        Producer.Publish(ring, 16);

        // Act
        processor.Start("limited");
        try
        {
            Await.Signal(done, "the last event");
        }
        finally
        {
            Await.Halt(processor, "limited");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(processor.Handler.Batches, Is.EqualTo(4), "16 available events in batches of 4");
            Assert.That(processor.Handler.BatchErrors + processor.Handler.OrderErrors + processor.Handler.ValueErrors, Is.Zero);
            Assert.That(processor.Handler.Count, Is.EqualTo(16));
        });
    }

    [Test]
    public void ShouldThrow_WhenMaxBatchSizeIsBelowOne()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy());
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, CheckingHandler>(ring, ring.Sequencer.NewBarrier(), new CheckingHandler(0, done));

        // Act / Assert
        Assert.That(() => processor.MaxBatchSize = 0, Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
