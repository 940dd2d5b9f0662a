using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// One side of the simulated venue's book: price → absolute quantity, kept in a <see cref="SortedDictionary{TKey, TValue}"/>
/// ordered best first (bids by descending price, asks by ascending price).
/// </summary>
/// <remarks>
/// Prices and quantities are 10⁻⁸ units (<see cref="FixedPoint"/>). Binance diff-depth semantics (binance.md §3.1 step 6,
/// §3.2 step 6): a quantity is absolute, 0 removes the level, and removing a level the book does not hold is normal.
/// Written to be obviously correct, not fast: it is the simulator's oracle, independent of the engine's books.
/// Not thread-safe (the feed holds its lock). Allocates a tree node per inserted level.
/// </remarks>
internal sealed class VenueBookSide
{
    private static readonly Comparer<long> HighestFirst = Comparer<long>.Create(static (x, y) => y.CompareTo(x));

    private readonly SortedDictionary<long, long> _levels;

    /// <summary>Creates an empty side.</summary>
    /// <param name="side">Bid (best = highest price first) or ask (best = lowest price first).</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="side"/> is neither bid nor ask.</exception>
    public VenueBookSide(BookSide side)
    {
        _levels = side switch
        {
            BookSide.Bid => new SortedDictionary<long, long>(HighestFirst),
            BookSide.Ask => new SortedDictionary<long, long>(Comparer<long>.Default),
            _ => throw new ArgumentOutOfRangeException(nameof(side), side, "A book side is bid or ask."),
        };
        Side = side;
    }

    /// <summary>Which side this is.</summary>
    public BookSide Side { get; }

    /// <summary>Number of price levels held.</summary>
    public int Count => _levels.Count;

    /// <summary>Every level, best first: (price, quantity), 10⁻⁸ units.</summary>
    /// <remarks>Enumerating allocates an enumerator; do not modify the side while enumerating.</remarks>
    public IEnumerable<KeyValuePair<long, long>> BestFirst => _levels;

    /// <summary>Sets the absolute quantity at a price: inserts, replaces, or (quantity 0) removes the level.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Absolute quantity, 10⁻⁸ units; 0 removes the level (a no-op when it is absent).</param>
    public void Set(long price, long quantity)
    {
        if (quantity == 0)
        {
            _levels.Remove(price);
        }
        else
        {
            _levels[price] = quantity;
        }
    }

    /// <summary>The quantity at <paramref name="price"/>, or 0 when the side has no such level.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <returns>Quantity, 10⁻⁸ units.</returns>
    public long QuantityAt(long price) => _levels.TryGetValue(price, out var quantity) ? quantity : 0;

    /// <summary>Removes every level.</summary>
    public void Clear() => _levels.Clear();
}
