using System.Diagnostics;
using OptiFlow.Engine.Telemetry;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Ring;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>Baseline of <see cref="PingPongRingLatencyTest"/>: two queues, one value in flight.</summary>
/// <remarks>
/// <code>
///  +--------+  ping queue (TryWrite)    +--------+
///  | pinger | ------------------------> | ponger |
///  |        | &lt;------------------------ |        |
///  +--------+  pong queue (TryRead spin)+--------+
/// </code>
/// Checked: every pong carries the value of its ping.
/// </remarks>
internal sealed class PingPongQueueLatencyTest<TQueue>(long iterations) : ILatencyTest
    where TQueue : struct, IBaselineQueue<LongEvent, TQueue>
{
    public string Topology => "PingPong.Long";

    public string Implementation => TQueue.Name;

    public long Iterations => iterations;

    public string? Run(ThreadPlan plan, long count, LatencyHistogram histogram)
    {
        var ping = TQueue.Create(RingTestSupport.BufferSize, true, true);
        var pong = TQueue.Create(RingTestSupport.BufferSize, true, true);
        var ponger = plan.Start(1, "ponger", () =>
        {
            for (long i = 0; i < count; i++)
            {
                Spin.Write(pong, Spin.Read<LongEvent, TQueue>(ping));
            }
        });
        string? failure = null;
        var pinger = plan.Start(0, "pinger", () =>
        {
            var ticksToNs = 1e9 / Stopwatch.Frequency;
            for (long i = 0; i < count; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                Spin.Write(ping, new LongEvent { Value = i });
                var back = Spin.Read<LongEvent, TQueue>(pong);
                var t1 = Stopwatch.GetTimestamp();
                if (back.Value != i)
                {
                    failure ??= $"pong {i} carried {back.Value}";
                }

                histogram.Record((long)((t1 - t0) * ticksToNs));
            }
        });
        var finished = pinger.Join(Timing.RunTimeout) && ponger.Join(Timing.RunTimeout);
        return finished ? failure : $"timed out after {Timing.RunTimeout.TotalSeconds} s";
    }
}
