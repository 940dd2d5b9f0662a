using System.Runtime.CompilerServices;

namespace OptiFlow.Testing;

/// <summary>
/// The sorted-array <c>PriceLevels</c> of main at 2cb5980, copied verbatim (keys ascending, asks negated, best last,
/// binary search, Array.Copy on insert/remove): the reference model the ladder is checked against in the tests and the
/// baseline of the perf harness's book-levels benchmark.
/// </summary>
public sealed class SortedArrayPriceLevels
{
    private readonly bool _negateKeys;
    private long[] _keys;
    private long[] _quantities;
    private int _count;

    /// <summary>Creates an empty side.</summary>
    /// <param name="isAsk">True for the ask side (best = lowest price).</param>
    /// <param name="capacity">Initial level capacity.</param>
    public SortedArrayPriceLevels(bool isAsk, int capacity)
    {
        _negateKeys = isAsk;
        _keys = new long[capacity];
        _quantities = new long[capacity];
    }

    /// <summary>Number of levels.</summary>
    public int Count => _count;

    /// <summary>How many times the storage doubled.</summary>
    public int GrowCount { get; private set; }

    /// <summary>Price of the level <paramref name="depth"/> steps from the top (0 = best), 10⁻⁸ units.</summary>
    /// <param name="depth">0 ≤ depth &lt; <see cref="Count"/>.</param>
    /// <returns>The price.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long PriceAt(int depth)
    {
        var key = _keys[_count - 1 - depth];
        return _negateKeys ? -key : key;
    }

    /// <summary>Quantity of the level <paramref name="depth"/> steps from the top, 10⁻⁸ units.</summary>
    /// <param name="depth">0 ≤ depth &lt; <see cref="Count"/>.</param>
    /// <returns>The quantity.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long QuantityAt(int depth) => _quantities[_count - 1 - depth];

    /// <summary>Quantity of the level at <paramref name="price"/>, 0 when there is none.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <returns>The quantity, 10⁻⁸ units.</returns>
    /// <remarks>Binary search; allocation-free.</remarks>
    public long QuantityOf(long price)
    {
        var index = Find(_negateKeys ? -price : price);
        return index >= 0 ? _quantities[index] : 0;
    }

    /// <summary>Sets the absolute quantity at a price: inserts, updates, or (quantity 0) removes the level.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Absolute quantity, 10⁻⁸ units; 0 removes (removing an absent level is normal).</param>
    public void Set(long price, long quantity)
    {
        var key = _negateKeys ? -price : price;
        var index = Find(key);
        if (index >= 0)
        {
            if (quantity == 0)
            {
                var tail = _count - index - 1;
                if (tail > 0)
                {
                    Array.Copy(_keys, index + 1, _keys, index, tail);
                    Array.Copy(_quantities, index + 1, _quantities, index, tail);
                }

                _count--;
            }
            else
            {
                _quantities[index] = quantity;
            }

            return;
        }

        if (quantity == 0)
        {
            return;
        }

        if (_count == _keys.Length)
        {
            Grow();
        }

        var insertAt = ~index;
        var moved = _count - insertAt;
        if (moved > 0)
        {
            Array.Copy(_keys, insertAt, _keys, insertAt + 1, moved);
            Array.Copy(_quantities, insertAt, _quantities, insertAt + 1, moved);
        }

        _keys[insertAt] = key;
        _quantities[insertAt] = quantity;
        _count++;
    }

    /// <summary>Removes every level.</summary>
    public void Clear() => _count = 0;

    /// <summary>Sum of the quantities of the top <paramref name="levels"/> levels (fewer if the side is shallower).</summary>
    /// <param name="levels">How many levels from the top.</param>
    /// <returns>The sum in 10⁻⁸ units, as <see cref="Int128"/> so it cannot overflow.</returns>
    public Int128 SumQuantity(int levels)
    {
        Int128 sum = 0;
        var stop = Math.Max(0, _count - levels);
        for (var i = _count - 1; i >= stop; i--)
        {
            sum += _quantities[i];
        }

        return sum;
    }

    /// <summary>Folds every level (best first) into a CRC-32C, for comparing books across runs.</summary>
    /// <param name="crc">Running CRC.</param>
    /// <returns>The updated CRC.</returns>
    public uint Digest(uint crc)
    {
        crc = System.Numerics.BitOperations.Crc32C(crc, (ulong)_count);
        for (var i = _count - 1; i >= 0; i--)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, (ulong)_keys[i]);
            crc = System.Numerics.BitOperations.Crc32C(crc, (ulong)_quantities[i]);
        }

        return crc;
    }

    private int Find(long key)
    {
        // Binary search over ascending keys; returns the index, or the bitwise complement of the insertion point.
        var low = 0;
        var high = _count - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var value = _keys[mid];
            if (value == key)
            {
                return mid;
            }

            if (value < key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }

    private void Grow()
    {
        GrowCount++;
        Array.Resize(ref _keys, _keys.Length * 2);
        Array.Resize(ref _quantities, _quantities.Length * 2);
    }
}
