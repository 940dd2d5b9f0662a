using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Ring;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>Baseline of <see cref="DiamondRingThroughputTest"/>: A and B each forward into their own queue; D reads one item from each per event.</summary>
/// <remarks>
/// <code>
///                   +--> qA --> A --> qAD --+
///  +----------+     |                       +--> D (reads qAD and qBD in step)
///  | producer | ----+--> qB --> B --> qBD --+
///  +----------+
/// </code>
/// Checked: A, B and D each sum 0 + 1 + … + (n − 1).
/// </remarks>
internal sealed class DiamondQueueThroughputTest<TQueue>(long events) : IThroughputTest
    where TQueue : struct, IBaselineQueue<LongEvent, TQueue>
{
    public string Topology => "Diamond.OneToTwoToOne";

    public string Implementation => TQueue.Name;

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var qa = TQueue.Create(RingTestSupport.BufferSize, true, true);
        var qb = TQueue.Create(RingTestSupport.BufferSize, true, true);
        var qad = TQueue.Create(RingTestSupport.BufferSize, true, true);
        var qbd = TQueue.Create(RingTestSupport.BufferSize, true, true);
        using var doneA = new ManualResetEventSlim();
        using var doneB = new ManualResetEventSlim();
        using var doneD = new ManualResetEventSlim();
        var a = new QueueConsumer<LongEvent, LongEventAccessor, TQueue>(qa, count, doneA);
        var b = new QueueConsumer<LongEvent, LongEventAccessor, TQueue>(qb, count, doneB);
        long sumD = 0;
        long mismatches = 0;
        var threadA = plan.Start(1, "A", () => a.RunForwarding([qad]));
        var threadB = plan.Start(2, "B", () => b.RunForwarding([qbd]));
        var threadD = plan.Start(3, "D", () =>
        {
            for (long i = 0; i < count; i++)
            {
                var fromA = Spin.Read<LongEvent, TQueue>(qad);
                var fromB = Spin.Read<LongEvent, TQueue>(qbd);
                if (fromA.Value != fromB.Value)
                {
                    mismatches++;
                }

                sumD += fromA.Value;
            }

            doneD.Set();
        });
        var seconds = Timing.Run(plan, 0, [() => QueueProducer.Produce<LongEvent, LongEventAccessor, TQueue>([qa, qb], count)], doneA, doneB, doneD);
        threadA.Join(Timing.RunTimeout);
        threadB.Join(Timing.RunTimeout);
        threadD.Join(Timing.RunTimeout);
        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        var expected = RingTestSupport.SumTo(count);
        return new ThroughputRun(count, seconds.Value, 0, ThroughputRun.Combine(
            ThroughputRun.CheckSum("A", a.Sum, expected),
            ThroughputRun.CheckSum("B", b.Sum, expected),
            ThroughputRun.CheckSum("D", sumD, expected),
            mismatches == 0 ? null : $"D saw {mismatches} pairs out of step"));
    }
}
