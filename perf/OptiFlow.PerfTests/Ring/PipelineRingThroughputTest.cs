using OptiFlow.Engine;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>
/// A pipeline on one ring: the second consumer (gateway) handles an event only after the first (core) has.
/// </summary>
/// <remarks>
/// <code>
///  +----------+     +------------+     +------------+  barrier(core)  +---------------+
///  | producer | --> | ring (1024)| --> |  C1 (core) | --------------> | C2 (gateway)  |
///  +----------+     +------------+     +------------+                 +-------+-------+
///        ^                                                                    |
///        +---------------------------- gating: C2 ----------------------------+
/// </code>
/// Checked: both sums are 0 + 1 + … + (n − 1).
/// </remarks>
internal sealed class PipelineRingThroughputTest(long events) : IThroughputTest
{
    public string Topology => "Pipeline.OneToOneToOne";

    public string Implementation => "Ring";

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var ring = new RingBuffer<LongEvent>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy());
        using var doneCore = new ManualResetEventSlim();
        using var doneGateway = new ManualResetEventSlim();
        var core = RingTestSupport.NewProcessor<LongEvent, LongEventAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, doneCore);
        var gateway = RingTestSupport.NewProcessor<LongEvent, LongEventAccessor>(ring, ring.Sequencer.NewBarrier(core.Sequence), count - 1, doneGateway);
        ring.Sequencer.SetGatingSequences(gateway.Sequence);
        core.Start("core", plan.CpuFor(1));
        gateway.Start("gateway", plan.CpuFor(2));
        var seconds = Timing.Run(plan, 0, [() => RingTestSupport.Produce<LongEvent, LongEventAccessor>(ring, count)], doneCore, doneGateway);
        RingTestSupport.Halt(core, gateway);
        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        var expected = RingTestSupport.SumTo(count);
        return new ThroughputRun(
            count,
            seconds.Value,
            (core.Handler.MeanBatchSize + gateway.Handler.MeanBatchSize) / 2,
            ThroughputRun.Combine(
                ThroughputRun.CheckSum("core", core.Handler.Sum, expected),
                ThroughputRun.CheckSum("gateway", gateway.Handler.Sum, expected)));
    }
}
