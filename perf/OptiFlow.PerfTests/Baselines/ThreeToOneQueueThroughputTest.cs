using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Ring;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>Baseline of <see cref="ThreeToOneRingThroughputTest"/>: three producers write one queue (not single-writer).</summary>
/// <remarks>
/// <code>
///  P1 --+
///  P2 --+--> queue (capacity 1024, multi-writer, single reader) --> consumer
///  P3 --+
/// </code>
/// Checked: the consumer's sum is 3 × (0 + … + (n/3 − 1)).
/// </remarks>
internal sealed class ThreeToOneQueueThroughputTest<TQueue>(long events) : IThroughputTest
    where TQueue : struct, IBaselineQueue<LongEvent, TQueue>
{
    private const int Producers = 3;

    public string Topology => "ThreeToOne.Long";

    public string Implementation => TQueue.Name;

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var perProducer = count / Producers;
        count = perProducer * Producers;
        var queue = TQueue.Create(RingTestSupport.BufferSize, singleReader: true, singleWriter: false);
        using var done = new ManualResetEventSlim();
        var consumer = new QueueConsumer<LongEvent, LongEventAccessor, TQueue>(queue, count, done);
        var consumerThread = plan.Start(Producers, "consumer", consumer.Run);
        var producers = new Action[Producers];
        for (var p = 0; p < Producers; p++)
        {
            producers[p] = () => QueueProducer.Produce<LongEvent, LongEventAccessor, TQueue>([queue], perProducer);
        }

        var seconds = Timing.Run(plan, 0, producers, done);
        consumerThread.Join(Timing.RunTimeout);
        return seconds is null
            ? Timing.TimedOut(count)
            : new ThroughputRun(count, seconds.Value, 0, ThroughputRun.CheckSum("consumer", consumer.Sum, Producers * RingTestSupport.SumTo(perProducer)));
    }
}
