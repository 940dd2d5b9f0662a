using System.Numerics;
using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Books;

/// <summary>The tick ladder of a side: window, bitmap, tick inference, re-centring.</summary>
public sealed partial class PriceLevels
{
    private readonly int _span;
    private readonly int _ladderThreshold;
    private readonly long _maxTick;

    // Tick inference: every key seen is ≡ _anchor (mod _tick); _tick = 0 until two distinct keys.
    private bool _hasAnchor;
    private bool _ladderDisabled;
    private long _anchor;
    private long _tick;
    private ulong _reciprocal; // ⌊(2⁶⁴ − 1) / _tick⌋: slot = high 64 bits of offset × _reciprocal, corrected by one step

    // The window: slots 0 … _span − 1 hold keys _base + slot × _tick; _width = _span × _tick (0 until a tick fits).
    private long _base;
    private ulong _width;
    private long[]? _ladderQuantities;
    private ulong[] _words = [];
    private ulong[] _summary = [];
    private int _ladderCount;
    private int _best;

    // Levels of the sorted array above the window (its last _aboveCount entries); the rest are below it.
    private int _aboveCount;

    // The last slot SlotAt walked to, and its depth within the ladder.
    private int _cursorDepth;
    private int _cursorSlot;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TrySlot(long key, out int slot)
    {
        if (_ladderQuantities is not null && key >= _base)
        {
            var offset = (ulong)(key - _base);
            if (offset < _width)
            {
                var tick = (ulong)_tick;
                var quotient = Math.BigMul(offset, _reciprocal, out _);
                var remainder = offset - (quotient * tick);
                if (remainder >= tick)
                {
                    quotient++;
                    remainder -= tick;
                }

                slot = (int)quotient;
                return remainder == 0;
            }
        }

        slot = 0;
        return false;
    }

    private void SetSlot(int slot, long quantity)
    {
        var quantities = _ladderQuantities!;
        if (quantities[slot] != 0)
        {
            if (quantity != 0)
            {
                quantities[slot] = quantity;
                return;
            }

            quantities[slot] = 0;
            var w = slot >> 6;
            var bits = _words[w] & ~(1UL << slot);
            _words[w] = bits;
            if (bits == 0)
            {
                _summary[w >> 6] &= ~(1UL << w);
            }

            _ladderCount--;
            if (slot == _best)
            {
                _best = PreviousSlot(slot);
            }

            _cursorDepth = 0;
            _cursorSlot = _best;
            if (_ladderCount == 0 && _count > 0)
            {
                Recenter(_tick);
            }

            return;
        }

        if (quantity == 0)
        {
            return;
        }

        quantities[slot] = quantity;
        _words[slot >> 6] |= 1UL << slot;
        _summary[slot >> 12] |= 1UL << (slot >> 6);
        _ladderCount++;
        if (slot > _best)
        {
            _best = slot;
        }

        _cursorDepth = 0;
        _cursorSlot = _best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long SlotKey(int slot) => _base + (slot * _tick);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsAboveWindow(long key) => _ladderQuantities is not null && key > _base;

    /// <summary>The ladder slot <paramref name="depth"/> levels below its best, continuing from the last walk when it can.</summary>
    private int SlotAt(int depth)
    {
        if (depth == 0)
        {
            return _best;
        }

        var reached = _cursorDepth;
        var slot = _cursorSlot;
        if (depth < reached)
        {
            reached = 0;
            slot = _best;
        }

        while (reached < depth)
        {
            slot = PreviousSlot(slot);
            reached++;
        }

        _cursorDepth = reached;
        _cursorSlot = slot;
        return slot;
    }

    /// <summary>The highest occupied slot below <paramref name="slot"/>, or −1.</summary>
    private int PreviousSlot(int slot)
    {
        var words = _words;
        var w = slot >> 6;
        var bits = words[w] & ((1UL << slot) - 1);
        if (bits != 0)
        {
            return (w << 6) | (63 - BitOperations.LeadingZeroCount(bits));
        }

        var summary = _summary;
        var s = w >> 6;
        var summaryBits = summary[s] & ((1UL << w) - 1);
        while (summaryBits == 0)
        {
            if (--s < 0)
            {
                return -1;
            }

            summaryBits = summary[s];
        }

        var previousWord = (s << 6) | (63 - BitOperations.LeadingZeroCount(summaryBits));
        return (previousWord << 6) | (63 - BitOperations.LeadingZeroCount(words[previousWord]));
    }

    private int HighestSlot()
    {
        var summary = _summary;
        for (var s = summary.Length - 1; s >= 0; s--)
        {
            var summaryBits = summary[s];
            if (summaryBits != 0)
            {
                var w = (s << 6) | (63 - BitOperations.LeadingZeroCount(summaryBits));
                return (w << 6) | (63 - BitOperations.LeadingZeroCount(_words[w]));
            }
        }

        return -1;
    }

    /// <summary>
    /// A new level at a key outside the ladder (or off its grid): refines the tick (rebuilding the ladder when it
    /// shrinks), then stores the level in the ladder if it now fits, else in the sorted array, and allocates or
    /// re-centres the ladder when the side needs it.
    /// </summary>
    private void InsertNewKey(long key, long quantity)
    {
        if (!_ladderDisabled && RefineTick(key, out var tick))
        {
            if (_ladderQuantities is null)
            {
                SetTick(tick);
            }
            else
            {
                Recenter(tick);
                if (TrySlot(key, out var slot))
                {
                    SetSlot(slot, quantity);
                    return;
                }
            }
        }

        var aboveWindow = InsertSorted(key, quantity);
        if (_ladderDisabled)
        {
            return;
        }

        if (_ladderQuantities is null)
        {
            if (Count >= _ladderThreshold && _tick > 0 && _tick <= _maxTick)
            {
                AllocateLadder();
                Recenter(_tick);
            }
        }
        else if (aboveWindow || _ladderCount == 0)
        {
            Recenter(_tick);
        }
    }

    /// <summary>Folds <paramref name="key"/> into the inferred tick; true (and the new tick) when it changed.</summary>
    private bool RefineTick(long key, out long tick)
    {
        tick = _tick;
        if (!_hasAnchor)
        {
            _anchor = key;
            _hasAnchor = true;
            return false;
        }

        var difference = (Int128)key - _anchor;
        if (difference < 0)
        {
            difference = -difference;
        }

        if (_tick == 0)
        {
            if (difference == 0)
            {
                return false;
            }

            if (difference > long.MaxValue)
            {
                // Keys more than 2⁶³ apart: no tick fits a long; this side keeps the sorted array only (still exact).
                _ladderDisabled = true;
                return false;
            }

            tick = (long)difference;
            return true;
        }

        var remainder = (long)(difference % _tick);
        if (remainder == 0)
        {
            return false;
        }

        tick = GreatestCommonDivisor(_tick, remainder);
        return true;
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private void SetTick(long tick)
    {
        _tick = tick;
        _reciprocal = ulong.MaxValue / (ulong)tick;
        _width = tick <= _maxTick ? (ulong)tick * (ulong)_span : 0;
    }

    private void AllocateLadder()
    {
        GrowCount++;
        _ladderQuantities = new long[_span];
        _words = new ulong[_span >> 6];
        _summary = new ulong[Math.Max(1, _span >> 12)];
        _best = -1;
    }

    /// <summary>
    /// Rebuilds the window around the best level (¾ up it) with <paramref name="tick"/>, in the sorted array's own
    /// storage: the ladder's levels are merged into it in key order (the ladder emptied with the old tick and base), then
    /// each level goes back to the ladder or is compacted to the front of the sorted array.
    /// </summary>
    private void Recenter(long tick)
    {
        RecenterCount++;
        var ladderLevels = _ladderCount;
        var total = _count + ladderLevels;
        while (_keys.Length < total)
        {
            GrowSortedArray();
        }

        var keys = _keys;
        var quantities = _quantities;
        var below = _count - _aboveCount;
        Array.Copy(keys, below, keys, below + ladderLevels, _aboveCount);
        Array.Copy(quantities, below, quantities, below + ladderLevels, _aboveCount);
        ClearLadder(keys, quantities, below);
        _count = 0;
        _aboveCount = 0;
        SetTick(tick);
        if (total == 0)
        {
            return;
        }

        PlaceWindow(keys[total - 1]);
        var ladder = _ladderQuantities!;
        for (var i = 0; i < total; i++)
        {
            var key = keys[i];
            if (TrySlot(key, out var slot))
            {
                ladder[slot] = quantities[i];
                _words[slot >> 6] |= 1UL << slot;
                _summary[slot >> 12] |= 1UL << (slot >> 6);
                _ladderCount++;
                continue;
            }

            // The write index never passes the read index: compaction in place.
            keys[_count] = key;
            quantities[_count] = quantities[i];
            _count++;
            if (key > _base)
            {
                _aboveCount++;
            }
        }

        _best = HighestSlot();
        _cursorDepth = 0;
        _cursorSlot = _best;
    }

    /// <summary>Sets the window's base so that <paramref name="bestKey"/> sits ¾ up it (lower when that would underflow).</summary>
    private void PlaceWindow(long bestKey)
    {
        var wanted = (Int128)bestKey - ((Int128)(_span - (_span >> 2)) * _tick);
        if (wanted < long.MinValue)
        {
            wanted = (Int128)bestKey - ((((Int128)bestKey - long.MinValue) / _tick) * _tick);
        }

        _base = (long)wanted;
    }

    /// <summary>Empties the ladder, appending its levels in ascending key order to the destination arrays when given.</summary>
    /// <returns>The destination count after the append.</returns>
    private int ClearLadder(long[]? keys, long[]? quantities, int n)
    {
        var ladder = _ladderQuantities;
        if (ladder is null)
        {
            return n;
        }

        var summary = _summary;
        var words = _words;
        for (var s = 0; s < summary.Length; s++)
        {
            var summaryBits = summary[s];
            while (summaryBits != 0)
            {
                var w = (s << 6) | BitOperations.TrailingZeroCount(summaryBits);
                var bits = words[w];
                while (bits != 0)
                {
                    var slot = (w << 6) | BitOperations.TrailingZeroCount(bits);
                    if (keys is not null)
                    {
                        keys[n] = SlotKey(slot);
                        quantities![n] = ladder[slot];
                        n++;
                    }

                    ladder[slot] = 0;
                    bits &= bits - 1;
                }

                words[w] = 0;
                summaryBits &= summaryBits - 1;
            }

            summary[s] = 0;
        }

        _ladderCount = 0;
        _best = -1;
        _cursorDepth = 0;
        _cursorSlot = -1;
        return n;
    }
}
