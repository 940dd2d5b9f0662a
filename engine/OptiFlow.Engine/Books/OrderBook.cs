using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Books;

/// <summary>
/// A per-symbol L2 book: bids and asks with absolute quantities, as Binance's diff-depth streams define them
/// (a quantity of 0 removes the level; removing an unknown level is normal — Binance "How to manage a local order
/// book correctly").
/// </summary>
/// <remarks>Single-threaded: owned by the core thread. Allocation-free except when a side outgrows its capacity or first
/// allocates its tick ladder (both rare and counted in <see cref="PriceLevels.GrowCount"/>).</remarks>
public sealed class OrderBook
{
    /// <summary>Initial capacity per side of the sorted array, in levels: snapshots carry up to 1,000 (futures) or 5,000
    /// (spot) levels. A side past <see cref="PriceLevels.DefaultLadderThreshold"/> levels keeps those near the touch on its
    /// tick ladder instead.</summary>
    public const int DefaultCapacity = 8192;

    /// <summary>Creates an empty book.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <param name="capacity">Initial levels per side of the sorted array.</param>
    public OrderBook(int symbolId, int capacity = DefaultCapacity)
    {
        SymbolId = symbolId;
        Bids = new PriceLevels(isAsk: false, capacity);
        Asks = new PriceLevels(isAsk: true, capacity);
    }

    /// <summary>The symbol.</summary>
    public int SymbolId { get; }

    /// <summary>Bid side, best (highest) first through <see cref="PriceLevels.PriceAt"/>.</summary>
    public PriceLevels Bids { get; }

    /// <summary>Ask side, best (lowest) first.</summary>
    public PriceLevels Asks { get; }

    /// <summary>Whether both sides have a level and the best bid is at or above the best ask.</summary>
    public bool IsCrossed => Bids.Count > 0 && Asks.Count > 0 && Bids.PriceAt(0) >= Asks.PriceAt(0);

    /// <summary>Sets one level.</summary>
    /// <param name="side">Bid or ask.</param>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Absolute quantity, 10⁻⁸ units; 0 removes.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="side"/> is neither bid nor ask.</exception>
    public void Set(BookSide side, long price, long quantity)
    {
        switch (side)
        {
            case BookSide.Bid:
                Bids.Set(price, quantity);
                break;
            case BookSide.Ask:
                Asks.Set(price, quantity);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(side), side, "A level must be on the bid or the ask side.");
        }
    }

    /// <summary>Removes every level of both sides.</summary>
    public void Clear()
    {
        Bids.Clear();
        Asks.Clear();
    }

    /// <summary>A CRC-32C over every level of both sides, for comparing a live run's book with a replay's.</summary>
    /// <returns>The digest.</returns>
    public uint Digest() => Asks.Digest(Bids.Digest(0));
}
