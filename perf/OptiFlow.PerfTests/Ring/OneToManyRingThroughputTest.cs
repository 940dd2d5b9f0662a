using OptiFlow.Engine;
using OptiFlow.Engine.Processing;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>
/// One producer, several independent consumers that each see every event (multicast). With two consumers this is
/// the engine's own shape: core ∥ journal, both gating the producer.
/// </summary>
/// <remarks>
/// <code>
///                                    +--> C1 (core)    --+
///  +----------+     +------------+   |                   |
///  | producer | --> | ring (1024)| --+--> C2 (journal) --+--> gating: min(C1, C2[, C3])
///  +----------+     +------------+   |                   |
///                                    +--> C3 (K = 3)   --+
/// </code>
/// Checked: every consumer's sum is 0 + 1 + … + (n − 1). Throughput counts events published (each delivered K times).
/// </remarks>
internal sealed class OneToManyRingThroughputTest(int consumers, long events) : IThroughputTest
{
    public string Topology => consumers == 2 ? "CoreJournal.OneToTwo" : $"Multicast.OneTo{consumers}";

    public string Implementation => "Ring";

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        var ring = new RingBuffer<LongEvent>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy());
        var done = new ManualResetEventSlim[consumers];
        var processors = new BatchEventProcessor<LongEvent, SummingHandler<LongEvent, LongEventAccessor>>[consumers];
        var gating = new Sequence[consumers];
        for (var i = 0; i < consumers; i++)
        {
            done[i] = new ManualResetEventSlim();
            processors[i] = RingTestSupport.NewProcessor<LongEvent, LongEventAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, done[i]);
            gating[i] = processors[i].Sequence;
        }

        ring.Sequencer.SetGatingSequences(gating);
        for (var i = 0; i < consumers; i++)
        {
            processors[i].Start($"consumer-{i}", plan.CpuFor(1 + i));
        }

        var seconds = Timing.Run(plan, 0, [() => RingTestSupport.Produce<LongEvent, LongEventAccessor>(ring, count)], done);
        RingTestSupport.Halt(processors);
        foreach (var signal in done)
        {
            signal.Dispose();
        }

        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        var failures = new string?[consumers];
        double batches = 0;
        for (var i = 0; i < consumers; i++)
        {
            ref var handler = ref processors[i].Handler;
            failures[i] = ThroughputRun.CheckSum($"consumer {i}", handler.Sum, RingTestSupport.SumTo(count));
            batches += handler.MeanBatchSize;
        }

        return new ThroughputRun(count, seconds.Value, batches / consumers, ThroughputRun.Combine(failures));
    }
}
