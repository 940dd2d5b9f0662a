using OptiFlow.Engine;
using OptiFlow.Engine.Processing;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>
/// The engine's inbound shape on any slot type: one producer, two consumers in parallel (the core and the journal),
/// both gating the producer; one claim per event or batched claims.
/// </summary>
/// <remarks>
/// <code>
///                                  +--> C1 (core)    --+
///  +----------+  Next/Publish   +------+               |
///  | producer | --------------> | ring |               +--> gating: min(C1, C2)
///  +----------+  (or Next(10))  +------+               |
///                                  +--> C2 (journal) --+
/// </code>
/// With <c>MarketEvent</c> (128 bytes, two cache lines) this is the real slot of the inbound ring; with the 8-byte
/// <c>LongEvent</c> see <see cref="OneToManyRingThroughputTest"/> (<c>CoreJournal.OneToTwo</c>), the older name kept for
/// its history. Checked: both consumers' sums are 0 + 1 + … + (n − 1). Throughput counts events published (each is
/// delivered twice). Allocation-free while running.
/// </remarks>
internal sealed class CoreJournalRingThroughputTest<T, TAccessor>(int batch, long events) : IThroughputTest
    where T : unmanaged
    where TAccessor : struct, IEventAccessor<T>
{
    public string Topology => batch == 1 ? $"CoreJournal.OneToTwo.{TAccessor.EventName}" : $"CoreJournal.OneToTwo.{TAccessor.EventName}.Batch{batch}";

    public string Implementation => "Ring";

    public long Events => events;

    public ThroughputRun Run(ThreadPlan plan, long count)
    {
        count -= count % batch;
        var ring = new RingBuffer<T>(RingTestSupport.BufferSize, RingTestSupport.NewWaitStrategy());
        using var coreDone = new ManualResetEventSlim();
        using var journalDone = new ManualResetEventSlim();
        var core = RingTestSupport.NewProcessor<T, TAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, coreDone);
        var journal = RingTestSupport.NewProcessor<T, TAccessor>(ring, ring.Sequencer.NewBarrier(), count - 1, journalDone);
        ring.Sequencer.SetGatingSequences(core.Sequence, journal.Sequence);
        core.Start("core", plan.CpuFor(1));
        journal.Start("journal", plan.CpuFor(2));
        Action produce = batch == 1
            ? () => RingTestSupport.Produce<T, TAccessor>(ring, count)
            : () => RingTestSupport.ProduceBatched<T, TAccessor>(ring, count, batch);
        var seconds = Timing.Run(plan, 0, [produce], coreDone, journalDone);
        RingTestSupport.Halt(core, journal);
        if (seconds is null)
        {
            return Timing.TimedOut(count);
        }

        ref var coreHandler = ref core.Handler;
        ref var journalHandler = ref journal.Handler;
        var expected = RingTestSupport.SumTo(count);
        return new ThroughputRun(
            count,
            seconds.Value,
            (coreHandler.MeanBatchSize + journalHandler.MeanBatchSize) / 2,
            ThroughputRun.Combine([ThroughputRun.CheckSum("core", coreHandler.Sum, expected), ThroughputRun.CheckSum("journal", journalHandler.Sum, expected)]));
    }
}
