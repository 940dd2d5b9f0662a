namespace OptiFlow.Engine.Tests.Support;

/// <summary>
/// A wait strategy that counts what the ring asks of it: <see cref="SignalAllWhenBlocking"/> calls (from publishes
/// and alerts) and <see cref="WaitFor"/> calls. It says it blocks or not as told, and waits by yielding (honouring
/// the alert), so it is safe wherever a consumer may really wait on it.
/// </summary>
internal sealed class RecordingWaitStrategy(bool isBlocking) : IWaitStrategy
{
    private long _signals;
    private long _waits;

    public bool IsBlocking { get; } = isBlocking;

    /// <summary>Calls of <see cref="SignalAllWhenBlocking"/> so far.</summary>
    public long Signals => Interlocked.Read(ref _signals);

    /// <summary>Calls of <see cref="WaitFor"/> so far.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        Interlocked.Increment(ref _waits);
        long available;
        while ((available = barrier.AvailableSequence) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.AlertedSequence;
            }

            Thread.Yield();
        }

        return available;
    }

    public void SignalAllWhenBlocking() => Interlocked.Increment(ref _signals);
}
