using OptiFlow.Engine;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>
/// One producer, one consumer, through the ring (single-producer sequencer), one claim per event or batched claims.
/// </summary>
/// <remarks>
/// <code>
///  +----------+  Next/Publish   +-----------------+  WaitFor (barrier)  +-------------------+
///  | producer | --------------> | ring (1024 slots)| -----------------> | BatchEventProcessor|
///  +----------+                 +-----------------+                    |  (sums values)     |
///        ^                                                             +---------+---------+
///        +------------------------- gating: consumer sequence --------------------+
/// </code>
/// Checked: the consumer's sum is 0 + 1 + … + (n − 1).
/// </remarks>
internal sealed class OneToOneRingThroughputTest<T, TAccessor>(int batch, long events) : IThroughputTest
    where T : unmanaged
    where TAccessor : struct, IEventAccessor<T>
{
    public string Topology => batch == 1 ? $"OneToOne.{TAccessor.EventName}" : $"OneToOne.{TAccessor.EventName}.Batch{batch}";

    public string Implementation => "Ring";

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        count -= count % batch;
        var ring = new RingBuffer<T>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy());
        using var done = new ManualResetEventSlim();
        var consumer = RingTestSupport.NewProcessor<T, TAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, done);
        ring.Sequencer.SetGatingSequences(consumer.Sequence);
        consumer.Start("consumer", plan.CpuFor(1));
        Action produce = batch == 1
            ? () => RingTestSupport.Produce<T, TAccessor>(ring, count)
            : () => RingTestSupport.ProduceBatched<T, TAccessor>(ring, count, batch);
        var seconds = Timing.Run(plan, 0, [produce], done);
        RingTestSupport.Halt(consumer);
        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        ref var handler = ref consumer.Handler;
        return new ThroughputRun(count, seconds.Value, handler.MeanBatchSize, ThroughputRun.CheckSum("consumer", handler.Sum, RingTestSupport.SumTo(count)));
    }
}
