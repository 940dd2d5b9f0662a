using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptiFlow.Engine;

/// <summary>
/// Claims and publishes ring sequences for any number of producer threads: an atomic add (or compare-and-set, for
/// <see cref="TryNext(int, out long)"/>) on the cursor claims, and a per-slot availability marker publishes, so a
/// consumer never reads a slot that is claimed but not yet written.
/// </summary>
/// <remarks>
/// <para>How publication is marked: slot <c>i = sequence &amp; (size − 1)</c> holds the lap <c>sequence &gt;&gt; log2(size)</c>
/// of the last sequence published into it (−1 before the first lap). <see cref="Publish(long)"/> is a release write of
/// that marker; <see cref="IsAvailable"/> an acquire read compared with the lap of the sequence asked about, so a slot of
/// the previous lap never passes for the current one. The <see cref="Cursor"/> here is the highest <b>claimed</b>
/// sequence; a barrier reads it and then calls <see cref="GetHighestPublishedSequence"/> once per batch.</para>
/// <para>Thread-safety: every method may be called from any number of producer threads at once, except
/// <see cref="SetGatingSequences"/> (wiring time). Memory ordering: <see cref="Next(int)"/> is a full-fence atomic
/// add on the cursor; <see cref="TryNext(int, out long)"/> a full-fence compare-and-set; publish is a release write
/// of the slot's marker; the gating cache is a padded <see cref="Sequence"/> written with release.</para>
/// <para>Full-ring policy: <see cref="Next(int)"/> claims at once and then waits (spin, then yield) until the slowest
/// gating sequence has freed the claimed slots; <see cref="TryNext(int, out long)"/> claims only when there is room
/// now and otherwise fails without claiming. Nothing is dropped and nothing grows.</para>
/// <para>Wait strategies: publishing signals the blocking strategies in use (the default <see cref="WaitStrategy"/>
/// when it blocks, and each distinct blocking strategy given to <see cref="NewBarrier(IWaitStrategy, Sequence[])"/>);
/// when none blocks, a publish costs one test of a flag beyond the marker write.</para>
/// <para>Layout: every field of this object is written once, at construction (or at wiring, for the gating array
/// and the strategies to signal); the fields written on the hot path live in padded objects (<see cref="Cursor"/>,
/// the gating cache) or in the availability array, which carries <see cref="AvailabilityPadding"/> unused ints
/// (128 bytes) at each end.</para>
/// <para>Allocation-free after construction.</para>
/// </remarks>
public sealed class MultiProducerSequencer : ISequencer
{
    /// <summary>Unused ints at each end of the availability array: 128 bytes, so its live markers share no line with a neighbour.</summary>
    public const int AvailabilityPadding = 128 / sizeof(int);

    private readonly int _bufferSize;
    private readonly int _indexMask;
    private readonly int _indexShift;
    private readonly IWaitStrategy _waitStrategy; // the default; read at wiring time only
    private IWaitStrategy? _signal; // what a publish signals: null, the one blocking strategy in use, or a WaitStrategyGroup
    private bool _isBlocking; // _signal is set; written after _signal, only ever from false to true
    private readonly int[] _available;
    private readonly Sequence _cursor = new();
    private readonly Sequence _gatingSequenceCache = new();
    private Sequence[] _gatingSequences = [];

    /// <summary>Creates a sequencer.</summary>
    /// <param name="bufferSize">Ring size; a power of two.</param>
    /// <param name="waitStrategy">The default wait strategy (barriers created without one use it), signalled on publish when it blocks.</param>
    /// <exception cref="ArgumentException">When <paramref name="bufferSize"/> is not a positive power of two.</exception>
    /// <exception cref="ArgumentNullException">When <paramref name="waitStrategy"/> is null.</exception>
    public MultiProducerSequencer(int bufferSize, IWaitStrategy waitStrategy)
    {
        RingThrow.ValidateBufferSize(bufferSize);
        ArgumentNullException.ThrowIfNull(waitStrategy);
        _bufferSize = bufferSize;
        _indexMask = bufferSize - 1;
        _indexShift = System.Numerics.BitOperations.Log2((uint)bufferSize);
        _waitStrategy = waitStrategy;
        _signal = WaitStrategyGroup.Initial(waitStrategy);
        _isBlocking = _signal is not null;
        _available = new int[bufferSize + (2 * AvailabilityPadding)];
        _available.AsSpan().Fill(-1);

        // SpinWait calibrates lazily: pay for it here rather than on the first full ring.
        var warmUp = default(SpinWait);
        warmUp.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>The highest claimed sequence (full-fence atomic updates); publication is per slot, see <see cref="IsAvailable"/>.</summary>
    public Sequence Cursor => _cursor;

    /// <summary>Ring size.</summary>
    public int BufferSize => _bufferSize;

    /// <summary>The default wait strategy: barriers created by <see cref="NewBarrier(Sequence[])"/> wait with it.</summary>
    /// <remarks>Signalled on every publish when it blocks, whether or not a barrier uses it. Set at construction.</remarks>
    public IWaitStrategy WaitStrategy => _waitStrategy;

    /// <summary>Sets the consumer sequences the producers must not overtake. Call before producers start.</summary>
    /// <param name="sequences">The gating sequences (the last consumer of each branch).</param>
    /// <remarks>Not thread-safe against running producers: wiring time only.</remarks>
    public void SetGatingSequences(params Sequence[] sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        _gatingSequences = sequences;
    }

    /// <summary>Creates a barrier over this sequencer (cursor plus availability markers) that waits with the default <see cref="WaitStrategy"/>.</summary>
    /// <param name="dependents">Consumers the new consumer must stay behind.</param>
    /// <returns>The barrier (allocates; wiring time only).</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="dependents"/> is null.</exception>
    public SequenceBarrier NewBarrier(params Sequence[] dependents) => new(this, dependents);

    /// <summary>Creates a barrier over this sequencer (cursor plus availability markers) that waits with its own <paramref name="waitStrategy"/>.</summary>
    /// <param name="waitStrategy">The consumer's strategy; added to the strategies signalled on publish when it blocks and is not there yet.</param>
    /// <param name="dependents">Consumers the new consumer must stay behind.</param>
    /// <returns>The barrier (allocates; wiring time only).</returns>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    /// <remarks>Thread-safe against other <c>NewBarrier</c> calls (compare-and-set of the reference to signal, then a
    /// release write of the flag). Call before the producers start publishing: see
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next() => Next(1);

    /// <summary>Claims <paramref name="n"/> consecutive sequences with one atomic add, then waits while the ring is full.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <returns>The highest claimed sequence; the batch is <c>[result - n + 1, result]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is outside 1..ring size.</exception>
    /// <remarks>Any producer thread; allocation-free. The claim itself never fails or retries; a producer that finds
    /// the ring full waits for its own slots only.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next(int n)
    {
        if ((uint)(n - 1) >= (uint)_bufferSize)
        {
            RingThrow.BatchSizeOutOfRange(n, _bufferSize);
        }

        var next = _cursor.AddAndGet(n);
        var current = next - n;
        var wrapPoint = next - _bufferSize;
        var cached = _gatingSequenceCache.Value;
        if (wrapPoint > cached || cached > current)
        {
            WaitForCapacity(current, wrapPoint);
        }

        return next;
    }

    /// <summary>Claims one sequence only if there is room now; never waits.</summary>
    /// <param name="sequence">The claimed sequence, or -1.</param>
    /// <returns>False when the ring is full (nothing is claimed).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence) => TryNext(1, out sequence);

    /// <summary>Claims <paramref name="n"/> sequences with compare-and-set, only if there is room now; never waits.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <param name="sequence">The highest claimed sequence when it succeeds, otherwise -1.</param>
    /// <returns>False when the ring lacks room for <paramref name="n"/> slots (nothing is claimed).</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is outside 1..ring size.</exception>
    /// <remarks>Any producer thread; allocation-free. Retries the compare-and-set only when another producer claimed in between.</remarks>
    public bool TryNext(int n, out long sequence)
    {
        if ((uint)(n - 1) >= (uint)_bufferSize)
        {
            RingThrow.BatchSizeOutOfRange(n, _bufferSize);
        }

        long current;
        long next;
        do
        {
            current = _cursor.Value;
            next = current + n;
            if (!HasAvailableCapacity(n, current))
            {
                sequence = -1;
                return false;
            }
        }
        while (!_cursor.CompareAndSet(current, next));

        sequence = next;
        return true;
    }

    /// <summary>Publishes one claimed sequence (release write of its slot's marker) and wakes blocked consumers.</summary>
    /// <param name="sequence">The claimed sequence.</param>
    /// <remarks>Any producer thread, for a sequence it claimed; allocation-free. When no strategy in use blocks, this is
    /// the marker write and one test of a flag; otherwise one interface call, to the one blocking strategy in use or
    /// to a group that signals each.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        SetAvailable(sequence);
        if (_isBlocking)
        {
            _signal!.SignalAllWhenBlocking();
        }
    }

    /// <summary>Publishes a claimed batch: marks every slot, then wakes blocked consumers once.</summary>
    /// <param name="low">First sequence of the batch.</param>
    /// <param name="high">Last sequence of the batch.</param>
    /// <remarks>Any producer thread, for sequences it claimed; allocation-free. Consumers may see the batch's
    /// slots become available one by one, always in order from <paramref name="low"/>.</remarks>
    public void Publish(long low, long high)
    {
        for (var sequence = low; sequence <= high; sequence++)
        {
            SetAvailable(sequence);
        }

        if (_isBlocking)
        {
            _signal!.SignalAllWhenBlocking();
        }
    }

    /// <summary>Whether <paramref name="sequence"/> has been published in its lap (acquire read of the slot's marker).</summary>
    /// <param name="sequence">A sequence not older than one ring size behind the slowest consumer.</param>
    /// <returns>True once published.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsAvailable(long sequence) =>
        Volatile.Read(ref MarkerOf(sequence)) == (int)(sequence >>> _indexShift);

    /// <summary>The highest sequence in <c>[lowerBound, availableSequence]</c> below which every slot is published.</summary>
    /// <param name="lowerBound">The first sequence wanted.</param>
    /// <param name="availableSequence">The cursor value read by the caller.</param>
    /// <returns>At least <c>lowerBound - 1</c>; one acquire read per slot scanned.</returns>
    public long GetHighestPublishedSequence(long lowerBound, long availableSequence)
    {
        for (var sequence = lowerBound; sequence <= availableSequence; sequence++)
        {
            if (!IsAvailable(sequence))
            {
                return sequence - 1;
            }
        }

        return availableSequence;
    }

    /// <summary>Slots a producer could claim now without waiting (acquire reads).</summary>
    /// <returns>The free capacity; racy by nature while producers run.</returns>
    public long RemainingCapacity()
    {
        var produced = _cursor.Value;
        return _bufferSize - (produced - Sequence.Minimum(_gatingSequences, produced));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int MarkerOf(long sequence) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_available), (nint)((int)sequence & _indexMask) + AvailabilityPadding);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetAvailable(long sequence) => Volatile.Write(ref MarkerOf(sequence), (int)(sequence >>> _indexShift));

    private bool HasAvailableCapacity(int n, long current)
    {
        var wrapPoint = current + n - _bufferSize;
        var cached = _gatingSequenceCache.Value;
        if (wrapPoint > cached || cached > current)
        {
            var minimum = Sequence.Minimum(_gatingSequences, current);
            _gatingSequenceCache.SetValue(minimum);
            if (wrapPoint > minimum)
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForCapacity(long current, long wrapPoint)
    {
        var spinner = default(SpinWait);
        long minimum;
        while (wrapPoint > (minimum = Sequence.Minimum(_gatingSequences, current)))
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _gatingSequenceCache.SetValue(minimum);
    }
}
