namespace OptiFlow.Engine;

/// <summary>
/// How a consumer waits for a sequence to become available. Called once per batch, never per event.
/// </summary>
/// <remarks>
/// <para>Implementations, from lowest latency and highest CPU to the reverse:</para>
/// <list type="table">
/// <listheader><term>strategy</term><description>CPU while idle / wake-up latency / when</description></listheader>
/// <item><term><see cref="WaitStrategies.BusySpinWaitStrategy"/></term><description>100% of a core / sub-µs / consumer pinned on an isolated core</description></item>
/// <item><term><see cref="WaitStrategies.YieldingWaitStrategy"/></term><description>a core, but yields to runnable threads / ~1–10 µs / default without isolated cores</description></item>
/// <item><term><see cref="WaitStrategies.SleepingWaitStrategy"/></term><description>near zero after a quiet spell / up to ~1 ms / background consumers</description></item>
/// <item><term><see cref="WaitStrategies.BlockingWaitStrategy"/></term><description>zero / tens of µs (a monitor pulse), and a fence per publish / many consumers on few cores, tests</description></item>
/// <item><term><see cref="WaitStrategies.TimeoutBlockingWaitStrategy"/></term><description>as blocking, and returns <see cref="SequenceBarrier.TimeoutSequence"/> after a set time / consumers that act on silence</description></item>
/// </list>
/// <para>Every implementation returns <see cref="SequenceBarrier.AlertedSequence"/> promptly once the barrier is
/// alerted (the halt path), whether it is spinning, yielding, sleeping or parked. Implementations must not allocate
/// in <see cref="WaitFor"/> or <see cref="SignalAllWhenBlocking"/>.</para>
/// </remarks>
public interface IWaitStrategy
{
    /// <summary>Waits until <paramref name="sequence"/> is available through <paramref name="barrier"/>.</summary>
    /// <param name="sequence">The sequence wanted.</param>
    /// <param name="barrier">The barrier whose cursor and dependents are watched, and whose alert ends the wait.</param>
    /// <returns>The highest available sequence (at least <paramref name="sequence"/>), or
    /// <see cref="SequenceBarrier.AlertedSequence"/> when the barrier was alerted, or
    /// <see cref="SequenceBarrier.TimeoutSequence"/> when a timeout strategy gave up. Never throws on these paths.</returns>
    long WaitFor(long sequence, SequenceBarrier barrier);

    /// <summary>Wakes consumers blocked in <see cref="WaitFor"/>; called by the producer after every publish and by alerts.</summary>
    void SignalAllWhenBlocking();

    /// <summary>Whether <see cref="SignalAllWhenBlocking"/> does anything; lets publishers skip the call.</summary>
    bool IsBlocking { get; }
}
