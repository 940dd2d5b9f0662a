using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Ring;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>Baseline of <see cref="OneToOneRingThroughputTest{T, TAccessor}"/>: one producer, one consumer, one queue of the ring's capacity.</summary>
/// <remarks>
/// <code>
///  +----------+  TryWrite (spin)  +------------------------+  TryRead (spin)  +----------+
///  | producer | ----------------> | queue (capacity 1024)  | ---------------> | consumer |
///  +----------+                   +------------------------+                  +----------+
/// </code>
/// Checked: the consumer's sum is 0 + 1 + … + (n − 1). The batched ring topologies are compared with this same figure
/// (a channel has no batch claim).
/// </remarks>
internal sealed class OneToOneQueueThroughputTest<T, TAccessor, TQueue>(long events) : IThroughputTest
    where T : struct
    where TAccessor : struct, IEventAccessor<T>
    where TQueue : struct, IBaselineQueue<T, TQueue>
{
    public string Topology => $"OneToOne.{TAccessor.EventName}";

    public string Implementation => TQueue.Name;

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var queue = TQueue.Create(RingTestSupport.BufferSize, singleReader: true, singleWriter: true);
        using var done = new ManualResetEventSlim();
        var consumer = new QueueConsumer<T, TAccessor, TQueue>(queue, count, done);
        var consumerThread = plan.Start(1, "consumer", consumer.Run);
        var seconds = Timing.Run(plan, 0, [() => QueueProducer.Produce<T, TAccessor, TQueue>([queue], count)], done);
        consumerThread.Join(Timing.RunTimeout);
        return seconds is null
            ? Timing.TimedOut(count)
            : new ThroughputRun(count, seconds.Value, 0, ThroughputRun.CheckSum("consumer", consumer.Sum, RingTestSupport.SumTo(count)));
    }
}
