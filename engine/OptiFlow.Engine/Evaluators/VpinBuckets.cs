using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// Volume-synchronised probability of informed trading (VPIN; Easley, López de Prado and O'Hara, "Flow Toxicity and
/// Liquidity in a High-frequency World", Review of Financial Studies 25(5), 2012) over equal-volume buckets, per symbol.
/// </summary>
/// <remarks>
/// <para>
/// Trades fill consecutive buckets of exactly <see cref="BucketVolume"/> <c>V</c> base units per symbol; a trade that
/// overfills a bucket is split and its rest opens the next bucket(s), so one trade may complete several buckets (each
/// reports that trade's event time). The aggressor side is Binance's <c>m</c>: buyer is maker → a sell. After the
/// <c>k</c>-th completed bucket, <c>k ≥ N</c> (<see cref="Window"/>),
/// <c>VPIN = Σ_{j=k−N+1..k} |buy_j − sell_j| / (N·V)</c>; a <see cref="VpinBucket"/> goes to the sink for every such bucket.
/// </para>
/// <para>
/// <b>Numbers.</b> Volumes are <see cref="long"/> counts of 10⁻⁸ base units, split and summed exactly; the window's
/// sum of imbalances and <c>N·V</c> are exact <see cref="Int128"/>s, so the only rounding is their conversion to
/// <see cref="double"/> (exact below 2⁵³) and one division.
/// </para>
/// <para>
/// <b>State.</b> Arrays indexed by symbol id, sized at construction: the open bucket's buy and sell volume, the count of
/// completed buckets, a ring of the last <c>N</c> bucket imbalances and their running sum.
/// </para>
/// <para>
/// <b>Thread-safety:</b> none; one feeding thread. <b>Allocation:</b> the constructor allocates
/// <c>symbolCapacity × (N + 4)</c> words; <see cref="OnTrade{TSink}"/> allocates nothing.
/// </para>
/// </remarks>
public sealed class VpinBuckets
{
    private readonly long[] _buy;
    private readonly long[] _sell;
    private readonly long[] _completed;
    private readonly long[] _imbalances;
    private readonly Int128[] _windowSum;
    private readonly double _denominator;

    /// <summary>Creates the per-symbol state.</summary>
    /// <param name="symbolCapacity">Symbol ids run from 0 to <paramref name="symbolCapacity"/> − 1.</param>
    /// <param name="bucketVolume">The bucket volume <c>V</c>, 10⁻⁸ base units; positive.</param>
    /// <param name="window">The number of buckets <c>N</c> of the VPIN window; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive capacity, bucket volume or window, or a state too large for an array.</exception>
    public VpinBuckets(int symbolCapacity, long bucketVolume, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketVolume);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        if ((long)symbolCapacity * window > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"{symbolCapacity} symbols × {window} buckets is more state than an array holds.");
        }

        BucketVolume = bucketVolume;
        Window = window;
        SymbolCapacity = symbolCapacity;
        _buy = new long[symbolCapacity];
        _sell = new long[symbolCapacity];
        _completed = new long[symbolCapacity];
        _imbalances = new long[symbolCapacity * window];
        _windowSum = new Int128[symbolCapacity];
        _denominator = (double)((Int128)window * bucketVolume);
    }

    /// <summary>The bucket volume <c>V</c>, 10⁻⁸ base units.</summary>
    public long BucketVolume { get; }

    /// <summary>The window <c>N</c>, in buckets.</summary>
    public int Window { get; }

    /// <summary>Symbol ids accepted: 0 to this − 1.</summary>
    public int SymbolCapacity { get; }

    /// <summary>Trades fed so far (every symbol).</summary>
    public long Trades { get; private set; }

    /// <summary>Buckets completed so far (every symbol, including the first <c>N − 1</c> of each, which report no row).</summary>
    public long Buckets { get; private set; }

    /// <summary>Buckets completed so far for <paramref name="symbolId"/>.</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <returns>The count.</returns>
    public long CompletedBuckets(int symbolId) => _completed[symbolId];

    /// <summary>Volume already in <paramref name="symbolId"/>'s open bucket, 10⁻⁸ base units (less than <see cref="BucketVolume"/>).</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <returns>Buy plus sell volume of the open bucket.</returns>
    public long OpenVolume(int symbolId) => _buy[symbolId] + _sell[symbolId];

    /// <summary>Adds one trade to its symbol's buckets; reports every bucket it completes from the <c>N</c>-th on.</summary>
    /// <typeparam name="TSink">The sink's type; a struct is specialised by the JIT.</typeparam>
    /// <param name="symbolId">The trade's symbol id, below <see cref="SymbolCapacity"/>.</param>
    /// <param name="quantity">Traded quantity <c>q</c>, 10⁻⁸ base units; 0 adds nothing.</param>
    /// <param name="buyerIsMaker">Binance <c>m</c>: true for a seller-initiated trade.</param>
    /// <param name="eventTimeMs">Event time <c>E</c>, ms since the Unix epoch: the time of any bucket this trade completes.</param>
    /// <param name="sink">Receives the buckets (by reference, so a struct sink keeps its state).</param>
    /// <returns>The number of buckets this trade completed (rows reported or not).</returns>
    /// <remarks>Allocation-free; one feeding thread.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The symbol id is out of range or the quantity is negative.</exception>
    public int OnTrade<TSink>(int symbolId, long quantity, bool buyerIsMaker, long eventTimeMs, ref TSink sink)
        where TSink : IVpinBucketSink
    {
        if ((uint)symbolId >= (uint)SymbolCapacity || quantity < 0)
        {
            ThrowBadTrade(symbolId, quantity);
        }

        Trades++;
        var completed = 0;
        var remaining = quantity;
        ref var side = ref buyerIsMaker ? ref _sell[symbolId] : ref _buy[symbolId];
        while (remaining > 0)
        {
            var room = BucketVolume - _buy[symbolId] - _sell[symbolId];
            var take = Math.Min(room, remaining);
            side += take;
            remaining -= take;
            if (take == room)
            {
                Complete(symbolId, eventTimeMs, ref sink);
                completed++;
            }
        }

        return completed;
    }

    private void Complete<TSink>(int symbolId, long eventTimeMs, ref TSink sink)
        where TSink : IVpinBucketSink
    {
        var buy = _buy[symbolId];
        var sell = _sell[symbolId];
        var imbalance = Math.Abs(buy - sell); // both in [0, V]: no overflow
        var k = ++_completed[symbolId];
        ref var slot = ref _imbalances[(symbolId * Window) + (int)((k - 1) % Window)];
        ref var sum = ref _windowSum[symbolId];
        sum += imbalance - slot; // the slot holds bucket k − N's imbalance, or 0 while k ≤ N
        slot = imbalance;
        _buy[symbolId] = 0;
        _sell[symbolId] = 0;
        Buckets++;
        if (k >= Window)
        {
            var bucket = new VpinBucket
            {
                SymbolId = symbolId,
                Bucket = k,
                EventTimeMs = eventTimeMs,
                BuyVolume = buy,
                SellVolume = sell,
                Vpin = (double)sum / _denominator,
            };
            sink.OnBucket(in bucket);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadTrade(int symbolId, long quantity) =>
        throw new ArgumentOutOfRangeException(
            (uint)symbolId >= (uint)SymbolCapacity ? nameof(symbolId) : nameof(quantity),
            $"Symbol id {symbolId} (capacity {SymbolCapacity}) and quantity {quantity} (not negative) are required.");
}
