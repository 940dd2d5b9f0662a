using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>
/// A struct handler that checks, on the consumer thread, everything a consumer may rely on: sequences arrive in
/// order without loss, each slot holds the value its producer wrote (so an overwritten, wrapped slot is caught),
/// batches announced by <c>OnBatchStart</c> end exactly where <c>endOfBatch</c> says, and (in a pipeline) the
/// upstream consumer has already finished with every event seen here. Errors are counted, not thrown, and asserted by
/// the test after the processor has joined.
/// </summary>
internal struct CheckingHandler : IEventHandler<StubEvent>
{
    private readonly ManualResetEventSlim _done;
    private readonly long _lastSequence;
    private long _next;
    private long _batchEnd;

    public CheckingHandler(long lastSequence, ManualResetEventSlim done)
    {
        _lastSequence = lastSequence;
        _done = done;
        _batchEnd = -1;
    }

    /// <summary>The upstream consumer's sequence in a pipeline; null for none.</summary>
    public Sequence? Upstream;

    public long Count;
    public long Sum;
    public long Batches;
    public long OrderErrors;
    public long ValueErrors;
    public long BatchErrors;
    public long OvertakeErrors;
    public int Starts;
    public int Shutdowns;

    public void OnStart() => Starts++;

    public void OnBatchStart(long firstSequence, long count)
    {
        if (firstSequence != _next || count < 1 || _batchEnd != _next - 1)
        {
            BatchErrors++;
        }

        _batchEnd = firstSequence + count - 1;
        Batches++;
    }

    public void OnEvent(ref StubEvent data, long sequence, bool endOfBatch)
    {
        if (sequence != _next)
        {
            OrderErrors++;
        }

        _next = sequence + 1;
        if (data.Value != sequence)
        {
            ValueErrors++;
        }

        if (endOfBatch != (sequence == _batchEnd))
        {
            BatchErrors++;
        }

        if (Upstream is not null && Upstream.Value < sequence)
        {
            OvertakeErrors++;
        }

        Count++;
        Sum += data.Value;
        if (sequence == _lastSequence)
        {
            _done.Set();
        }
    }

    public void OnShutdown() => Shutdowns++;
}
