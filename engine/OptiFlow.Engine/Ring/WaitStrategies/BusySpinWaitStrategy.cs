namespace OptiFlow.Engine.WaitStrategies;

/// <summary>
/// Spins on the cursor with a pause instruction and nothing else: the lowest and steadiest latency, at the price of
/// one core at 100% for as long as the consumer runs.
/// </summary>
/// <remarks>
/// Use it only for a consumer pinned to an isolated core (<c>isolcpus</c>/<c>taskset</c>, see tuning.md); on a shared
/// core it steals time from the producer. Never in tests. Stateless and allocation-free.
/// </remarks>
public sealed class BusySpinWaitStrategy : IWaitStrategy
{
    /// <inheritdoc/>
    public bool IsBlocking => false;

    /// <inheritdoc/>
    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        long available;
        while ((available = barrier.AvailableSequence) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.AlertedSequence;
            }

            Thread.SpinWait(1);
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}
