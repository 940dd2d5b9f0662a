using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>
/// Checks multi-producer delivery on the consumer thread: ring sequences arrive contiguous, and each producer's
/// events (tagged with producer and counter) arrive in that producer's order, each exactly once. Counts errors.
/// </summary>
internal struct ProducerOrderHandler(int producers, long lastSequence, ManualResetEventSlim done) : IEventHandler<StubEvent>
{
    private const int CounterBits = 40;

    public long[] NextPerProducer = new long[producers];
    public long Count;
    public long OrderErrors;
    public long SequenceErrors;
    private long _nextSequence;

    public static long Tag(int producer, long counter) => ((long)producer << CounterBits) | counter;

    public readonly void OnStart()
    {
    }

    public readonly void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref StubEvent data, long sequence, bool endOfBatch)
    {
        if (sequence != _nextSequence)
        {
            SequenceErrors++;
        }

        _nextSequence = sequence + 1;
        var producer = (int)(data.Value >> CounterBits);
        var counter = data.Value & ((1L << CounterBits) - 1);
        if ((uint)producer >= (uint)NextPerProducer.Length || NextPerProducer[producer] != counter)
        {
            OrderErrors++;
        }
        else
        {
            NextPerProducer[producer]++;
        }

        Count++;
        if (sequence == lastSequence)
        {
            done.Set();
        }
    }

    public readonly void OnShutdown()
    {
    }
}
