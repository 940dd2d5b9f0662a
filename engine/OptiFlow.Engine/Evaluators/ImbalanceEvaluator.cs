using OptiFlow.Engine.Books;

namespace OptiFlow.Engine.Evaluators;

/// <summary>Computes <see cref="SignalEvent"/> values (OBI over 1, 5, 10 levels; microprice) from an <see cref="OrderBook"/>.</summary>
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
