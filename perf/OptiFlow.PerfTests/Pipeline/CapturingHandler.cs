using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>The consumer of the untimed capture pass: copies every slot into <see cref="CapturedEvents"/> at its sequence.</summary>
/// <param name="target">Where the slots go.</param>
internal readonly struct CapturingHandler(CapturedEvents target) : IEventHandler<MarketEvent>
{
    public void OnStart()
    {
    }

    public void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref MarketEvent data, long sequence, bool endOfBatch) => target.Add(ref data, sequence);

    public void OnShutdown()
    {
    }
}
