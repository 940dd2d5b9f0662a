using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptiFlow.Engine;

/// <summary>
/// Claims and publishes ring sequences for exactly one producer thread, without compare-and-swap, and prevents the
/// producer from wrapping past the slowest gating consumer.
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="Next(int)"/>, <see cref="TryNext(int, out long)"/> and <see cref="Publish(long, long)"/>
/// must be called from one producer thread only. Consumers read <see cref="Cursor"/>.
/// Full-ring policy: <see cref="Next(int)"/> waits (spin, then yield, then sleep) for the slowest gating sequence;
/// <see cref="TryNext(int, out long)"/> fails at once. Nothing is dropped and nothing grows.
/// Allocation-free after construction.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public sealed class SingleProducerSequencer
{
    private readonly int _bufferSize;
    private readonly IWaitStrategy _waitStrategy;
    private Sequence[] _gatingSequences = [];

    // Producer-owned state. Read only by the producer thread, so plain fields suffice; the cursor is the shared part.
    private long _nextValue = Sequence.InitialValue;
    private long _cachedGatingValue = Sequence.InitialValue;

    /// <summary>Creates a sequencer.</summary>
    /// <param name="bufferSize">Ring size; a power of two.</param>
    /// <param name="waitStrategy">The consumers' wait strategy, signalled on publish when it blocks.</param>
    /// <exception cref="ArgumentException">When <paramref name="bufferSize"/> is not a positive power of two.</exception>
    public SingleProducerSequencer(int bufferSize, IWaitStrategy waitStrategy)
    {
        if (bufferSize < 1 || !System.Numerics.BitOperations.IsPow2(bufferSize))
        {
            throw new ArgumentException($"Ring size must be a positive power of two, got {bufferSize}.", nameof(bufferSize));
        }

        _bufferSize = bufferSize;
        _waitStrategy = waitStrategy;

        // The runtime calibrates SpinWait lazily on first use: run one spin here, at construction, so the first full
        // ring in steady state does not pay for it on the producer thread.
        var warmUp = default(SpinWait);
        warmUp.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>The highest published sequence (release-written by <see cref="Publish(long, long)"/>).</summary>
    public Sequence Cursor { get; } = new();

    /// <summary>Ring size.</summary>
    public int BufferSize => _bufferSize;

    /// <summary>The wait strategy consumers use.</summary>
    public IWaitStrategy WaitStrategy => _waitStrategy;

    /// <summary>Sets the consumer sequences the producer must not overtake. Call before the producer starts.</summary>
    /// <param name="sequences">The gating sequences (the last consumer of each branch).</param>
    public void SetGatingSequences(params Sequence[] sequences) => _gatingSequences = sequences;

    /// <summary>Creates a barrier over this sequencer's cursor.</summary>
    /// <param name="dependents">Consumers the new consumer must stay behind.</param>
    /// <returns>The barrier.</returns>
    public SequenceBarrier NewBarrier(params Sequence[] dependents) => new(Cursor, _waitStrategy, dependents);

    /// <summary>Claims the next sequence, waiting while the ring is full.</summary>
    /// <returns>The claimed sequence.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next() => Next(1);

    /// <summary>Claims <paramref name="n"/> consecutive sequences, waiting while the ring is full.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <returns>The highest claimed sequence; the batch is <c>[result - n + 1, result]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is outside 1..ring size.</exception>
    public long Next(int n)
    {
        if ((uint)(n - 1) >= (uint)_bufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"Batch claim must be between 1 and the ring size {_bufferSize}.");
        }

        var current = _nextValue;
        var next = current + n;
        var wrapPoint = next - _bufferSize;
        var cached = _cachedGatingValue;
        if (wrapPoint > cached || cached > current)
        {
            // Make the cursor visible before reading the consumers (store-load), as they may be waiting on it.
            Cursor.SetValueVolatile(current);
            var spinner = default(SpinWait);
            long minimum;
            while (wrapPoint > (minimum = Sequence.Minimum(_gatingSequences, current)))
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            _cachedGatingValue = minimum;
        }

        _nextValue = next;
        return next;
    }

    /// <summary>Claims <paramref name="n"/> sequences only if there is room now; never waits.</summary>
    /// <param name="n">How many, 1 to the ring size.</param>
    /// <param name="sequence">The highest claimed sequence when it succeeds.</param>
    /// <returns>False when the ring lacks room for <paramref name="n"/> slots (nothing is claimed).</returns>
    public bool TryNext(int n, out long sequence)
    {
        if ((uint)(n - 1) >= (uint)_bufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"Batch claim must be between 1 and the ring size {_bufferSize}.");
        }

        var current = _nextValue;
        var next = current + n;
        var wrapPoint = next - _bufferSize;
        if (wrapPoint > _cachedGatingValue)
        {
            var minimum = Sequence.Minimum(_gatingSequences, current);
            _cachedGatingValue = minimum;
            if (wrapPoint > minimum)
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        Cursor.SetValue(sequence);
        if (_waitStrategy.IsBlocking)
        {
            _waitStrategy.SignalAllWhenBlocking();
        }
    }

    /// <summary>Publishes a claimed batch; for one producer this is publishing its highest sequence.</summary>
    /// <param name="low">First sequence of the batch.</param>
    /// <param name="high">Last sequence of the batch.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long low, long high)
    {
        _ = low;
        Publish(high);
    }

    /// <summary>Slots a producer could claim now without waiting.</summary>
    /// <returns>The free capacity.</returns>
    public long RemainingCapacity() => _bufferSize - (_nextValue - Sequence.Minimum(_gatingSequences, _nextValue));
}
