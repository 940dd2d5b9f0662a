using System.Diagnostics;
using OptiFlow.Engine;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Telemetry;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>Round-trip latency over two rings: one value in flight at a time.</summary>
/// <remarks>
/// <code>
///  +--------+  ping ring (Next/Publish)   +------------------------+
///  | pinger | --------------------------> | ponger (processor,     |
///  |        | &lt;-------------------------- |  EchoHandler publishes)|
///  +--------+  pong ring (barrier WaitFor)+------------------------+
///   t0 before the ping's claim; t1 when the pong's barrier returns; records t1 − t0 (ns) in a LatencyHistogram.
/// </code>
/// Checked: every pong carries the value of its ping. With <c>--linger</c> the ponger lingers (the pinger waits on
/// its barrier, not through a processor), so one hop of each round trip pays it.
/// </remarks>
internal sealed class PingPongRingLatencyTest(long iterations) : ILatencyTest
{
    public string Topology => "PingPong.Long";

    public string Implementation => "Ring";

    public long Iterations => iterations;

    public string? Run(ThreadPlan plan, long count, LatencyHistogram histogram)
    {
        var ping = new RingBuffer<LongEvent>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy());
        var pong = new RingBuffer<LongEvent>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy());
        using var ponger = new BatchEventProcessor<LongEvent, EchoHandler>(ping, ping.Sequencer.NewBarrier(), new EchoHandler(pong));
        RingTestSupport.ApplyLinger(ponger, ping.BufferSize); // every ping is a batch of one: with --linger each waits it out

        ping.Sequencer.SetGatingSequences(ponger.Sequence);
        var pingerSequence = new Sequence();
        pong.Sequencer.SetGatingSequences(pingerSequence);
        var pongBarrier = pong.Sequencer.NewBarrier();
        ponger.Start("ponger", plan.CpuFor(1));
        string? failure = null;
        var pinger = plan.Start(0, "pinger", () =>
        {
            var ticksToNs = 1e9 / Stopwatch.Frequency;
            for (long i = 0; i < count; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var s = ping.Next();
                ping[s].Value = i;
                ping.Publish(s);
                pongBarrier.WaitFor(i);
                var t1 = Stopwatch.GetTimestamp();
                if (pong[i].Value != i)
                {
                    failure ??= $"pong {i} carried {pong[i].Value}";
                }

                pingerSequence.SetValue(i);
                histogram.Record((long)((t1 - t0) * ticksToNs));
            }
        });
        var finished = pinger.Join(Timing.RunTimeout);
        pongBarrier.Alert();
        ponger.Halt();
        ponger.Join(Timing.RunTimeout);
        return finished ? failure : $"timed out after {Timing.RunTimeout.TotalSeconds} s";
    }
}
