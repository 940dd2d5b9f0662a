using OptiFlow.Engine;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>A diamond: two consumers in parallel, and a third that handles an event only after both have.</summary>
/// <remarks>
/// <code>
///                                 +--> A --+
///  +----------+   +------------+  |        |  barrier(A, B)   +---+
///  | producer |-->| ring (1024)|--+        +----------------> | D |
///  +----------+   +------------+  |        |                  +-+-+
///        ^                        +--> B --+                    |
///        +------------------------ gating: D -------------------+
/// </code>
/// Checked: A, B and D each sum 0 + 1 + … + (n − 1).
/// </remarks>
internal sealed class DiamondRingThroughputTest(long events) : IThroughputTest
{
    public string Topology => "Diamond.OneToTwoToOne";

    public string Implementation => "Ring";

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var ring = new RingBuffer<LongEvent>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy());
        using var doneA = new ManualResetEventSlim();
        using var doneB = new ManualResetEventSlim();
        using var doneD = new ManualResetEventSlim();
        var a = RingTestSupport.NewProcessor<LongEvent, LongEventAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, doneA);
        var b = RingTestSupport.NewProcessor<LongEvent, LongEventAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, doneB);
        var d = RingTestSupport.NewProcessor<LongEvent, LongEventAccessor>(ring, ring.Sequencer.NewBarrier(a.Sequence, b.Sequence), count - 1, doneD);
        ring.Sequencer.SetGatingSequences(d.Sequence);
        a.Start("A", plan.CpuFor(1));
        b.Start("B", plan.CpuFor(2));
        d.Start("D", plan.CpuFor(3));
        var seconds = Timing.Run(plan, 0, [() => RingTestSupport.Produce<LongEvent, LongEventAccessor>(ring, count)], doneA, doneB, doneD);
        RingTestSupport.Halt(a, b, d);
        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        var expected = RingTestSupport.SumTo(count);
        return new ThroughputRun(
            count,
            seconds.Value,
            (a.Handler.MeanBatchSize + b.Handler.MeanBatchSize + d.Handler.MeanBatchSize) / 3,
            ThroughputRun.Combine(
                ThroughputRun.CheckSum("A", a.Handler.Sum, expected),
                ThroughputRun.CheckSum("B", b.Handler.Sum, expected),
                ThroughputRun.CheckSum("D", d.Handler.Sum, expected)));
    }
}
