namespace OptiFlow.Engine;

/// <summary>
/// How a consumer waits for a sequence to become available. Called once per batch, never per event.
/// </summary>
/// <remarks>
/// Implementations: <see cref="WaitStrategies.BusySpinWaitStrategy"/> (lowest latency, burns a core),
/// <see cref="WaitStrategies.YieldingWaitStrategy"/>, <see cref="WaitStrategies.SleepingWaitStrategy"/>,
/// <see cref="WaitStrategies.BlockingWaitStrategy"/>. All return promptly once the barrier is alerted.
/// </remarks>
public interface IWaitStrategy
{
    /// <summary>Waits until <paramref name="sequence"/> is available through <paramref name="barrier"/>.</summary>
    /// <param name="sequence">The sequence wanted.</param>
    /// <param name="barrier">The barrier whose cursor and dependents are watched, and whose alert ends the wait.</param>
    /// <returns>The highest available sequence (at least <paramref name="sequence"/>), or
    /// <see cref="SequenceBarrier.AlertedSequence"/> when the barrier was alerted.</returns>
    long WaitFor(long sequence, SequenceBarrier barrier);

    /// <summary>Wakes consumers blocked in <see cref="WaitFor"/>; called by the producer after every publish and by alerts.</summary>
    void SignalAllWhenBlocking();

    /// <summary>Whether <see cref="SignalAllWhenBlocking"/> does anything; lets publishers skip the call.</summary>
    bool IsBlocking { get; }
}
