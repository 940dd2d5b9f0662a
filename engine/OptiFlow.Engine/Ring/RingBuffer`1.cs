using System.Runtime.CompilerServices;

namespace OptiFlow.Engine;

/// <summary>
/// A pre-allocated, power-of-two ring of unmanaged event slots, claimed and published through a
/// <see cref="SingleProducerSequencer"/> or a <see cref="MultiProducerSequencer"/>.
/// </summary>
/// <typeparam name="T">The slot type; unmanaged so slots are plain bytes that can be journaled verbatim.</typeparam>
/// <remarks>
/// <para>Protocol: the producer claims, writes the slot, and publishes in a <c>finally</c> (a claimed slot that is
/// never published stalls every consumer):</para>
/// <example><code>
/// var sequence = ring.Next();
/// try { ref var slot = ref ring[sequence]; slot.Value = value; /* … write the rest of the slot */ }
/// finally { ring.Publish(sequence); }
/// </code></example>
/// <para>Dispatch: the ring keeps a typed reference to its sequencer (one of two fields is set, and both classes are
/// sealed), so <see cref="Next()"/> and <see cref="Publish(long)"/> test one field against null — a branch that never
/// changes and that the CPU predicts perfectly — and then make a direct, inlinable call. No interface or virtual call is
/// made per event; <see cref="Sequencer"/> exposes the <see cref="ISequencer"/> interface for wiring only.</para>
/// <para>Full-ring policy: <see cref="Next()"/> waits for the slowest gating consumer; <see cref="TryNext(out long)"/>
/// fails at once. Consumers read slots up to what their <see cref="SequenceBarrier"/> allows. The slot array is
/// padded by <see cref="PaddingSlots"/> slots at both ends so the first and last slots share no cache line with other
/// objects, and allocated on the pinned object heap so slots are addressed through one pointer. Thread-safety: as the
/// sequencer's (one producer thread for <see cref="ProducerType.Single"/>). Allocation-free after construction.</para>
/// </remarks>
public sealed unsafe class RingBuffer<T>
    where T : unmanaged
{
    private readonly T[] _slots; // pinned (pinned object heap): _first stays valid for the ring's lifetime
    private readonly T* _first; // the slot of index 0, after the leading padding
    private readonly long _indexMask;
    private readonly SingleProducerSequencer? _singleProducer;
    private readonly MultiProducerSequencer? _multiProducer;

    /// <summary>Creates a ring for one producer thread.</summary>
    /// <param name="bufferSize">Number of slots; a power of two.</param>
    /// <param name="waitStrategy">The consumers' default wait strategy (a consumer may have its own:
    /// <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>), signalled on publish when it blocks.</param>
    /// <exception cref="ArgumentException">When <paramref name="bufferSize"/> is not a positive power of two.</exception>
    public RingBuffer(int bufferSize, IWaitStrategy waitStrategy)
        : this(bufferSize, waitStrategy, ProducerType.Single)
    {
    }

    /// <summary>Creates a ring for one or several producer threads.</summary>
    /// <param name="bufferSize">Number of slots; a power of two.</param>
    /// <param name="waitStrategy">The consumers' default wait strategy (a consumer may have its own:
    /// <see cref="ISequencer.NewBarrier(IWaitStrategy, Sequence[])"/>), signalled on publish when it blocks.</param>
    /// <param name="producerType">Which sequencer to build.</param>
    /// <exception cref="ArgumentException">When <paramref name="bufferSize"/> is not a positive power of two.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="producerType"/> is not defined.</exception>
    public RingBuffer(int bufferSize, IWaitStrategy waitStrategy, ProducerType producerType)
    {
        switch (producerType)
        {
            case ProducerType.Single:
                _singleProducer = new SingleProducerSequencer(bufferSize, waitStrategy);
                Sequencer = _singleProducer;
                break;
            case ProducerType.Multi:
                _multiProducer = new MultiProducerSequencer(bufferSize, waitStrategy);
                Sequencer = _multiProducer;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(producerType), producerType, "Unknown producer type.");
        }

        ProducerType = producerType;
        PaddingSlots = Math.Max(1, 128 / Unsafe.SizeOf<T>());
        _slots = GC.AllocateArray<T>(bufferSize + (2 * PaddingSlots), pinned: true);
        _first = (T*)Unsafe.AsPointer(ref _slots[PaddingSlots]);
        _indexMask = bufferSize - 1;
    }

    /// <summary>Slots of padding at each end of the array: 128 bytes' worth, at least one.</summary>
    public int PaddingSlots { get; }

    /// <summary>Which sequencer the ring uses.</summary>
    public ProducerType ProducerType { get; }

    /// <summary>The sequencer that claims and publishes, for wiring (barriers, gating) and cold calls.</summary>
    public ISequencer Sequencer { get; }

    /// <summary>Number of slots.</summary>
    public int BufferSize => Sequencer.BufferSize;

    /// <summary>The sequencer's cursor (published for one producer, claimed for several).</summary>
    public Sequence Cursor => Sequencer.Cursor;

    /// <summary>
    /// The slot of index 0 (after the leading padding): slot <c>s</c> is <c>Unsafe.Add(ref FirstSlot, s &amp; IndexMask)</c>.
    /// A consumer's per-event loop reads these two once per batch, so the slot address needs no field loads per event
    /// (the JIT cannot hoist the indexer's loads past the handler's stores to the heap).
    /// </summary>
    internal ref T FirstSlot => ref *_first;

    /// <summary><see cref="BufferSize"/> − 1: a sequence's slot index is <c>sequence &amp; IndexMask</c>.</summary>
    internal long IndexMask => _indexMask;

    /// <summary>The slot for <paramref name="sequence"/>.</summary>
    /// <param name="sequence">A claimed (producer) or available (consumer) sequence.</param>
    /// <remarks>No bounds check beyond the mask; allocation-free; plain access to the slot's bytes. The slot array
    /// is allocated pinned, so the address is one pointer field plus the masked index: no array reference, null check
    /// or padding offset to load per access.</remarks>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _first[sequence & _indexMask];
    }

    /// <summary>Claims one slot, waiting while the ring is full; see <see cref="SingleProducerSequencer.Next()"/>.</summary>
    /// <returns>The claimed sequence.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next()
    {
        var single = _singleProducer;
        return single is not null ? single.Next() : _multiProducer!.Next();
    }

    /// <summary>Claims <paramref name="n"/> slots, waiting while the ring is full.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <returns>The highest claimed sequence.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is outside 1..ring size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next(int n)
    {
        var single = _singleProducer;
        return single is not null ? single.Next(n) : _multiProducer!.Next(n);
    }

    /// <summary>Claims one slot only if there is room now; never waits.</summary>
    /// <param name="sequence">The claimed sequence, or -1.</param>
    /// <returns>False when the ring is full: nothing is claimed, nothing is dropped; the caller decides.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence) => TryNext(1, out sequence);

    /// <summary>Claims <paramref name="n"/> slots only if there is room now; never waits.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <param name="sequence">The highest claimed sequence, or -1.</param>
    /// <returns>False when the ring lacks room (nothing is claimed).</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is outside 1..ring size.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(int n, out long sequence)
    {
        var single = _singleProducer;
        return single is not null ? single.TryNext(n, out sequence) : _multiProducer!.TryNext(n, out sequence);
    }

    /// <summary>Publishes one slot (release; see the sequencer).</summary>
    /// <param name="sequence">The claimed sequence.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        var single = _singleProducer;
        if (single is not null)
        {
            single.Publish(sequence);
        }
        else
        {
            _multiProducer!.Publish(sequence);
        }
    }

    /// <summary>Publishes a claimed batch.</summary>
    /// <param name="low">First sequence.</param>
    /// <param name="high">Last sequence.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long low, long high)
    {
        var single = _singleProducer;
        if (single is not null)
        {
            single.Publish(low, high);
        }
        else
        {
            _multiProducer!.Publish(low, high);
        }
    }
}
