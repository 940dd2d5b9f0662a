using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Tests.Triangles;

/// <summary>
/// A straightforward triangle evaluator written independently of <see cref="TriangleEvaluator"/>, for comparison: no
/// index (every triangle is looked at on every bookTicker), legs found from the assets, exact decimal arithmetic.
/// It takes only the asset triples and the instruments of each triangle from the universe.
/// </summary>
internal sealed class ReferenceTriangles(TriangleUniverse universe, decimal feeBps, decimal minEdgeBps)
{
    private readonly Dictionary<string, (decimal Bid, decimal BidQty, decimal Ask, decimal AskQty)> _quotes = new(StringComparer.Ordinal);
    private readonly decimal _keep = 1 - (feeBps / 10_000m);

    public long Evaluations { get; private set; }

    /// <summary>One bookTicker of <paramref name="symbol"/> (a name of the universe or not); the rows it yields, by path.</summary>
    public List<Row> OnBookTicker(long n, string symbol, in MarketEvent e)
    {
        var rows = new List<Row>();
        if (universe.IndexOf(symbol) < 0)
        {
            return rows;
        }

        _quotes[symbol] = (Dec(e.BidPrice), Dec(e.BidQuantity), Dec(e.AskPrice), Dec(e.AskQuantity));
        foreach (var triangle in universe.Triangles)
        {
            var names = triangle.Legs(TriangleDirection.Forward).Select(l => l.Instrument).ToArray();
            if (!names.Any(i => i.Symbol == symbol) || !names.All(i => _quotes.ContainsKey(i.Symbol)))
            {
                continue;
            }

            foreach (var (direction, assets) in new[]
                     {
                         (TriangleDirection.Forward, new[] { triangle.StartAsset, triangle.AssetA, triangle.AssetB, triangle.StartAsset }),
                         (TriangleDirection.Reverse, new[] { triangle.StartAsset, triangle.AssetB, triangle.AssetA, triangle.StartAsset }),
                     })
            {
                var net = 1m;
                var toStart = 1m; // start units per unit of the current asset
                var size = decimal.MaxValue;
                var valid = true;
                for (var step = 0; step < 3; step++)
                {
                    var (from, to) = (assets[step], assets[step + 1]);
                    var instrument = names.Single(i => (i.BaseAsset == from && i.QuoteAsset == to) || (i.BaseAsset == to && i.QuoteAsset == from));
                    var q = _quotes[instrument.Symbol];
                    decimal rate, cap;
                    if (instrument.BaseAsset == from)
                    {
                        rate = q.Bid;   // sell the base at the bid
                        cap = q.BidQty;
                    }
                    else
                    {
                        if (q.Ask <= 0)
                        {
                            valid = false;
                            break;
                        }

                        rate = 1 / q.Ask; // buy the base at the ask
                        cap = q.AskQty * q.Ask;
                    }

                    if (rate <= 0)
                    {
                        valid = false;
                        break;
                    }

                    size = Math.Min(size, cap / toStart);
                    var gain = rate * _keep;
                    net *= gain;
                    toStart *= gain;
                }

                if (!valid)
                {
                    continue;
                }

                Evaluations++;
                var edge = (net - 1) * 10_000m;
                if (edge >= minEdgeBps)
                {
                    rows.Add(new Row(n, symbol, e.FinalUpdateId, string.Join('>', assets), triangle.Id, direction, edge, size));
                }
            }
        }

        rows.Sort((l, r) =>
        {
            var c = string.CompareOrdinal(l.Path, r.Path);
            c = c != 0 ? c : l.TriangleId.CompareTo(r.TriangleId);
            return c != 0 ? c : l.Direction.CompareTo(r.Direction);
        });
        return rows;
    }

    private static decimal Dec(long units) => units / (decimal)FixedPoint.Scale;

    internal sealed record Row(long N, string Symbol, long U, string Path, int TriangleId, TriangleDirection Direction, decimal EdgeBps, decimal MaxStartQty);
}
