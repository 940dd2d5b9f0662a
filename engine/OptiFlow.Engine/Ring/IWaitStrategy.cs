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
/// <para>A strategy belongs to a consumer, not to the ring: each barrier has one
/// (<see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>, or the sequencer's default), and one instance may
/// serve several barriers, of one ring or of several. The sequencers call <see cref="SignalAllWhenBlocking"/> after
/// every publish on each distinct instance in use whose <see cref="IsBlocking"/> is true, and never on the others.</para>
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

    /// <summary>Wakes consumers blocked in <see cref="WaitFor"/>; called by producers after every publish (when
    /// <see cref="IsBlocking"/>) and by <see cref="SequenceBarrier.Alert"/> on the barrier's own strategy.</summary>
    /// <remarks>Any thread, concurrently with waiters and with other signallers. The caller's publish (a release
    /// write) precedes the call; a blocking implementation must order it before its read of its waiters (a full fence)
    /// so no wake-up is lost. Must not allocate.</remarks>
    void SignalAllWhenBlocking();

    /// <summary>Whether <see cref="SignalAllWhenBlocking"/> does anything; publishers call it only on strategies for which this is true.</summary>
    /// <remarks>Read once, when the strategy is registered with a sequencer (its construction, or
    /// <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>), so it must not change over the strategy's life.</remarks>
    bool IsBlocking { get; }
}
