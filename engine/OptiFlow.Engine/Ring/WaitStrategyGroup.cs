namespace OptiFlow.Engine;

/// <summary>
/// Two or more blocking wait strategies signalled as one: what a sequencer calls on publish when consumers of its
/// ring wait with more than one blocking strategy. Never waited with.
/// </summary>
/// <remarks>
/// <para>A sequencer holds one reference to signal on publish: none while no strategy in use blocks, the strategy
/// itself while exactly one does (so the publish path is the same single interface call as when the ring had one
/// strategy), and a group once a second distinct blocking strategy is registered. <see cref="Add"/> keeps that
/// reference; strategies are told apart by reference, so barriers sharing one instance cost one signal.</para>
/// <para>Thread-safety: <see cref="Add"/> replaces the reference with compare-and-set (full fence), never changing a
/// group in place, so producers read it without a lock and concurrent registrations lose nothing.
/// <see cref="SignalAllWhenBlocking"/> may be called from any number of producers at once. Allocation:
/// <see cref="Add"/> allocates a new group (wiring time); signalling allocates nothing.</para>
/// </remarks>
internal sealed class WaitStrategyGroup : IWaitStrategy
{
    private readonly IWaitStrategy[] _strategies;

    private WaitStrategyGroup(IWaitStrategy[] strategies) => _strategies = strategies;

    /// <summary>Always true: a group holds blocking strategies only.</summary>
    public bool IsBlocking => true;

    /// <summary>What a sequencer signals before any barrier registers a strategy: its default when that blocks, otherwise nothing.</summary>
    /// <param name="defaultStrategy">The sequencer's default strategy.</param>
    /// <returns>The strategy to signal, or null.</returns>
    public static IWaitStrategy? Initial(IWaitStrategy defaultStrategy) => defaultStrategy.IsBlocking ? defaultStrategy : null;

    /// <summary>Adds <paramref name="strategy"/> to what <paramref name="signal"/> signals, when it blocks and is not there yet.</summary>
    /// <param name="signal">The sequencer's field: null, one strategy, or a group.</param>
    /// <param name="strategy">A barrier's strategy.</param>
    /// <returns>Whether <paramref name="signal"/> is set after the call (the value for the sequencer's blocking flag).</returns>
    public static bool Add(ref IWaitStrategy? signal, IWaitStrategy strategy)
    {
        while (true)
        {
            var current = Volatile.Read(ref signal);
            if (!strategy.IsBlocking || Contains(current, strategy))
            {
                return current is not null;
            }

            IWaitStrategy next = current switch
            {
                null => strategy,
                WaitStrategyGroup group => new WaitStrategyGroup([.. group._strategies, strategy]),
                _ => new WaitStrategyGroup([current, strategy]),
            };
            if (Interlocked.CompareExchange(ref signal, next, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Signals every strategy of the group, in registration order.</summary>
    /// <remarks>Producer threads, after a publish; allocation-free; one interface call per strategy.</remarks>
    public void SignalAllWhenBlocking()
    {
        foreach (var strategy in _strategies)
        {
            strategy.SignalAllWhenBlocking();
        }
    }

    /// <summary>Not supported: a group is only signalled, never handed to a barrier.</summary>
    /// <param name="sequence">Unused.</param>
    /// <param name="barrier">Unused.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public long WaitFor(long sequence, SequenceBarrier barrier) =>
        throw new NotSupportedException("A group of wait strategies is signalled by a sequencer, never waited with.");

    private static bool Contains(IWaitStrategy? signal, IWaitStrategy strategy) => signal switch
    {
        null => false,
        WaitStrategyGroup group => Array.IndexOf(group._strategies, strategy) >= 0,
        _ => ReferenceEquals(signal, strategy),
    };
}
