using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Ring;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>Baseline of <see cref="PipelineRingThroughputTest"/>: two queues in series.</summary>
/// <remarks>
/// <code>
///  +----------+     +---------+     +-----------+     +---------+     +--------------+
///  | producer | --> | queue 1 | --> | C1 (core) | --> | queue 2 | --> | C2 (gateway) |
///  +----------+     +---------+     +-----------+     +---------+     +--------------+
/// </code>
/// Checked: both sums are 0 + 1 + … + (n − 1).
/// </remarks>
internal sealed class PipelineQueueThroughputTest<TQueue>(long events) : IThroughputTest
    where TQueue : struct, IBaselineQueue<LongEvent, TQueue>
{
    public string Topology => "Pipeline.OneToOneToOne";

    public string Implementation => TQueue.Name;

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var first = TQueue.Create(RingTestSupport.BufferSize, true, true);
        var second = TQueue.Create(RingTestSupport.BufferSize, true, true);
        using var doneCore = new ManualResetEventSlim();
        using var doneGateway = new ManualResetEventSlim();
        var core = new QueueConsumer<LongEvent, LongEventAccessor, TQueue>(first, count, doneCore);
        var gateway = new QueueConsumer<LongEvent, LongEventAccessor, TQueue>(second, count, doneGateway);
        var coreThread = plan.Start(1, "core", () => core.RunForwarding([second]));
        var gatewayThread = plan.Start(2, "gateway", gateway.Run);
        var seconds = Timing.Run(plan, 0, [() => QueueProducer.Produce<LongEvent, LongEventAccessor, TQueue>([first], count)], doneCore, doneGateway);
        coreThread.Join(Timing.RunTimeout);
        gatewayThread.Join(Timing.RunTimeout);
        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        var expected = RingTestSupport.SumTo(count);
        return new ThroughputRun(count, seconds.Value, 0,
            ThroughputRun.Combine(ThroughputRun.CheckSum("core", core.Sum, expected), ThroughputRun.CheckSum("gateway", gateway.Sum, expected)));
    }
}
