using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests.Generation;

/// <summary>An asset triangle: its three assets and the symbols of its three pairs.</summary>
internal sealed record Triangle(string[] Assets, string[] Symbols);

/// <summary>The asset triangles among a set of symbols, found by brute force from the exchangeInfo (the test's own
/// reference, independent of the generator), and taker arithmetic over quotes.</summary>
internal sealed class Triangles
{
    private readonly Dictionary<string, SymbolInfo> _infos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Triangle>> _through = new(StringComparer.Ordinal);

    public Triangles(IEnumerable<string> symbols, ExchangeInfo exchangeInfo)
    {
        var pair = new Dictionary<(string, string), string>();
        var neighbours = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            exchangeInfo.TryGetSymbol(symbol, out var info);
            _infos[symbol] = info;
            _through[symbol] = [];
            pair[Key(info.BaseAsset, info.QuoteAsset)] = symbol;
            Add(info.BaseAsset, info.QuoteAsset);
            Add(info.QuoteAsset, info.BaseAsset);
        }

        foreach (var (a, aroundA) in neighbours)
        {
            foreach (var b in aroundA.Where(b => string.CompareOrdinal(b, a) > 0))
            {
                foreach (var c in aroundA.Where(c => string.CompareOrdinal(c, b) > 0 && neighbours[b].Contains(c)))
                {
                    var triangle = new Triangle([a, b, c], [pair[Key(a, b)], pair[Key(b, c)], pair[Key(c, a)]]);
                    foreach (var symbol in triangle.Symbols)
                    {
                        _through[symbol].Add(triangle);
                    }
                }
            }
        }

        void Add(string from, string to)
        {
            if (!neighbours.TryGetValue(from, out var set))
            {
                neighbours[from] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(to);
        }

        static (string, string) Key(string x, string y) => string.CompareOrdinal(x, y) < 0 ? (x, y) : (y, x);
    }

    public IEnumerable<Triangle> Through(string symbol) => _through.TryGetValue(symbol, out var list) ? list : [];

    /// <summary>The product of the mids around the cycle Assets[0] → Assets[1] → Assets[2] → Assets[0].</summary>
    public double MidProduct(Triangle triangle, Dictionary<string, (long Bid, long Ask)> quotes)
    {
        var product = 1.0;
        for (var i = 0; i < 3; i++)
        {
            var (bid, ask) = quotes[triangle.Symbols[i]];
            var mid = (bid + (double)ask) / 2 / FixedPoint.Scale;
            product *= _infos[triangle.Symbols[i]].BaseAsset == triangle.Assets[i] ? mid : 1 / mid;
        }

        return product;
    }

    /// <summary>The better of the two directions' taker edges after fees, bps.</summary>
    public double BestEdgeBps(Triangle triangle, Dictionary<string, (long Bid, long Ask)> quotes, double feeBps) => Math.Max(
        EdgeBps(triangle.Assets, triangle.Symbols, quotes, feeBps),
        EdgeBps([triangle.Assets[0], triangle.Assets[2], triangle.Assets[1]], [triangle.Symbols[2], triangle.Symbols[1], triangle.Symbols[0]], quotes, feeBps));

    /// <summary>Start with path[0], trade on legs[i] from path[i] to the next asset, as a taker; the gain after fees, bps.</summary>
    public double EdgeBps(string[] path, string[] legs, Dictionary<string, (long Bid, long Ask)> quotes, double feeBps)
    {
        var product = 1.0;
        for (var i = 0; i < 3; i++)
        {
            var (bid, ask) = quotes[legs[i]];
            product *= _infos[legs[i]].BaseAsset == path[i] ? bid / (double)FixedPoint.Scale : FixedPoint.Scale / (double)ask;
        }

        var fee = 1 - (feeBps / 10_000);
        return ((product * fee * fee * fee) - 1) * 10_000;
    }
}
