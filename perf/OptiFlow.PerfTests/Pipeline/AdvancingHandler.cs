using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>A consumer that does no work: its processor only advances its sequence past every published slot, so the
/// producer is gated by a real consumer (the ring wraps) without paying for anything but the hand-off.</summary>
internal readonly struct AdvancingHandler : IEventHandler<MarketEvent>
{
    public void OnStart()
    {
    }

    public void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref MarketEvent data, long sequence, bool endOfBatch)
    {
    }

    public void OnShutdown()
    {
    }
}
