namespace OptiFlow.Engine.WaitStrategies;

/// <summary>
/// Spins, then yields, then sleeps 1 ms between checks: near-zero CPU when idle, at the cost of up to about a
/// millisecond of latency after a quiet spell.
/// </summary>
/// <remarks>For background consumers (a journal on a busy machine, a report writer). Stateless and allocation-free.</remarks>
public sealed class SleepingWaitStrategy : IWaitStrategy
{
    private const int SpinTries = 100;
    private const int YieldTries = 100;

    /// <inheritdoc/>
    public bool IsBlocking => false;

    /// <inheritdoc/>
    public long WaitFor(long sequence, SequenceBarrier barrier)
    {
        var counter = SpinTries + YieldTries;
        long available;
        while ((available = barrier.AvailableSequence) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.AlertedSequence;
            }

            if (counter > YieldTries)
            {
                counter--;
                Thread.SpinWait(1);
            }
            else if (counter > 0)
            {
                counter--;
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}
