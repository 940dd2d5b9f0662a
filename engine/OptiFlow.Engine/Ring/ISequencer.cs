namespace OptiFlow.Engine;

/// <summary>
/// What every sequencer offers at wiring time and to cold callers: claim, publish, gating, barriers and the
/// availability query that barriers need.
/// </summary>
/// <remarks>
/// Implementations: <see cref="SingleProducerSequencer"/> (one producer thread, no compare-and-swap) and
/// <see cref="MultiProducerSequencer"/> (any number of producer threads, atomic claim plus a per-slot availability
/// marker). Both are <b>sealed</b>. The hot path never goes through this interface: <see cref="RingBuffer{T}"/>
/// holds a typed reference to each kind and tests once which one is set (a branch the CPU predicts perfectly,
/// since it never changes), so <c>Next</c>/<c>Publish</c> are direct, inlinable calls; <see cref="SequenceBarrier"/>
/// makes the same test once per batch, never per event. That keeps <c>RingBuffer&lt;T&gt;</c> a single type name
/// for every caller (a ring generic over a struct sequencer would have changed every signature that names it), at
/// the price of one null test per claim and per publish (not measured apart; perf/ARCHIVE.md, "Ring", has the
/// claim/publish figures that include it). Full-ring policy, for every implementation:
/// <c>Next</c> waits for the slowest gating sequence, <c>TryNext</c> fails at once; nothing is ever dropped
/// or grown.
/// <para>Wait strategies are per consumer: <see cref="WaitStrategy"/> is the sequencer's default, used by barriers
/// created without one; <see cref="NewBarrier(IWaitStrategy, Sequence[])"/> gives a consumer its own (the core may
/// busy-spin while the journal sleeps). Publishing signals every distinct strategy in use that blocks
/// (<see cref="IWaitStrategy.IsBlocking"/>): the default when it blocks, and each blocking strategy a barrier was
/// created with, once per publish however many barriers share it. Strategies that do not block are never called
/// by a producer: with none in use the publish path is one test of a flag, and with one it is that test plus one
/// interface call, the same as with a single ring-wide strategy; with several, the one call goes to a group that
/// signals each.</para>
/// </remarks>
public interface ISequencer
{
    /// <summary>The cursor: the highest published sequence (single producer) or the highest claimed one (multi-producer; use <see cref="GetHighestPublishedSequence"/>).</summary>
    Sequence Cursor { get; }

    /// <summary>Ring size; a power of two.</summary>
    int BufferSize { get; }

    /// <summary>The default wait strategy: the one a barrier created by <see cref="NewBarrier(Sequence[])"/> waits with.</summary>
    /// <remarks>Signalled on every publish when it blocks, whether or not a barrier uses it. Set at construction.</remarks>
    IWaitStrategy WaitStrategy { get; }

    /// <summary>Sets the consumer sequences the producers must not overtake (the last consumer of each branch). Call before producers start.</summary>
    /// <param name="sequences">The gating sequences.</param>
    void SetGatingSequences(params Sequence[] sequences);

    /// <summary>Creates a barrier that follows this sequencer, stays behind <paramref name="dependents"/>, and waits with the default <see cref="WaitStrategy"/>.</summary>
    /// <param name="dependents">Consumer sequences the new consumer must stay behind; none to follow the producers alone.</param>
    /// <returns>The barrier (allocates; wiring time only).</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="dependents"/> is null.</exception>
    SequenceBarrier NewBarrier(params Sequence[] dependents);

    /// <summary>Creates a barrier that follows this sequencer, stays behind <paramref name="dependents"/>, and waits with its own <paramref name="waitStrategy"/>.</summary>
    /// <param name="waitStrategy">This consumer's wait strategy. When it blocks (<see cref="IWaitStrategy.IsBlocking"/>)
    /// the sequencer adds it to the strategies it signals on every publish (once, however many barriers use it); a
    /// strategy that does not block adds nothing to the publish path.</param>
    /// <param name="dependents">Consumer sequences the new consumer must stay behind; none to follow the producers alone.</param>
    /// <returns>The barrier (allocates, and may allocate a new group of strategies to signal; wiring time only).</returns>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    /// <remarks>Thread-safe against other <c>NewBarrier</c> calls. Call it before the producers start publishing, as
    /// <see cref="SetGatingSequences"/>: a blocking strategy first registered while a producer publishes may miss the
    /// wake-up of a publish that races with its registration (producers read the set of strategies without a fence,
    /// so that a ring whose consumers do not block pays nothing for it).</remarks>
    SequenceBarrier NewBarrier(IWaitStrategy waitStrategy, params Sequence[] dependents);

    /// <summary>Claims one sequence, waiting while the ring is full.</summary>
    /// <returns>The claimed sequence.</returns>
    long Next();

    /// <summary>Claims <paramref name="n"/> consecutive sequences, waiting while the ring is full.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <returns>The highest claimed sequence.</returns>
    long Next(int n);

    /// <summary>Claims one sequence only if there is room now.</summary>
    /// <param name="sequence">The claimed sequence, or -1.</param>
    /// <returns>False when the ring is full (nothing claimed).</returns>
    bool TryNext(out long sequence);

    /// <summary>Claims <paramref name="n"/> sequences only if there is room now.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <param name="sequence">The highest claimed sequence, or -1.</param>
    /// <returns>False when the ring lacks room for <paramref name="n"/> slots (nothing claimed).</returns>
    bool TryNext(int n, out long sequence);

    /// <summary>Publishes one claimed sequence.</summary>
    /// <param name="sequence">The claimed sequence.</param>
    void Publish(long sequence);

    /// <summary>Publishes a claimed batch.</summary>
    /// <param name="low">First sequence.</param>
    /// <param name="high">Last sequence.</param>
    void Publish(long low, long high);

    /// <summary>Whether <paramref name="sequence"/> has been published (acquire read).</summary>
    /// <param name="sequence">A sequence not older than one ring size behind the cursor.</param>
    /// <returns>True once published.</returns>
    bool IsAvailable(long sequence);

    /// <summary>The highest sequence in <c>[lowerBound, availableSequence]</c> up to which every sequence is published.</summary>
    /// <param name="lowerBound">The first sequence wanted.</param>
    /// <param name="availableSequence">The cursor value read by the caller.</param>
    /// <returns>At least <c>lowerBound - 1</c>.</returns>
    long GetHighestPublishedSequence(long lowerBound, long availableSequence);

    /// <summary>Slots a producer could claim now without waiting.</summary>
    /// <returns>The free capacity.</returns>
    long RemainingCapacity();
}
