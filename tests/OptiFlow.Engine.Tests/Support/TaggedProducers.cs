using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>
/// Several producer threads publishing tagged events (<see cref="Producer.PublishTagged"/>) on a 64-slot
/// multi-producer ring, read by one <see cref="ProducerOrderHandler"/> processor; then asserts that every producer's
/// events arrived once each and in its own order.
/// </summary>
internal static class TaggedProducers
{
    /// <summary>Runs the scenario to its last event and asserts delivery; returns the processor's linger count.</summary>
    /// <param name="waitStrategy">The consumer's wait strategy.</param>
    /// <param name="producers">Producer threads.</param>
    /// <param name="perProducer">Events each producer publishes.</param>
    /// <param name="configure">Wiring applied to the processor before it starts (a linger, say).</param>
    public static long RunAndAssertDelivered(IWaitStrategy waitStrategy, int producers, long perProducer, Action<BatchEventProcessor<StubEvent, ProducerOrderHandler>> configure)
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(64, waitStrategy, ProducerType.Multi);
        using var done = new ManualResetEventSlim();
        using var processor = new BatchEventProcessor<StubEvent, ProducerOrderHandler>(
            ring, ring.Sequencer.NewBarrier(), new ProducerOrderHandler(producers, (producers * perProducer) - 1, done));
        configure(processor);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("consumer");
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() => Producer.PublishTagged(ring, p, perProducer))).ToArray();

        // Act
        try
        {
            Await.StartAndJoin(threads, "producer");
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
            Assert.That(handler.Count, Is.EqualTo(producers * perProducer), "events delivered");
            Assert.That(handler.OrderErrors, Is.Zero, "a producer's events out of its own order (loss, duplication or overwrite)");
            Assert.That(handler.SequenceErrors, Is.Zero, "ring sequences not contiguous");
            Assert.That(handler.NextPerProducer, Is.All.EqualTo(perProducer), "every producer's last event seen");
        });
        return processor.LingerCount;
    }
}
