using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Ring;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>Baseline of <see cref="OneToManyRingThroughputTest"/>: the producer writes every event into one queue per consumer.</summary>
/// <remarks>
/// <code>
///                   +--> queue 1 --> C1
///  +----------+     |
///  | producer | ----+--> queue 2 --> C2
///  +----------+     |
///                   +--> queue 3 --> C3   (K = 3)
/// </code>
/// Checked: every consumer's sum is 0 + 1 + … + (n − 1).
/// </remarks>
internal sealed class OneToManyQueueThroughputTest<TQueue>(int consumers, long events) : IThroughputTest
    where TQueue : struct, IBaselineQueue<LongEvent, TQueue>
{
    public string Topology => consumers == 2 ? "CoreJournal.OneToTwo" : $"Multicast.OneTo{consumers}";

    public string Implementation => TQueue.Name;

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var queues = new TQueue[consumers];
        var done = new ManualResetEventSlim[consumers];
        var readers = new QueueConsumer<LongEvent, LongEventAccessor, TQueue>[consumers];
        var threads = new Thread[consumers];
        for (var i = 0; i < consumers; i++)
        {
            queues[i] = TQueue.Create(RingTestSupport.BufferSize, singleReader: true, singleWriter: true);
            done[i] = new ManualResetEventSlim();
            readers[i] = new QueueConsumer<LongEvent, LongEventAccessor, TQueue>(queues[i], count, done[i]);
            threads[i] = plan.Start(1 + i, $"consumer-{i}", readers[i].Run);
        }

        var seconds = Timing.Run(plan, 0, [() => QueueProducer.Produce<LongEvent, LongEventAccessor, TQueue>(queues, count)], done);
        foreach (var thread in threads)
        {
            thread.Join(Timing.RunTimeout);
        }

        foreach (var signal in done)
        {
            signal.Dispose();
        }

        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        return new ThroughputRun(count, seconds.Value, 0,
            ThroughputRun.Combine([.. readers.Select((r, i) => ThroughputRun.CheckSum($"consumer {i}", r.Sum, RingTestSupport.SumTo(count)))]));
    }
}
