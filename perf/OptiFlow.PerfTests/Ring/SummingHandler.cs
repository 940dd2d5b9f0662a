using OptiFlow.Engine.Processing;
using OptiFlow.PerfTests.Events;

namespace OptiFlow.PerfTests.Ring;

/// <summary>Sums the checked value of every event, counts batches, and signals at the last sequence.</summary>
internal struct SummingHandler<T, TAccessor>(long lastSequence, ManualResetEventSlim done) : IEventHandler<T>
    where T : unmanaged
    where TAccessor : struct, IEventAccessor<T>
{
    public long Sum;
    public long Batches;
    public long Count;

    public readonly void OnStart()
    {
    }

    public void OnBatchStart(long firstSequence, long count)
    {
        Batches++;
        Count += count;
    }

    public void OnEvent(ref T data, long sequence, bool endOfBatch)
    {
        Sum += TAccessor.Get(ref data);
        if (sequence == lastSequence)
        {
            done.Set();
        }
    }

    public readonly void OnShutdown()
    {
    }

    public readonly double MeanBatchSize => Batches == 0 ? 0 : (double)Count / Batches;
}
