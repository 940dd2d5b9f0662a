using System.Runtime.CompilerServices;

namespace OptiFlow.Engine;

/// <summary>
/// Tells a consumer how far it may read: the producers' cursor, bounded by the sequences of the consumers it
/// depends on, through a wait strategy; and carries the halt alert.
/// </summary>
/// <remarks>
/// <para>Topologies are declared with dependents (each consumer's barrier names the consumers it must stay behind,
/// and the sequencer is gated by the last consumer of each branch):</para>
/// <code>
///  core ∥ journal          P ──► ring ──┬─► core      barriers: core(), journal();    gating: core, journal
///                                       └─► journal
///  pipeline                P ──► ring ──► core ──► gateway    barriers: core(), gateway(core); gating: gateway
///  3 producers → 1         P1,P2,P3 ──► ring (multi-producer) ──► C        barrier: C();   gating: C
///  1 → 3 multicast         P ──► ring ──┬─► C1 ├─► C2 └─► C3  barriers: Ci();          gating: C1, C2, C3
///  diamond                 P ──► ring ──┬─► A ─┐
///                                       └─► B ─┴─► D          barriers: A(), B(), D(A, B); gating: D
/// </code>
/// <para>With a <see cref="MultiProducerSequencer"/> the cursor is the highest <b>claimed</b> sequence, so after
/// the wait the barrier scans the per-slot availability markers up to it, once per batch, and returns only
/// published sequences. That test of the sequencer kind is made once per batch (a sealed-class field compared with
/// null), never per event. A slot claimed but not yet published is waited for with <see cref="SpinWait"/> (spin,
/// then yield), honouring the alert; producers must publish in a <c>finally</c>.</para>
/// <para>Each barrier waits with its own <see cref="WaitStrategy"/> (given to
/// <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>, or the sequencer's default), so consumers of one
/// ring may wait differently: the core busy-spinning on an isolated core, the journal sleeping or blocking.</para>
/// <para>Thread-safety: one consumer thread calls <see cref="WaitFor"/>; any thread may call <see cref="Alert"/>.
/// Memory ordering: the cursor, dependents and markers are read with acquire; the alert flag is volatile.
/// Allocation-free after construction.</para>
/// </remarks>
public sealed class SequenceBarrier
{
    /// <summary>Returned by <see cref="WaitFor"/> when the barrier was alerted (halt requested).</summary>
    public const long AlertedSequence = long.MinValue;

    /// <summary>Returned by <see cref="WaitFor"/> when a timeout strategy gave up waiting (nothing new yet; not an error).</summary>
    public const long TimeoutSequence = long.MinValue + 1;

    private readonly Sequence[] _dependents;
    private readonly MultiProducerSequencer? _multiProducer;
    private volatile bool _alerted;

    /// <summary>Creates a barrier over a single producer's cursor.</summary>
    /// <param name="cursor">The producer's published cursor (contiguous: every sequence up to it is published).</param>
    /// <param name="waitStrategy">How to wait.</param>
    /// <param name="dependents">Consumer sequences this consumer must stay behind; empty to follow the cursor alone.</param>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    /// <remarks>No sequencer learns of this barrier, so a blocking <paramref name="waitStrategy"/> is woken on publish
    /// only if the producer's sequencer already signals that instance (it is its default, or another barrier was
    /// created with it by <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>). Prefer
    /// <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>, which registers it.</remarks>
    public SequenceBarrier(Sequence cursor, IWaitStrategy waitStrategy, params Sequence[] dependents)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(waitStrategy);
        ArgumentNullException.ThrowIfNull(dependents);
        Cursor = cursor;
        WaitStrategy = waitStrategy;
        _dependents = dependents;
    }

    /// <summary>Creates a barrier over any sequencer; for a <see cref="MultiProducerSequencer"/> it also checks the availability markers.</summary>
    /// <param name="sequencer">The sequencer.</param>
    /// <param name="dependents">Consumer sequences this consumer must stay behind; empty to follow the producers alone.</param>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    /// <remarks>Waits with the sequencer's default <see cref="ISequencer.WaitStrategy"/>, which the sequencer always signals when it blocks.</remarks>
    public SequenceBarrier(ISequencer sequencer, params Sequence[] dependents)
        : this(sequencer?.Cursor!, sequencer?.WaitStrategy!, dependents) =>
        _multiProducer = sequencer as MultiProducerSequencer;

    /// <summary>Creates a barrier over a sequencer with the consumer's own strategy, which the sequencer has registered.</summary>
    /// <param name="sequencer">The sequencer.</param>
    /// <param name="waitStrategy">The consumer's strategy, already in the sequencer's set of strategies to signal when it blocks.</param>
    /// <param name="dependents">Consumer sequences this consumer must stay behind.</param>
    internal SequenceBarrier(ISequencer sequencer, IWaitStrategy waitStrategy, Sequence[] dependents)
        : this(sequencer.Cursor, waitStrategy, dependents) =>
        _multiProducer = sequencer as MultiProducerSequencer;

    /// <summary>The producers' cursor (published for one producer, claimed for several).</summary>
    public Sequence Cursor { get; }

    /// <summary>This consumer's wait strategy: its own when the barrier was created with one, otherwise the sequencer's default.</summary>
    public IWaitStrategy WaitStrategy { get; }

    /// <summary>The consumer sequences this barrier stays behind.</summary>
    public ReadOnlySpan<Sequence> Dependents => _dependents;

    /// <summary>Whether <see cref="Alert"/> has been called since the last <see cref="ClearAlert"/> (volatile read).</summary>
    public bool IsAlerted => _alerted;

    /// <summary>The cursor, or the minimum of it and the dependents (acquire reads). For several producers, may include claimed but unpublished sequences.</summary>
    public long AvailableSequence
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _dependents.Length == 0 ? Cursor.Value : Math.Min(Cursor.Value, Sequence.Minimum(_dependents));
    }

    /// <summary>Waits until <paramref name="sequence"/> is published and every dependent has passed it.</summary>
    /// <param name="sequence">The next sequence the consumer wants.</param>
    /// <returns>The highest sequence the consumer may read (at least <paramref name="sequence"/>); or
    /// <see cref="AlertedSequence"/> once alerted; or <see cref="TimeoutSequence"/> when a timeout strategy gave up.</returns>
    /// <remarks>Consumer thread only; allocation-free; one call to the wait strategy when nothing is available yet.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WaitFor(long sequence) => WaitForNoting(sequence, out _);

    /// <summary>As <see cref="WaitFor(long)"/>, and says whether the events were already there at the first read.</summary>
    /// <param name="sequence">The next sequence the consumer wants.</param>
    /// <param name="waited">False when the first read of the cursor (and dependents) already reached
    /// <paramref name="sequence"/>; true when the wait strategy was called.</param>
    /// <returns>As <see cref="WaitFor(long)"/>.</returns>
    /// <remarks>For <see cref="Processing.BatchEventProcessor{T, THandler}"/>'s chase pacing: a consumer that finds
    /// a small batch without waiting is riding right behind its producer. Same cost as <see cref="WaitFor(long)"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long WaitForNoting(long sequence, out bool waited)
    {
        waited = false;
        if (_alerted)
        {
            return AlertedSequence;
        }

        var available = AvailableSequence;
        if (available < sequence)
        {
            waited = true;
            available = WaitStrategy.WaitFor(sequence, this);
            if (available < sequence)
            {
                return available;
            }
        }

        return _multiProducer is null ? available : HighestPublished(_multiProducer, sequence, available);
    }

    /// <summary>Asks the consumer to stop: a wait in progress returns <see cref="AlertedSequence"/> promptly.</summary>
    /// <remarks>Any thread; volatile write of the flag, then <see cref="IWaitStrategy.SignalAllWhenBlocking"/> on this
    /// barrier's own <see cref="WaitStrategy"/>, whatever the ring's default is: a parked waiter is pulsed, a spinning,
    /// yielding or sleeping one sees the flag on its next check (a sleeping one within about a millisecond). Other
    /// waiters parked on the same strategy instance wake, find nothing new and park again.</remarks>
    public void Alert()
    {
        _alerted = true;
        WaitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>Clears the alert so the barrier can be used again.</summary>
    public void ClearAlert() => _alerted = false;

    private long HighestPublished(MultiProducerSequencer sequencer, long sequence, long available)
    {
        var highest = sequencer.GetHighestPublishedSequence(sequence, available);
        if (highest >= sequence)
        {
            return highest;
        }

        // Claimed but not yet published: the producer is between Next and Publish.
        var spinner = default(SpinWait);
        while (!sequencer.IsAvailable(sequence))
        {
            if (_alerted)
            {
                return AlertedSequence;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return sequencer.GetHighestPublishedSequence(sequence, available);
    }
}
