using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>Throws on the event whose value is <c>throwOn</c>; counts the others.</summary>
internal struct ThrowingHandler(long throwOn, long lastSequence, ManualResetEventSlim done) : IEventHandler<StubEvent>
{
    public long Handled;
    public long LastSeen = -1;

    public readonly void OnStart()
    {
    }

    public readonly void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref StubEvent data, long sequence, bool endOfBatch)
    {
        if (sequence == lastSequence)
        {
            done.Set();
        }

        if (data.Value == throwOn)
        {
            throw new InvalidOperationException($"bad event {data.Value}");
        }

        Handled++;
        LastSeen = sequence;
    }

    public readonly void OnShutdown()
    {
    }
}
