using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptiFlow.Engine;

/// <summary>
/// A pre-allocated, power-of-two ring of unmanaged event slots, with one producer (<see cref="SingleProducerSequencer"/>).
/// </summary>
/// <typeparam name="T">The slot type; unmanaged so slots are plain bytes that can be journaled verbatim.</typeparam>
/// <remarks>
/// Protocol: the producer claims, writes the slot, and publishes in a <c>finally</c>:
/// <example><code>
/// var sequence = ring.Next();
/// try { ref var slot = ref ring[sequence]; slot.Kind = MarketEventKind.Trade; /* … */ }
/// finally { ring.Publish(sequence); }
/// </code></example>
/// Consumers read slots up to what their <see cref="SequenceBarrier"/> allows. The slot array is padded by
/// <see cref="PaddingSlots"/> slots at both ends so the first and last slots share no cache line with other objects.
/// Allocation-free after construction.
/// </remarks>
public sealed class RingBuffer<T>
    where T : unmanaged
{
    private readonly T[] _slots;
    private readonly long _indexMask;
    private readonly long _padding;

    /// <summary>Creates a ring.</summary>
    /// <param name="bufferSize">Number of slots; a power of two.</param>
    /// <param name="waitStrategy">The consumers' wait strategy.</param>
    /// <exception cref="ArgumentException">When <paramref name="bufferSize"/> is not a positive power of two.</exception>
    public RingBuffer(int bufferSize, IWaitStrategy waitStrategy)
    {
        Sequencer = new SingleProducerSequencer(bufferSize, waitStrategy);
        _padding = PaddingSlots;
        _slots = new T[bufferSize + (2 * PaddingSlots)];
        _indexMask = bufferSize - 1;
    }

    /// <summary>Slots of padding at each end of the array: 128 bytes' worth, at least one.</summary>
    public int PaddingSlots { get; } = Math.Max(1, 128 / Unsafe.SizeOf<T>());

    /// <summary>The sequencer that claims and publishes.</summary>
    public SingleProducerSequencer Sequencer { get; }

    /// <summary>Number of slots.</summary>
    public int BufferSize => Sequencer.BufferSize;

    /// <summary>The producer's published cursor.</summary>
    public Sequence Cursor => Sequencer.Cursor;

    /// <summary>The slot for <paramref name="sequence"/>.</summary>
    /// <param name="sequence">A claimed (producer) or available (consumer) sequence.</param>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)((sequence & _indexMask) + _padding));
    }

    /// <summary>Claims one slot; see <see cref="SingleProducerSequencer.Next(int)"/>.</summary>
    /// <returns>The claimed sequence.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next() => Sequencer.Next(1);

    /// <summary>Claims <paramref name="n"/> slots; see <see cref="SingleProducerSequencer.Next(int)"/>.</summary>
    /// <param name="n">How many.</param>
    /// <returns>The highest claimed sequence.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next(int n) => Sequencer.Next(n);

    /// <summary>Publishes one slot.</summary>
    /// <param name="sequence">The claimed sequence.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence) => Sequencer.Publish(sequence);

    /// <summary>Publishes a claimed batch.</summary>
    /// <param name="low">First sequence.</param>
    /// <param name="high">Last sequence.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long low, long high) => Sequencer.Publish(low, high);
}
