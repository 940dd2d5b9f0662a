using System.Globalization;
using System.Text;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Generation;

public sealed partial class SpotUniverseGenerator
{
    /// <summary>How far (as a factor) a fitted price must stay inside the PRICE_FILTER bounds: room for the walk and the mispricings.</summary>
    private const double FilterMargin = 1.25;

    /// <summary>Rounds of re-weighting the unpriceable symbols before they are left out.</summary>
    private const int MaxReweights = 12;

    /// <summary>The symbols, assets and triangles a recording is generated over, with the fitted initial asset log-values.</summary>
    private sealed class Universe
    {
        public required GeneratedSymbol[] Symbols { get; init; }

        public required string[] SymbolNames { get; init; }

        public required string[] AssetNames { get; init; }

        /// <summary>Per asset: ln of its value, such that a symbol's price (quote per base, whole units) is
        /// exp(x[base] − x[quote]); in 10⁻⁸ units, 10⁸ times that.</summary>
        public required double[] LogValues { get; init; }

        public required Triangle[] Triangles { get; init; }

        /// <summary>Per symbol: the indices of its triangles in <see cref="Triangles"/>.</summary>
        public required int[][] TrianglesOf { get; init; }

        public required LeftOutSymbol[] LeftOut { get; init; }

        public required int TradingSymbols { get; init; }

        public required int AllTriangles { get; init; }

        public required int TriangleSymbols { get; init; }

        public static Universe Build(ExchangeInfo exchangeInfo, SpotUniverseGeneratorOptions options)
        {
            var trading = new List<SymbolInfo>();
            foreach (var symbol in exchangeInfo.Symbols)
            {
                if (symbol.IsTrading && symbol.Market == Market.Spot)
                {
                    trading.Add(symbol);
                }
            }

            var assets = new List<string>();
            var assetIds = new Dictionary<string, int>(StringComparer.Ordinal);
            var bases = new int[trading.Count];
            var quotes = new int[trading.Count];
            for (var i = 0; i < trading.Count; i++)
            {
                bases[i] = AssetId(trading[i].BaseAsset);
                quotes[i] = AssetId(trading[i].QuoteAsset);
            }

            // Every TRADING symbol (one per asset pair: the first met, should exchangeInfo ever list a pair twice).
            var all = new List<int>();
            var pairs = new HashSet<long>();
            for (var i = 0; i < trading.Count; i++)
            {
                if (bases[i] != quotes[i] && pairs.Add(PairKey(bases[i], quotes[i])))
                {
                    all.Add(i);
                }
            }

            var allTriangles = FindTriangles(all, bases, quotes, assets.Count, out var inTriangle);
            var leftOut = new List<LeftOutSymbol>();
            var candidates = new List<int>();
            foreach (var i in inTriangle)
            {
                if (UnusableFilters(trading[i]) is { } reason)
                {
                    leftOut.Add(new LeftOutSymbol(trading[i].Symbol, reason));
                }
                else
                {
                    candidates.Add(i);
                }
            }

            candidates = Prune(candidates, trading, bases, quotes, assets.Count, leftOut);
            if (options.MaxSymbols is { } max && candidates.Count > max)
            {
                candidates = Select(candidates, bases, quotes, assets, max);
                candidates = Prune(candidates, trading, bases, quotes, assets.Count, leftOut: null);
            }

            // Fit; while some symbols cannot be priced, weigh their equations 4 times more and fit again (they pull the
            // fit towards their target at the expense of symbols with room to spare); after MaxReweights rounds, leave
            // out those still unpriceable, drop the symbols that lose their last triangle, and start again.
            var weights = new double[trading.Count];
            Array.Fill(weights, 1.0);
            double[] logValues;
            while (true)
            {
                var unpriceable = new List<(int Symbol, string Reason)>();
                for (var round = 0; ; round++)
                {
                    logValues = Fit(candidates, trading, bases, quotes, weights, assets.Count, options);
                    unpriceable.Clear();
                    foreach (var i in candidates)
                    {
                        if (UnpriceableReason(trading[i], logValues[bases[i]] - logValues[quotes[i]], options) is { } reason)
                        {
                            unpriceable.Add((i, reason));
                        }
                    }

                    if (unpriceable.Count == 0 || round == MaxReweights)
                    {
                        break;
                    }

                    foreach (var (i, _) in unpriceable)
                    {
                        weights[i] *= 4;
                    }
                }

                if (unpriceable.Count == 0)
                {
                    break;
                }

                var drop = new HashSet<int>();
                foreach (var (i, reason) in unpriceable)
                {
                    leftOut.Add(new LeftOutSymbol(trading[i].Symbol, reason));
                    drop.Add(i);
                }

                candidates = Prune(candidates.Where(i => !drop.Contains(i)).ToList(), trading, bases, quotes, assets.Count, leftOut);
            }

            // The final universe, in exchangeInfo order.
            candidates.Sort();
            var symbols = new GeneratedSymbol[candidates.Count];
            var index = new Dictionary<long, int>();
            for (var k = 0; k < candidates.Count; k++)
            {
                var info = trading[candidates[k]];
                symbols[k] = new GeneratedSymbol(info, bases[candidates[k]], quotes[candidates[k]]);
                index[PairKey(symbols[k].Base, symbols[k].Quote)] = k;
            }

            var triangles = new List<Triangle>();
            FindTriangles(candidates, bases, quotes, assets.Count, out _, (a, b, c) => triangles.Add(new Triangle(
                a, b, c, index[PairKey(a, b)], index[PairKey(b, c)], index[PairKey(c, a)])));
            var of = new List<int>[symbols.Length];
            for (var k = 0; k < of.Length; k++)
            {
                of[k] = [];
            }

            for (var t = 0; t < triangles.Count; t++)
            {
                of[triangles[t].Sab].Add(t);
                of[triangles[t].Sbc].Add(t);
                of[triangles[t].Sca].Add(t);
            }

            return new Universe
            {
                Symbols = symbols,
                SymbolNames = Array.ConvertAll(symbols, s => s.Name),
                AssetNames = [.. assets],
                LogValues = logValues,
                Triangles = [.. triangles],
                TrianglesOf = Array.ConvertAll(of, l => l.ToArray()),
                LeftOut = [.. leftOut],
                TradingSymbols = trading.Count,
                AllTriangles = allTriangles,
                TriangleSymbols = inTriangle.Count,
            };

            int AssetId(string asset)
            {
                if (!assetIds.TryGetValue(asset, out var id))
                {
                    id = assets.Count;
                    assets.Add(asset);
                    assetIds.Add(asset, id);
                }

                return id;
            }
        }

        private static long PairKey(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

        /// <summary>Counts the asset triangles among <paramref name="symbols"/> (indices into the trading list) and
        /// collects the symbols that are part of one; <paramref name="onTriangle"/> gets each triangle (a &lt; b &lt; c).</summary>
        private static int FindTriangles(List<int> symbols, int[] bases, int[] quotes, int assetCount, out List<int> inTriangle, Action<int, int, int>? onTriangle = null)
        {
            var bySymbolPair = new Dictionary<long, int>(symbols.Count);
            var neighbours = new List<int>[assetCount];
            for (var a = 0; a < assetCount; a++)
            {
                neighbours[a] = [];
            }

            foreach (var i in symbols)
            {
                if (bySymbolPair.TryAdd(PairKey(bases[i], quotes[i]), i))
                {
                    neighbours[bases[i]].Add(quotes[i]);
                    neighbours[quotes[i]].Add(bases[i]);
                }
            }

            var used = new HashSet<int>();
            var count = 0;
            for (var a = 0; a < assetCount; a++)
            {
                var around = neighbours[a];
                around.Sort();
                foreach (var b in around)
                {
                    if (b <= a)
                    {
                        continue;
                    }

                    foreach (var c in around)
                    {
                        if (c <= b || !bySymbolPair.TryGetValue(PairKey(b, c), out var sbc))
                        {
                            continue;
                        }

                        count++;
                        used.Add(bySymbolPair[PairKey(a, b)]);
                        used.Add(sbc);
                        used.Add(bySymbolPair[PairKey(c, a)]);
                        onTriangle?.Invoke(a, b, c);
                    }
                }
            }

            inTriangle = [.. used];
            inTriangle.Sort();
            return count;
        }

        /// <summary>Drops, until none is left, the symbols that are part of no triangle of the others.</summary>
        private static List<int> Prune(List<int> symbols, List<SymbolInfo> trading, int[] bases, int[] quotes, int assetCount, List<LeftOutSymbol>? leftOut)
        {
            while (true)
            {
                FindTriangles(symbols, bases, quotes, assetCount, out var inTriangle);
                if (inTriangle.Count == symbols.Count)
                {
                    return symbols;
                }

                var keep = new HashSet<int>(inTriangle);
                foreach (var i in symbols)
                {
                    if (!keep.Contains(i))
                    {
                        leftOut?.Add(new LeftOutSymbol(trading[i].Symbol, "no triangle left once other symbols were left out"));
                    }
                }

                symbols = inTriangle;
            }
        }

        /// <summary>The symbols among the most connected assets, at most <paramref name="max"/>.</summary>
        private static List<int> Select(List<int> candidates, int[] bases, int[] quotes, List<string> assets, int max)
        {
            var degree = new int[assets.Count];
            foreach (var i in candidates)
            {
                degree[bases[i]]++;
                degree[quotes[i]]++;
            }

            var order = Enumerable.Range(0, assets.Count).Where(a => degree[a] > 0).ToList();
            order.Sort((x, y) => degree[x] != degree[y] ? degree[y].CompareTo(degree[x]) : string.CompareOrdinal(assets[x], assets[y]));
            var rank = new int[assets.Count];
            Array.Fill(rank, -1);
            var selected = new List<int>();
            var position = 0;
            foreach (var asset in order)
            {
                rank[asset] = position++;
                var joining = candidates
                    .Where(i => (bases[i] == asset && rank[quotes[i]] >= 0 && quotes[i] != asset) || (quotes[i] == asset && rank[bases[i]] >= 0 && bases[i] != asset))
                    .OrderBy(i => rank[bases[i] == asset ? quotes[i] : bases[i]])
                    .ThenBy(i => i);
                foreach (var i in joining)
                {
                    if (selected.Count == max)
                    {
                        break;
                    }

                    selected.Add(i);
                }

                if (selected.Count == max)
                {
                    break;
                }
            }

            selected.Sort();
            return selected;
        }

        private static string? UnusableFilters(SymbolInfo symbol)
        {
            if (symbol.PriceFilter is not { TickSize: > 0 } price)
            {
                return "no PRICE_FILTER with a tick size";
            }

            if (symbol.LotSize is not { StepSize: > 0, MaxQty: > 0 } lot)
            {
                return "no LOT_SIZE with a step size and a maxQty";
            }

            if (price.MaxPrice > 0 && price.MaxPrice < price.MinPrice)
            {
                return "PRICE_FILTER maxPrice below minPrice";
            }

            return lot.MaxQty < lot.MinQty ? "LOT_SIZE maxQty below minQty" : null;
        }

        private static string? UnpriceableReason(SymbolInfo symbol, double logPrice, SpotUniverseGeneratorOptions options)
        {
            var price = symbol.PriceFilter!.Value;
            var lot = symbol.LotSize!.Value;
            var units = logPrice > 18 ? double.PositiveInfinity : PortableMath.Exp(Math.Max(logPrice, -36)) * FixedPoint.Scale;
            var ticks = units / price.TickSize;
            if (ticks < options.MinPriceTicks)
            {
                return Reason($"fitted price {Describe(units)} is {ticks:G3} ticks, below {options.MinPriceTicks}");
            }

            if (ticks > options.MaxPriceTicks)
            {
                return Reason($"fitted price {Describe(units)} is {ticks:G3} ticks, above {options.MaxPriceTicks}");
            }

            if (units > 1e15)
            {
                return Reason($"fitted price {Describe(units)} does not fit 10⁻⁸ fixed point with room");
            }

            if (price.MinPrice > 0 && units / FilterMargin < price.MinPrice)
            {
                return Reason($"fitted price {Describe(units)} within {FilterMargin - 1:P0} of minPrice {FixedPoint.ToString(price.MinPrice)}");
            }

            if (price.MaxPrice > 0 && units * FilterMargin > price.MaxPrice)
            {
                return Reason($"fitted price {Describe(units)} within {FilterMargin - 1:P0} of maxPrice {FixedPoint.ToString(price.MaxPrice)}");
            }

            var minNotional = MinNotional(symbol);
            if (minNotional > 0 && (double)lot.MaxQty * units / FixedPoint.Scale < minNotional)
            {
                return Reason($"at the fitted price {Describe(units)} even maxQty {FixedPoint.ToString(lot.MaxQty)} is below the minimum notional {FixedPoint.ToString(minNotional)}");
            }

            return null;

            static string Reason(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

            static string Describe(double units) => (units / FixedPoint.Scale).ToString("G6", CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Weighted least squares over the symbol graph: minimise Σ w (x[base] − x[quote] − ln(tickSize × target))² + λ Σ x²
        /// (tickSize in whole units), whose normal equations are (L + λI) x = BᵀWt with L the graph's weighted Laplacian; λ = 10⁻⁶ fixes each connected component's
        /// free constant (its mean log-value goes to 0) without moving the ratios. Solved by Cholesky (a few hundred assets).
        /// </summary>
        private static double[] Fit(List<int> symbols, List<SymbolInfo> trading, int[] bases, int[] quotes, double[] weights, int assetCount, SpotUniverseGeneratorOptions options)
        {
            const double Lambda = 1e-6;
            var dense = new int[assetCount];
            Array.Fill(dense, -1);
            var n = 0;
            foreach (var i in symbols)
            {
                if (dense[bases[i]] < 0)
                {
                    dense[bases[i]] = n++;
                }

                if (dense[quotes[i]] < 0)
                {
                    dense[quotes[i]] = n++;
                }
            }

            var matrix = new double[n, n];
            var rhs = new double[n];
            // Targets in whole units (price = tickSize × target ticks): ln of a whole-unit price is additive around a
            // triangle, ln of a 10⁻⁸-unit price is not.
            var logTarget = PortableMath.Log(options.TargetPriceTicks) - PortableMath.Log(FixedPoint.Scale);
            foreach (var i in symbols)
            {
                var b = dense[bases[i]];
                var q = dense[quotes[i]];
                var target = PortableMath.Log(trading[i].PriceFilter!.Value.TickSize) + logTarget;
                var w = weights[i];
                matrix[b, b] += w;
                matrix[q, q] += w;
                matrix[b, q] -= w;
                matrix[q, b] -= w;
                rhs[b] += w * target;
                rhs[q] -= w * target;
            }

            for (var k = 0; k < n; k++)
            {
                matrix[k, k] += Lambda;
            }

            // Cholesky: matrix = G Gᵀ, G lower triangular, stored in place.
            for (var j = 0; j < n; j++)
            {
                var diagonal = matrix[j, j];
                for (var k = 0; k < j; k++)
                {
                    diagonal -= matrix[j, k] * matrix[j, k];
                }

                var g = Math.Sqrt(diagonal);
                matrix[j, j] = g;
                for (var i = j + 1; i < n; i++)
                {
                    var sum = matrix[i, j];
                    for (var k = 0; k < j; k++)
                    {
                        sum -= matrix[i, k] * matrix[j, k];
                    }

                    matrix[i, j] = sum / g;
                }
            }

            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                var sum = rhs[i];
                for (var k = 0; k < i; k++)
                {
                    sum -= matrix[i, k] * y[k];
                }

                y[i] = sum / matrix[i, i];
            }

            var x = new double[n];
            for (var i = n - 1; i >= 0; i--)
            {
                var sum = y[i];
                for (var k = i + 1; k < n; k++)
                {
                    sum -= matrix[k, i] * x[k];
                }

                x[i] = sum / matrix[i, i];
            }

            var values = new double[assetCount];
            for (var a = 0; a < assetCount; a++)
            {
                values[a] = dense[a] < 0 ? 0 : x[dense[a]];
            }

            return values;
        }
    }

    /// <summary>The NOTIONAL filter's minimum (or MIN_NOTIONAL's, on older exchangeInfo), 10⁻⁸ units; 0 when neither.</summary>
    private static long MinNotional(SymbolInfo symbol) => symbol.Notional?.MinNotional ?? symbol.MinNotional?.MinNotional ?? 0;

    /// <summary>A symbol of the universe with its filters in 10⁻⁸ units and the bytes its frames start with.</summary>
    private sealed class GeneratedSymbol
    {
        public GeneratedSymbol(SymbolInfo info, int baseAsset, int quoteAsset)
        {
            Name = info.Symbol;
            Base = baseAsset;
            Quote = quoteAsset;
            var price = info.PriceFilter!.Value;
            var lot = info.LotSize!.Value;
            TickSize = price.TickSize;
            MinPrice = price.MinPrice;
            MaxPrice = price.MaxPrice;
            MinQty = lot.MinQty;
            MaxQty = lot.MaxQty;
            StepSize = lot.StepSize;
            MinNotional = SpotUniverseGenerator.MinNotional(info);
            StreamPrefix = Encoding.ASCII.GetBytes("{\"stream\":\"" + Name.ToLowerInvariant() + "@bookTicker\",\"data\":{\"u\":");
            SymbolField = Encoding.ASCII.GetBytes(",\"s\":\"" + Name + "\",\"b\":\"");
        }

        public string Name { get; }

        public int Base { get; }

        public int Quote { get; }

        public long TickSize { get; }

        public long MinPrice { get; }

        public long MaxPrice { get; }

        public long MinQty { get; }

        public long MaxQty { get; }

        public long StepSize { get; }

        public long MinNotional { get; }

        /// <summary><c>{"stream":"ethbtc@bookTicker","data":{"u":</c></summary>
        public byte[] StreamPrefix { get; }

        /// <summary><c>,"s":"ETHBTC","b":"</c></summary>
        public byte[] SymbolField { get; }
    }

    /// <summary>An asset triangle a &lt; b &lt; c (asset ids) and the universe's symbols of its three pairs.</summary>
    private readonly record struct Triangle(int A, int B, int C, int Sab, int Sbc, int Sca);
}
