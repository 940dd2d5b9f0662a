using OptiFlow.Engine;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>Three producers, one consumer, through the multi-producer sequencer.</summary>
/// <remarks>
/// <code>
///  +----+
///  | P1 | --+
///  +----+   |  Next (atomic add)   +---------------------------+   barrier: cursor +   +----------+
///  | P2 | --+--------------------> | ring (1024, multi-producer)| -- availability ----> | consumer |
///  +----+   |  Publish (marker)    +---------------------------+      markers          +----+-----+
///  | P3 | --+                                 ^                                             |
///  +----+                                     +--------------- gating: consumer ------------+
/// </code>
/// Each producer publishes values 0..n/3 − 1. Checked: the consumer's sum is 3 × (0 + … + (n/3 − 1)).
/// </remarks>
internal sealed class ThreeToOneRingThroughputTest(long events) : IThroughputTest
{
    private const int Producers = 3;

    public string Topology => "ThreeToOne.Long";

    public string Implementation => "Ring";

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var perProducer = count / Producers;
        count = perProducer * Producers;
        var ring = new RingBuffer<LongEvent>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy(), ProducerType.Multi);
        using var done = new ManualResetEventSlim();
        var consumer = RingTestSupport.NewProcessor<LongEvent, LongEventAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, done);
        ring.Sequencer.SetGatingSequences(consumer.Sequence);
        consumer.Start("consumer", plan.CpuFor(Producers));
        var producers = new Action[Producers];
        for (var p = 0; p < Producers; p++)
        {
            producers[p] = () => RingTestSupport.Produce<LongEvent, LongEventAccessor>(ring, perProducer);
        }

        var seconds = Timing.Run(plan, 0, producers, done);
        RingTestSupport.Halt(consumer);
        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        ref var handler = ref consumer.Handler;
        return new ThroughputRun(count, seconds.Value, handler.MeanBatchSize,
            ThroughputRun.CheckSum("consumer", handler.Sum, Producers * RingTestSupport.SumTo(perProducer)));
    }
}
