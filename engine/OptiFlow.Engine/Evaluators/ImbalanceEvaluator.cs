using OptiFlow.Engine.Books;

namespace OptiFlow.Engine.Evaluators;

/// <summary>Computes <see cref="SignalEvent"/> values (OBI over 1, 5, 10 levels; microprice; distance-weighted OBI over 10 levels) from an <see cref="OrderBook"/>.</summary>
/// <remarks>Stateless, allocation-free, thread-safe for distinct books. Sums are taken in <see cref="Int128"/>, so they never overflow.</remarks>
public static class ImbalanceEvaluator
{
    /// <summary>Fills the price and ratio fields of <paramref name="signal"/> from <paramref name="book"/>.</summary>
    /// <param name="book">A synced book.</param>
    /// <param name="signal">The signal to fill (ids and times are the caller's).</param>
    public static void Evaluate(OrderBook book, ref SignalEvent signal)
    {
        ArgumentNullException.ThrowIfNull(book);
        var bids = book.Bids;
        var asks = book.Asks;
        signal.BestBid = bids.Count > 0 ? bids.PriceAt(0) : 0;
        signal.BestAsk = asks.Count > 0 ? asks.PriceAt(0) : 0;
        signal.MidDoubled = bids.Count > 0 && asks.Count > 0 ? signal.BestBid + signal.BestAsk : 0;
        signal.Obi1 = Imbalance(bids.SumQuantity(1), asks.SumQuantity(1));
        signal.Obi5 = Imbalance(bids.SumQuantity(5), asks.SumQuantity(5));
        signal.Obi10 = Imbalance(bids.SumQuantity(10), asks.SumQuantity(10));
        if (bids.Count > 0 && asks.Count > 0)
        {
            var bidQty = bids.QuantityAt(0);
            var askQty = asks.QuantityAt(0);
            var numerator = ((Int128)signal.BestAsk * bidQty) + ((Int128)signal.BestBid * askQty);
            var denominator = (Int128)bidQty + askQty;
            signal.WeightedMid = (double)numerator / (double)denominator / Model.FixedPoint.Scale;
        }
        else
        {
            signal.WeightedMid = double.NaN;
        }

        signal.Wobi10 = DistanceWeightedImbalance(bids, asks, WobiLevels);
    }

    /// <summary>Levels per side of <see cref="SignalEvent.Wobi10"/>.</summary>
    public const int WobiLevels = 10;

    /// <summary>
    /// The distance-weighted OBI over the top <paramref name="levels"/> of each side:
    /// <c>(Σ w·qty over bids − Σ w·qty over asks) / (Σ w·qty over both)</c>, <c>m = (bestBid + bestAsk) / 2</c>,
    /// <c>w(p) = 1 / (1 + |p − m| / m)</c>.
    /// </summary>
    /// <param name="bids">Bid levels, best first (prices and quantities in 10⁻⁸ units).</param>
    /// <param name="asks">Ask levels, best first.</param>
    /// <param name="levels">Levels per side (fewer when a side has fewer).</param>
    /// <returns>The ratio in [−1, 1]; NaN when a side is empty or the weighted sum is 0.</returns>
    /// <remarks>
    /// <para>
    /// <b>Exact part.</b> With <c>S = bestBid + bestAsk</c> (twice the mid, an exact integer of 10⁻⁸ units) the weight is
    /// <c>w(p) = m / (m + |p − m|) = S / (S + |2p − S|)</c>: a quotient of two exact integers, computed in
    /// <see cref="Int128"/> so nothing overflows. The common factor <c>S</c> cancels in the ratio, so each level
    /// contributes <c>t = qty / (S + |2p − S|)</c>.
    /// </para>
    /// <para>
    /// <b>Rounding.</b> <c>qty</c> and <c>S + |2p − S|</c> are converted to <see cref="double"/> exactly (below 2⁵³, i.e.
    /// any price or quantity under 90 million whole units; beyond that, correctly rounded), each <c>t</c> is one
    /// correctly rounded division, the two side sums are accumulated best level first, and the ratio is
    /// <c>(B − A) / (B + A)</c>: about 2·levels + 2 roundings of relative size 2⁻⁵³, so the result is within a few
    /// 10⁻¹⁵ of the exact value. Deterministic: the same book always gives the same bits.
    /// </para>
    /// <para>Stateless, allocation-free, thread-safe for books no other thread mutates.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">A side is null.</exception>
    public static double DistanceWeightedImbalance(PriceLevels bids, PriceLevels asks, int levels)
    {
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        if (bids.Count == 0 || asks.Count == 0)
        {
            return double.NaN;
        }

        var midDoubled = (Int128)bids.PriceAt(0) + asks.PriceAt(0);
        var bidSum = WeightedSum(bids, midDoubled, levels);
        var askSum = WeightedSum(asks, midDoubled, levels);
        var total = bidSum + askSum;
        return total == 0 ? double.NaN : (bidSum - askSum) / total;
    }

    private static double WeightedSum(PriceLevels side, Int128 midDoubled, int levels)
    {
        var n = Math.Min(levels, side.Count);
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var distance = (2 * (Int128)side.PriceAt(i)) - midDoubled;
            var denominator = midDoubled + (distance < 0 ? -distance : distance);
            sum += (double)side.QuantityAt(i) / (double)denominator;
        }

        return sum;
    }

    /// <summary>(bid − ask) / (bid + ask), NaN when both are 0.</summary>
    /// <param name="bid">Bid quantity sum, 10⁻⁸ units.</param>
    /// <param name="ask">Ask quantity sum, 10⁻⁸ units.</param>
    /// <returns>The imbalance in [−1, 1].</returns>
    public static double Imbalance(Int128 bid, Int128 ask)
    {
        var total = bid + ask;
        return total == 0 ? double.NaN : (double)(bid - ask) / (double)total;
    }
}
