using System.Numerics;
using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Books;

/// <summary>
/// One side of an L2 book. Small sides live in a sorted array; a side that grows past
/// <see cref="DefaultLadderThreshold"/> levels moves its levels near the touch onto a price ladder indexed by ticks
/// (O(1) level updates, as hftbacktest's <c>ROIVectorMarketDepth</c>), keeping every level outside the ladder's window
/// exactly in the sorted array (nothing is ever dropped).
/// </summary>
/// <remarks>
/// <para>
/// <b>Keys.</b> Bids use the price as key, asks the negated price, so on both sides the best level has the highest key.
/// </para>
/// <para>
/// <b>Sorted array</b> (the "overflow"): two parallel arrays, keys ascending (best last), binary search,
/// <see cref="Array.Copy(Array, int, Array, int, int)"/> on insert/remove. With no ladder it holds every level; with one,
/// the levels below the window first (ascending), then the levels above it.
/// </para>
/// <para>
/// <b>Ladder.</b> The tick is not given: it is inferred as the GCD of the differences between the keys seen (re-derived,
/// and the ladder rebuilt, when a new level breaks it; it can only shrink, so this happens at most 63 times in a side's
/// life). The ladder is a window of <c>span</c> (a power of two) slots of <c>tick</c> each, <c>slot = (key − base) /
/// tick</c>, holding quantities (0 = no level), with a bitmap (one bit per slot in 64-bit words, and a summary word
/// level: one bit per non-empty word) to step from a level to the next worse one in O(1) per word, and the best slot
/// maintained incrementally. When the touch leaves the window (a level better than the window, or the ladder empties),
/// the window is re-centred with the best level ¾ up it (<see cref="RecenterCount"/>): O(levels + span / 64), rare.
/// </para>
/// <para>
/// <b>Depth.</b> <see cref="PriceAt"/>/<see cref="QuantityAt"/> walk the bitmap from the best level; the last position
/// walked is cached, so reading depths 0, 1, 2, … in order costs one step each.
/// </para>
/// <para>
/// Every observable result (levels best→worst, <see cref="Count"/>, sums, <see cref="Digest"/>) is exactly the sorted
/// array's; only the cost differs. Allocation-free in steady state: the sorted array doubles when it is full and the
/// ladder is allocated once when a side first needs it (both counted in <see cref="GrowCount"/>). Single-threaded (the
/// core).
/// </para>
/// </remarks>
public sealed partial class PriceLevels
{
    /// <summary>Slots of the ladder window: 2¹⁴ (128 KiB of quantities and 2 KiB of bitmap per side once allocated).</summary>
    /// <remarks>At BTCUSDT's tick of 0.1 this is 1,638.4 USDT, 1,228.8 of them below the touch. Measured on the largest
    /// USDⓈ-M recording (perf/ARCHIVE.md, "Book sides"): 2¹² and 2¹³ leave too many levels in the sorted array, 2¹⁶ is no
    /// faster and four times the memory.</remarks>
    public const int DefaultLadderSpan = 1 << 14;

    /// <summary>Levels a side must hold before it allocates its ladder: smaller sides (a book ticker, a thin book) stay in the sorted array.</summary>
    public const int DefaultLadderThreshold = 64;

    private readonly bool _negateKeys;
    private long[] _keys;
    private long[] _quantities;
    private int _count;

    /// <summary>Creates an empty side.</summary>
    /// <param name="isAsk">True for the ask side (best = lowest price).</param>
    /// <param name="capacity">Initial capacity of the sorted array, in levels.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    /// <remarks>Allocates the sorted array; the ladder is allocated later, when the side first holds <see cref="DefaultLadderThreshold"/> levels.</remarks>
    public PriceLevels(bool isAsk, int capacity)
        : this(isAsk, capacity, DefaultLadderSpan, DefaultLadderThreshold)
    {
    }

    /// <summary>Creates an empty side with a given ladder geometry (tests use small windows to exercise re-centring).</summary>
    /// <param name="isAsk">True for the ask side.</param>
    /// <param name="capacity">Initial capacity of the sorted array.</param>
    /// <param name="ladderSpan">Ladder slots, a power of two ≥ 64.</param>
    /// <param name="ladderThreshold">Levels before the ladder is allocated, ≥ 2.</param>
    internal PriceLevels(bool isAsk, int capacity, int ladderSpan, int ladderThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ladderSpan, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(ladderThreshold, 2);
        if (!BitOperations.IsPow2(ladderSpan))
        {
            throw new ArgumentOutOfRangeException(nameof(ladderSpan), ladderSpan, "The ladder span must be a power of two.");
        }

        _negateKeys = isAsk;
        _keys = new long[capacity];
        _quantities = new long[capacity];
        _span = ladderSpan;
        _ladderThreshold = ladderThreshold;
        _maxTick = (1L << 62) / ladderSpan;
        _best = -1;
    }

    /// <summary>Number of levels.</summary>
    public int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _count + _ladderCount;
    }

    /// <summary>How many times storage was allocated after construction: a doubling of the sorted array (which must also
    /// hold every level while the window is re-centred), or the ladder's one allocation. Rare by design; a steadily rising
    /// value is a sizing problem.</summary>
    public int GrowCount { get; private set; }

    /// <summary>How many times the ladder window was re-centred or rebuilt (the touch left it, or the inferred tick shrank).</summary>
    public int RecenterCount { get; private set; }

    /// <summary>Levels held outside the ladder (all of them before the ladder exists): the sorted array's share.</summary>
    public int LevelsOutsideLadder => _count;

    /// <summary>The tick inferred so far (GCD of the key differences seen), 10⁻⁸ units; 0 before two distinct levels.</summary>
    public long InferredTick => _tick;

    /// <summary>Price of the level <paramref name="depth"/> steps from the top (0 = best), 10⁻⁸ units.</summary>
    /// <param name="depth">0 ≤ depth &lt; <see cref="Count"/>.</param>
    /// <returns>The price.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is outside [0, <see cref="Count"/>).</exception>
    /// <remarks>O(1) for the best level and for the next depth after the last one read; otherwise a bitmap walk from the best.</remarks>
    public long PriceAt(int depth)
    {
        var key = KeyAt(depth, out _);
        return _negateKeys ? -key : key;
    }

    /// <summary>Quantity of the level <paramref name="depth"/> steps from the top, 10⁻⁸ units.</summary>
    /// <param name="depth">0 ≤ depth &lt; <see cref="Count"/>.</param>
    /// <returns>The quantity.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is outside [0, <see cref="Count"/>).</exception>
    public long QuantityAt(int depth)
    {
        KeyAt(depth, out var quantity);
        return quantity;
    }

    /// <summary>Quantity of the level at <paramref name="price"/>, 0 when there is none.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <returns>The quantity, 10⁻⁸ units.</returns>
    /// <remarks>One slot read on the ladder, else a binary search; allocation-free.</remarks>
    public long QuantityOf(long price)
    {
        var key = _negateKeys ? -price : price;
        if (TrySlot(key, out var slot))
        {
            return _ladderQuantities![slot];
        }

        var index = Find(key);
        return index >= 0 ? _quantities[index] : 0;
    }

    /// <summary>Sets the absolute quantity at a price: inserts, updates, or (quantity 0) removes the level.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Absolute quantity, 10⁻⁸ units; 0 removes (removing an absent level is normal).</param>
    /// <remarks>O(1) inside the ladder window; a binary search and a move of the sorted array outside it. Allocation-free
    /// except the rare, counted growth (<see cref="GrowCount"/>).</remarks>
    public void Set(long price, long quantity)
    {
        var key = _negateKeys ? -price : price;
        if (TrySlot(key, out var slot))
        {
            // The common case inline: a quantity change at a level that stays.
            ref var current = ref _ladderQuantities![slot];
            if (current != 0 && quantity != 0)
            {
                current = quantity;
                return;
            }

            SetSlot(slot, quantity);
            return;
        }

        SetOutsideLadder(key, quantity);
    }

    /// <summary>Removes every level.</summary>
    /// <remarks>O(levels + span / 4096); keeps the inferred tick, the window and the storage.</remarks>
    public void Clear()
    {
        _count = 0;
        _aboveCount = 0;
        if (_ladderCount > 0)
        {
            ClearLadder(null, null, 0);
        }
    }

    /// <summary>Sum of the quantities of the top <paramref name="levels"/> levels (fewer if the side is shallower).</summary>
    /// <param name="levels">How many levels from the top.</param>
    /// <returns>The sum in 10⁻⁸ units, as <see cref="Int128"/> so it cannot overflow.</returns>
    public Int128 SumQuantity(int levels)
    {
        Int128 sum = 0;
        var left = Math.Min(levels, Count);
        var index = _count - 1;
        var belowCount = _count - _aboveCount;
        for (; left > 0 && index >= belowCount; index--, left--)
        {
            sum += _quantities[index];
        }

        for (var slot = _best; left > 0 && slot >= 0; slot = PreviousSlot(slot), left--)
        {
            sum += _ladderQuantities![slot];
        }

        for (; left > 0; index--, left--)
        {
            sum += _quantities[index];
        }

        return sum;
    }

    /// <summary>Folds every level (best first) into a CRC-32C, for comparing books across runs.</summary>
    /// <param name="crc">Running CRC.</param>
    /// <returns>The updated CRC: the count, then each level's key (the price, negated on the ask side) and quantity.</returns>
    public uint Digest(uint crc)
    {
        crc = BitOperations.Crc32C(crc, (ulong)Count);
        var index = _count - 1;
        var belowCount = _count - _aboveCount;
        for (; index >= belowCount; index--)
        {
            crc = BitOperations.Crc32C(crc, (ulong)_keys[index]);
            crc = BitOperations.Crc32C(crc, (ulong)_quantities[index]);
        }

        for (var slot = _best; slot >= 0; slot = PreviousSlot(slot))
        {
            crc = BitOperations.Crc32C(crc, (ulong)SlotKey(slot));
            crc = BitOperations.Crc32C(crc, (ulong)_ladderQuantities![slot]);
        }

        for (; index >= 0; index--)
        {
            crc = BitOperations.Crc32C(crc, (ulong)_keys[index]);
            crc = BitOperations.Crc32C(crc, (ulong)_quantities[index]);
        }

        return crc;
    }

    private long KeyAt(int depth, out long quantity)
    {
        if ((uint)depth >= (uint)Count)
        {
            ThrowDepth(depth);
        }

        if (_ladderCount > 0)
        {
            var above = _aboveCount;
            if (depth < above)
            {
                var i = _count - 1 - depth;
                quantity = _quantities[i];
                return _keys[i];
            }

            depth -= above;
            if (depth < _ladderCount)
            {
                var slot = SlotAt(depth);
                quantity = _ladderQuantities![slot];
                return SlotKey(slot);
            }

            depth -= _ladderCount;
            var j = _count - above - 1 - depth;
            quantity = _quantities[j];
            return _keys[j];
        }

        var k = _count - 1 - depth;
        quantity = _quantities[k];
        return _keys[k];
    }

    private void SetOutsideLadder(long key, long quantity)
    {
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
                if (IsAboveWindow(key))
                {
                    _aboveCount--;
                }
            }
            else
            {
                _quantities[index] = quantity;
            }

            return;
        }

        if (quantity != 0)
        {
            InsertNewKey(key, quantity);
        }
    }

    /// <summary>Inserts a new level in the sorted array; true when it lies above the ladder's window.</summary>
    private bool InsertSorted(long key, long quantity)
    {
        var insertAt = ~Find(key);
        if (_count == _keys.Length)
        {
            GrowSortedArray();
        }

        var moved = _count - insertAt;
        if (moved > 0)
        {
            Array.Copy(_keys, insertAt, _keys, insertAt + 1, moved);
            Array.Copy(_quantities, insertAt, _quantities, insertAt + 1, moved);
        }

        _keys[insertAt] = key;
        _quantities[insertAt] = quantity;
        _count++;
        var above = IsAboveWindow(key);
        if (above)
        {
            _aboveCount++;
        }

        return above;
    }

    private int Find(long key)
    {
        // Binary search over ascending keys; returns the index, or the bitwise complement of the insertion point.
        var low = 0;
        var high = _count - 1;
        var keys = _keys;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var value = keys[mid];
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

    private void GrowSortedArray()
    {
        GrowCount++;
        Array.Resize(ref _keys, _keys.Length * 2);
        Array.Resize(ref _quantities, _quantities.Length * 2);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDepth(int depth) =>
        throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth must be at least 0 and less than the number of levels.");
}
