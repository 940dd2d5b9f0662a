using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptiFlow.Engine;

/// <summary>
/// A 64-bit ring sequence shared between threads, padded so that no other hot field shares its cache line.
/// </summary>
/// <remarks>
/// Layout (explicit; the object header precedes it): 56 bytes of padding, the 8-byte value at
/// <see cref="ValueOffset"/>, 56 bytes of padding: <see cref="Size"/> = 120 bytes, so the value sits alone on a
/// 64-byte line whatever the allocator places around the object.
/// Memory ordering is in the member names: <see cref="Value"/> is an acquire read, <see cref="ValuePlain"/> a plain
/// read, <see cref="SetValue"/> a release write, <see cref="SetValueVolatile"/> a full-fence write,
/// <see cref="CompareAndSet"/> a full-fence compare-and-swap. Allocation-free after construction.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public sealed class Sequence
{
    /// <summary>Initial value of every sequence: nothing claimed or consumed yet.</summary>
    public const long InitialValue = -1;

    /// <summary>Byte offset of the value inside the object's fields.</summary>
    public const int ValueOffset = 56;

    /// <summary>Total size of the fields, padding included.</summary>
    public const int Size = ValueOffset + sizeof(long) + 56;

    // padding: 56 bytes before the value (FieldOffset starts it at 56)
    [FieldOffset(ValueOffset)]
    private long _value;

    // padding: 48 bytes after the value, then this field: 56 in all. The runtime ignores StructLayout.Size on a class,
    // so the trailing padding must be a real field (a layout test asserts the 120 bytes).
#pragma warning disable CS0169 // never read: it exists only to occupy the cache line after the value
    [FieldOffset(Size - sizeof(long))]
    private long _trailingPadding;
#pragma warning restore CS0169

    /// <summary>Creates a sequence.</summary>
    /// <param name="initialValue">Starting value; <see cref="InitialValue"/> by default.</param>
    public Sequence(long initialValue = InitialValue) => _value = initialValue;

    /// <summary>The value, read with acquire semantics (<c>Volatile.Read</c>).</summary>
    public long Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _value);
    }

    /// <summary>The value, read without any barrier: only for the thread that owns the sequence.</summary>
    public long ValuePlain
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _value;
    }

    /// <summary>Writes with release semantics: every write before it is visible to a thread that reads this value with acquire.</summary>
    /// <param name="value">The new value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetValue(long value) => Volatile.Write(ref _value, value);

    /// <summary>Writes with a full fence (store-load ordered): later reads cannot move before it.</summary>
    /// <param name="value">The new value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetValueVolatile(long value) => Interlocked.Exchange(ref _value, value);

    /// <summary>Atomically replaces the value when it equals <paramref name="expected"/> (full fence).</summary>
    /// <param name="expected">The value it must hold.</param>
    /// <param name="next">The value to write.</param>
    /// <returns>Whether the value was replaced.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CompareAndSet(long expected, long next) => Interlocked.CompareExchange(ref _value, next, expected) == expected;

    /// <summary>Atomically adds <paramref name="increment"/> (full fence).</summary>
    /// <param name="increment">Amount to add.</param>
    /// <returns>The value after the add.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long AddAndGet(long increment) => Interlocked.Add(ref _value, increment);

    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The smallest value of <paramref name="sequences"/>, or <paramref name="minimum"/> when smaller or when there are none.</summary>
    /// <param name="sequences">Sequences read with acquire semantics.</param>
    /// <param name="minimum">Upper bound of the result.</param>
    /// <returns>The minimum.</returns>
    public static long Minimum(ReadOnlySpan<Sequence> sequences, long minimum = long.MaxValue)
    {
        foreach (var sequence in sequences)
        {
            var value = sequence.Value;
            if (value < minimum)
            {
                minimum = value;
            }
        }

        return minimum;
    }
}
