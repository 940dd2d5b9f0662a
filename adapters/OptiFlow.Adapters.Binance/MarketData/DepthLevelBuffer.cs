using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.MarketData;

/// <summary>
/// Reusable columnar buffer for the price levels of one depth diff or REST snapshot: bids first, then asks, each in
/// wire order. Prices and quantities are 10⁻⁸ units (<see cref="FixedPoint"/>).
/// </summary>
/// <remarks>
/// Owned by one thread (the decoding receive thread); not thread-safe. Allocation-free after construction while the
/// message fits the capacity; a larger message doubles the arrays (cold path, allocates) and the buffer keeps the new
/// size. Nothing is ever truncated. Spans returned by the accessors are valid until the next <see cref="Clear"/> or
/// decode into this buffer.
/// </remarks>
public sealed class DepthLevelBuffer
{
    private long[] _prices;
    private long[] _quantities;
    private BookSide[] _sides;
    private int _count;

    /// <summary>Creates a buffer for <paramref name="initialCapacity"/> levels.</summary>
    /// <param name="initialCapacity">Levels held before the first growth; at least 1. A 1000-level REST snapshot has 2000.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="initialCapacity"/> is below 1.</exception>
    public DepthLevelBuffer(int initialCapacity = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 1);
        _prices = new long[initialCapacity];
        _quantities = new long[initialCapacity];
        _sides = new BookSide[initialCapacity];
    }

    /// <summary>Number of levels held.</summary>
    public int Count => _count;

    /// <summary>Current capacity in levels (grows by doubling).</summary>
    public int Capacity => _prices.Length;

    /// <summary>Level prices, 10⁻⁸ units, <see cref="Count"/> entries.</summary>
    public ReadOnlySpan<long> Prices => new(_prices, 0, _count);

    /// <summary>Level quantities (absolute; 0 removes the level), 10⁻⁸ units, <see cref="Count"/> entries.</summary>
    public ReadOnlySpan<long> Quantities => new(_quantities, 0, _count);

    /// <summary>Level sides, <see cref="Count"/> entries.</summary>
    public ReadOnlySpan<BookSide> Sides => new(_sides, 0, _count);

    /// <summary>Empties the buffer (keeps its capacity). Allocation-free.</summary>
    public void Clear() => _count = 0;

    /// <summary>Appends one level, growing on overflow.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units.</param>
    /// <param name="side">Bid or ask.</param>
    /// <remarks>Allocation-free unless the buffer is full (then it doubles: allocates).</remarks>
    public void Add(long price, long quantity, BookSide side)
    {
        var i = _count;
        if ((uint)i >= (uint)_prices.Length)
        {
            Grow();
        }

        _prices[i] = price;
        _quantities[i] = quantity;
        _sides[i] = side;
        _count = i + 1;
    }

    /// <summary>Drops the levels from <paramref name="count"/> on.</summary>
    internal void Truncate(int count) => _count = Math.Min(_count, Math.Max(0, count));

    /// <summary>
    /// Swaps two adjacent runs <c>[start, start+firstLength)</c> and <c>[start+firstLength, start+firstLength+secondLength)</c>
    /// in place (used when a frame sends the asks before the bids). Allocation-free.
    /// </summary>
    internal void SwapAdjacentRuns(int start, int firstLength, int secondLength)
    {
        Rotate(_prices.AsSpan(start, firstLength + secondLength), firstLength);
        Rotate(_quantities.AsSpan(start, firstLength + secondLength), firstLength);
        Rotate(_sides.AsSpan(start, firstLength + secondLength), firstLength);
    }

    private static void Rotate<T>(Span<T> span, int firstLength)
    {
        span[..firstLength].Reverse();
        span[firstLength..].Reverse();
        span.Reverse();
    }

    private void Grow()
    {
        var capacity = _prices.Length * 2;
        Array.Resize(ref _prices, capacity);
        Array.Resize(ref _quantities, capacity);
        Array.Resize(ref _sides, capacity);
    }
}
