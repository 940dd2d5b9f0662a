namespace OptiFlow.Engine.WaitStrategies;

/// <summary>
/// Parks waiting consumers on a lock and condition (<see cref="Monitor.Wait(object)"/>) until the producer publishes:
/// no CPU while idle, tens of µs of wake-up latency, and a fence plus a check on every publish.
/// </summary>
/// <remarks>
/// The producer signals only when a consumer is parked: the waiter count is read after a full fence that follows
/// the cursor write, and a consumer re-checks the cursor after registering under the lock (Dekker-style), so no
/// wake-up is lost. Dependent sequences (pipelines) are waited for by yielding once the cursor has moved.
/// Allocation-free after construction.
/// </remarks>
public sealed class BlockingWaitStrategy : IWaitStrategy
{
    private readonly object _gate = new();
    private int _waiters;

    /// <inheritdoc/>
    public bool IsBlocking => true;

    /// <inheritdoc/>
    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        if (barrier.Cursor.Value < sequence)
        {
            lock (_gate)
            {
                Interlocked.Increment(ref _waiters);
                try
                {
                    while (barrier.Cursor.Value < sequence)
                    {
                        if (barrier.IsAlerted)
                        {
                            return SequenceBarrier.AlertedSequence;
                        }

                        Monitor.Wait(_gate);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _waiters);
                }
            }
        }

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

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _waiters) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}
