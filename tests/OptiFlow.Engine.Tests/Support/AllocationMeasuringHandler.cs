using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>
/// Measures the consumer thread's allocations inside the handler: reads the allocated-bytes counter at the
/// warm-up sequence and again at the last one.
/// </summary>
internal struct AllocationMeasuringHandler(long warmUpSequence, long lastSequence, ManualResetEventSlim done) : IEventHandler<StubEvent>
{
    public long StartBytes = -1;
    public long EndBytes = -1;
    public long Sum;

    public readonly void OnStart()
    {
    }

    public readonly void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref StubEvent data, long sequence, bool endOfBatch)
    {
        Sum += data.Value;
        if (sequence == warmUpSequence)
        {
            StartBytes = GC.GetAllocatedBytesForCurrentThread();
        }
        else if (sequence == lastSequence)
        {
            EndBytes = GC.GetAllocatedBytesForCurrentThread();
            done.Set();
        }
    }

    public readonly void OnShutdown()
    {
    }
}
