using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptiFlow.Engine;

/// <summary>
/// Claims and publishes ring sequences for exactly one producer thread, without compare-and-swap, and prevents the
/// producer from wrapping past the slowest gating consumer.
/// </summary>
/// <remarks>
/// <para>Thread-safety: <see cref="Next(int)"/>, <see cref="TryNext(int, out long)"/> and <see cref="Publish(long, long)"/>
/// must be called from one producer thread only. Consumers read <see cref="Cursor"/> (acquire).</para>
/// <para>Memory ordering: <see cref="Publish(long)"/> is a release write of the cursor, so every slot write made
/// before it is visible to a consumer that reads the cursor with acquire. Claiming writes only producer-owned
/// fields (plain); on the slow path a full fence separates the last publish from the reads of the gating sequences.</para>
/// <para>Full-ring policy: <see cref="Next(int)"/> waits (spin, then yield) for the slowest gating sequence;
/// <see cref="TryNext(int, out long)"/> fails at once. Nothing is dropped and nothing grows.</para>
/// <para>Wait strategies: publishing signals the blocking strategies in use (the default <see cref="WaitStrategy"/>
/// when it blocks, and each distinct blocking strategy given to <see cref="NewBarrier(IWaitStrategy, Sequence[])"/>);
/// when none blocks, <see cref="Publish(long)"/> costs one test of a flag beyond the cursor write.</para>
/// <para>Layout (explicit, asserted by tests): the producer's fields sit in one block from <see cref="FieldsOffset"/>
/// to <see cref="FieldsOffset"/> + <see cref="FieldsSize"/>, with 56 bytes of padding before it and at least 56
/// after it (a real trailing field: the runtime ignores <c>StructLayout.Size</c> on classes), so whatever object
/// the allocator puts beside this one (the ring, a processor written per event) never shares a cache line with
/// the claim counter. The fields a publish reads (cursor, blocking flag, what to signal) are in the block;
/// the default strategy, read only at wiring time, is its last field.</para>
/// <code>
///  0        56       64        72       80         88          96     100   101 104    112          160      168
///  | pad 56 | cursor | signal  | gating | nextValue| claimLimit| size | blk | 3 | wait | pad 48 ... | pad 8  |
/// </code>
/// <para>Allocation-free after construction.</para>
/// </remarks>
[StructLayout(LayoutKind.Explicit)]
public sealed class SingleProducerSequencer : ISequencer
{
    /// <summary>Byte offset of the first producer field (the cursor reference) inside the object's fields.</summary>
    public const int FieldsOffset = 56;

    /// <summary>Bytes of producer fields: three references, two longs, the size and the blocking flag (padded to 8), and the default strategy.</summary>
    public const int FieldsSize = 56;

    /// <summary>Total size of the fields, padding included.</summary>
    public const int Size = FieldsOffset + FieldsSize + 56;

    // padding: 56 bytes before the fields (FieldOffset starts them at 56)
    [FieldOffset(FieldsOffset)]
    private readonly Sequence _cursor;

    // What a publish signals: null, the one blocking strategy in use, or a WaitStrategyGroup; replaced by NewBarrier.
    [FieldOffset(FieldsOffset + 8)]
    private IWaitStrategy? _signal;

    [FieldOffset(FieldsOffset + 16)]
    private Sequence[] _gatingSequences;

    // Producer-owned state. Read only by the producer thread, so plain fields suffice; the cursor is the shared part.
    [FieldOffset(FieldsOffset + 24)]
    private long _nextValue;

    [FieldOffset(FieldsOffset + 32)]
    private long _claimLimit; // the highest sequence claimable before the gating sequences must be read again

    [FieldOffset(FieldsOffset + 40)]
    private readonly int _bufferSize;

    [FieldOffset(FieldsOffset + 44)]
    private bool _isBlocking; // _signal is set; written after _signal, only ever from false to true

    // padding: 3 bytes after the flag

    [FieldOffset(FieldsOffset + 48)]
    private readonly IWaitStrategy _waitStrategy; // the default; read at wiring time only

    // padding: 48 bytes after the block, then this field: 56 bytes after the block in all.
#pragma warning disable CS0169 // never read: it exists only to occupy the cache line after the producer's fields
    [FieldOffset(Size - sizeof(long))]
    private long _trailingPadding;
#pragma warning restore CS0169

    /// <summary>Creates a sequencer.</summary>
    /// <param name="bufferSize">Ring size; a power of two.</param>
    /// <param name="waitStrategy">The default wait strategy (barriers created without one use it), signalled on publish when it blocks.</param>
    /// <exception cref="ArgumentException">When <paramref name="bufferSize"/> is not a positive power of two.</exception>
    /// <exception cref="ArgumentNullException">When <paramref name="waitStrategy"/> is null.</exception>
    public SingleProducerSequencer(int bufferSize, IWaitStrategy waitStrategy)
    {
        RingThrow.ValidateBufferSize(bufferSize);
        ArgumentNullException.ThrowIfNull(waitStrategy);
        _bufferSize = bufferSize;
        _waitStrategy = waitStrategy;
        _signal = WaitStrategyGroup.Initial(waitStrategy);
        _isBlocking = _signal is not null;
        _cursor = new Sequence();
        _gatingSequences = [];
        _nextValue = Sequence.InitialValue;
        _claimLimit = Sequence.InitialValue + bufferSize;

        // The runtime calibrates SpinWait lazily on first use: run one spin here, at construction, so the first full
        // ring in steady state does not pay for it on the producer thread.
        var warmUp = default(SpinWait);
        warmUp.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>The highest published sequence (release-written by <see cref="Publish(long)"/>; read it with acquire).</summary>
    public Sequence Cursor => _cursor;

    /// <summary>Ring size.</summary>
    public int BufferSize => _bufferSize;

    /// <summary>The default wait strategy: barriers created by <see cref="NewBarrier(Sequence[])"/> wait with it.</summary>
    /// <remarks>Signalled on every publish when it blocks, whether or not a barrier uses it. Set at construction.</remarks>
    public IWaitStrategy WaitStrategy => _waitStrategy;

    /// <summary>Sets the consumer sequences the producer must not overtake. Call before the producer starts.</summary>
    /// <param name="sequences">The gating sequences (the last consumer of each branch).</param>
    /// <remarks>Not thread-safe against a running producer: wiring time only.</remarks>
    public void SetGatingSequences(params Sequence[] sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        _gatingSequences = sequences;
    }

    /// <summary>Creates a barrier over this sequencer's cursor that waits with the default <see cref="WaitStrategy"/>.</summary>
    /// <param name="dependents">Consumers the new consumer must stay behind.</param>
    /// <returns>The barrier (allocates; wiring time only).</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="dependents"/> is null.</exception>
    public SequenceBarrier NewBarrier(params Sequence[] dependents) => new(this, dependents);

    /// <summary>Creates a barrier over this sequencer's cursor that waits with its own <paramref name="waitStrategy"/>.</summary>
    /// <param name="waitStrategy">The consumer's strategy; added to the strategies signalled on publish when it blocks and is not there yet.</param>
    /// <param name="dependents">Consumers the new consumer must stay behind.</param>
    /// <returns>The barrier (allocates; wiring time only).</returns>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    /// <remarks>Thread-safe against other <c>NewBarrier</c> calls (compare-and-set of the reference to signal, then a
    /// release write of the flag). Call before the producer starts publishing: see
    /// <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>.</remarks>
    public SequenceBarrier NewBarrier(IWaitStrategy waitStrategy, params Sequence[] dependents)
    {
        ArgumentNullException.ThrowIfNull(waitStrategy);
        ArgumentNullException.ThrowIfNull(dependents);
        if (WaitStrategyGroup.Add(ref _signal, waitStrategy))
        {
            Volatile.Write(ref _isBlocking, true);
        }

        return new SequenceBarrier(this, waitStrategy, dependents);
    }

    /// <summary>Claims the next sequence, waiting while the ring is full.</summary>
    /// <returns>The claimed sequence.</returns>
    /// <remarks>Producer thread only; allocation-free; plain writes of producer-owned fields.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next()
    {
        var next = _nextValue + 1;
        if (next > _claimLimit)
        {
            WaitForCapacity(next);
        }

        _nextValue = next;
        return next;
    }

    /// <summary>Claims <paramref name="n"/> consecutive sequences, waiting while the ring is full.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <returns>The highest claimed sequence; the batch is <c>[result - n + 1, result]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is outside 1..ring size.</exception>
    /// <remarks>Producer thread only; allocation-free. The fast path compares with a cached claim limit (the slowest
    /// gating sequence last read, plus the ring size) and touches no shared memory; only when the claim would pass
    /// that limit does it read the consumers.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next(int n)
    {
        if ((uint)(n - 1) >= (uint)_bufferSize)
        {
            RingThrow.BatchSizeOutOfRange(n, _bufferSize);
        }

        var next = _nextValue + n;
        if (next > _claimLimit)
        {
            WaitForCapacity(next);
        }

        _nextValue = next;
        return next;
    }

    /// <summary>Claims one sequence only if there is room now; never waits.</summary>
    /// <param name="sequence">The claimed sequence, or -1.</param>
    /// <returns>False when the ring is full (nothing is claimed).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence) => TryNext(1, out sequence);

    /// <summary>Claims <paramref name="n"/> sequences only if there is room now; never waits.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <param name="sequence">The highest claimed sequence when it succeeds, otherwise -1.</param>
    /// <returns>False when the ring lacks room for <paramref name="n"/> slots (nothing is claimed).</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is outside 1..ring size.</exception>
    /// <remarks>Producer thread only; allocation-free; acquire reads of the gating sequences when the cache is stale.</remarks>
    public bool TryNext(int n, out long sequence)
    {
        if ((uint)(n - 1) >= (uint)_bufferSize)
        {
            RingThrow.BatchSizeOutOfRange(n, _bufferSize);
        }

        var current = _nextValue;
        var next = current + n;
        if (next > _claimLimit)
        {
            var minimum = Sequence.Minimum(_gatingSequences, current);
            _claimLimit = minimum + _bufferSize;
            if (next > _claimLimit)
            {
                sequence = -1;
                return false;
            }
        }

        _nextValue = next;
        sequence = next;
        return true;
    }

    /// <summary>Publishes one claimed sequence (release write of the cursor) and wakes blocked consumers.</summary>
    /// <param name="sequence">The claimed sequence.</param>
    /// <remarks>Producer thread only; allocation-free. When no strategy in use blocks, this is the cursor write and
    /// one test of a flag (a plain read of a field beside the cursor reference). With one blocking strategy in use it
    /// is also one interface call to it, exactly as when the ring had a single strategy; with several, one call to a
    /// group that signals each (every signal a full fence and a read of the strategy's waiter count, and a lock only
    /// when a consumer is parked).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        _cursor.SetValue(sequence);
        if (_isBlocking)
        {
            _signal!.SignalAllWhenBlocking();
        }
    }

    /// <summary>Publishes a claimed batch; for one producer this is publishing its highest sequence.</summary>
    /// <param name="low">First sequence of the batch (unused: the cursor is contiguous).</param>
    /// <param name="high">Last sequence of the batch.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long low, long high)
    {
        _ = low;
        Publish(high);
    }

    /// <summary>Whether <paramref name="sequence"/> is published: at or below the cursor (acquire read).</summary>
    /// <param name="sequence">A sequence.</param>
    /// <returns>True once published and not yet overwritten by a later lap.</returns>
    public bool IsAvailable(long sequence)
    {
        var cursor = _cursor.Value;
        return sequence <= cursor && sequence > cursor - _bufferSize;
    }

    /// <summary>With one producer the cursor is contiguous: returns <paramref name="availableSequence"/>.</summary>
    /// <param name="lowerBound">Unused.</param>
    /// <param name="availableSequence">The cursor value read by the caller.</param>
    /// <returns><paramref name="availableSequence"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long GetHighestPublishedSequence(long lowerBound, long availableSequence) => availableSequence;

    /// <summary>Slots the producer could claim now without waiting (acquire reads of the gating sequences).</summary>
    /// <returns>The free capacity.</returns>
    public long RemainingCapacity() => _bufferSize - (_nextValue - Sequence.Minimum(_gatingSequences, _nextValue));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForCapacity(long next)
    {
        // Full fence: the last publish must be globally visible before the consumers are read (store-load), as they
        // may be waiting on it. The cursor itself is not advanced: a claimed but unpublished slot stays unpublished.
        // The minimum is bounded by the producer's own claimed sequence, so the limit never runs ahead of what the
        // consumers have really released.
        Interlocked.MemoryBarrier();
        var current = _nextValue;
        var wrapPoint = next - _bufferSize;
        var spinner = default(SpinWait);
        long minimum;
        while (wrapPoint > (minimum = Sequence.Minimum(_gatingSequences, current)))
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _claimLimit = minimum + _bufferSize;
    }
}
