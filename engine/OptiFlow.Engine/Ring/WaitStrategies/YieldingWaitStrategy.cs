namespace OptiFlow.Engine.WaitStrategies;

/// <summary>
/// Spins briefly, then yields the CPU with <see cref="Thread.Yield"/> between checks: low latency (a few µs after a
/// quiet spell) and a core that stays busy but gives way to other runnable threads.
/// </summary>
/// <remarks>The default for the core and the journal when no CPU is isolated. Stateless and allocation-free.</remarks>
public sealed class YieldingWaitStrategy : IWaitStrategy
{
    private const int SpinTries = 100;

    /// <inheritdoc/>
    public bool IsBlocking => false;

    /// <inheritdoc/>
    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        var counter = SpinTries;
        long available;
        while ((available = barrier.AvailableSequence) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.AlertedSequence;
            }

            if (counter > 0)
            {
                counter--;
                Thread.SpinWait(1);
            }
            else
            {
                Thread.Yield();
            }
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}
