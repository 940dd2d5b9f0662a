using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;

namespace OptiFlow.Testing;

/// <summary>
/// A seeded stream of spot bookTicker events over a set of instruments, for triangle tests and benchmarks: each
/// instrument has a fair price from asset values (USD prices of 2023-09-08 where given, the rest chosen so that a
/// spanning tree of instruments trades at 2,000–50,000 ticks), and each event quotes one instrument, picked at random,
/// around its fair price with noise and occasional jumps (mispricings that open triangles), on its tick and step.
/// </summary>
/// <remarks>Deterministic for a seed. Allocates (test support, cold). Instruments the symbol table lacks are never quoted.</remarks>
public sealed class SeededBookTickerStream
{
    /// <summary>Receive time of the first event, ns since the Unix epoch (2023-09-08 15:06:01 UTC).</summary>
    public const long StartNs = 1_694_185_561_000_000_000;

    private readonly IReadOnlyList<InstrumentSpec> _instruments;
    private readonly int[] _symbolIds;
    private readonly double[] _fair;
    private readonly long[] _updateIds;
    private readonly Random _random;
    private long _timeNs = StartNs;

    /// <summary>Values every asset and prices every instrument.</summary>
    /// <param name="instruments">The instruments.</param>
    /// <param name="symbols">The session's table: ids of the instruments quoted.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="usdPrices">Known asset values (default <see cref="UsdPrices20230908"/>).</param>
    public SeededBookTickerStream(IReadOnlyList<InstrumentSpec> instruments, SymbolTable symbols, int seed, IReadOnlyDictionary<string, double>? usdPrices = null)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentNullException.ThrowIfNull(symbols);
        _instruments = instruments;
        _random = new Random(seed);
        usdPrices ??= UsdPrices20230908;
        _symbolIds = new int[instruments.Count];
        _updateIds = new long[instruments.Count];
        var byAsset = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < instruments.Count; i++)
        {
            _symbolIds[i] = symbols.TryGet(System.Text.Encoding.ASCII.GetBytes(instruments[i].Symbol), out var id) ? id : -1;
            _updateIds[i] = 1_000_000_000L + (i * 1_000_000L);
            foreach (var asset in new[] { instruments[i].BaseAsset, instruments[i].QuoteAsset })
            {
                if (!byAsset.TryGetValue(asset, out var list))
                {
                    byAsset[asset] = list = [];
                }

                list.Add(i);
            }
        }

        // Log USD value of each asset: known ones first, then breadth first over the instruments.
        var value = new Dictionary<string, double>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var asset in byAsset.Keys.Order(StringComparer.Ordinal))
        {
            if (usdPrices.TryGetValue(asset, out var usd))
            {
                value[asset] = Math.Log(usd);
                queue.Enqueue(asset);
            }
        }

        foreach (var root in byAsset.Keys.Order(StringComparer.Ordinal))
        {
            if (!value.ContainsKey(root))
            {
                if (queue.Count == 0)
                {
                    value[root] = 0;
                    queue.Enqueue(root);
                }
            }

            while (queue.Count > 0)
            {
                var x = queue.Dequeue();
                foreach (var i in byAsset[x])
                {
                    var s = instruments[i];
                    var y = s.BaseAsset == x ? s.QuoteAsset : s.BaseAsset;
                    if (value.ContainsKey(y))
                    {
                        continue;
                    }

                    var tick = s.TickSize > 0 ? s.TickSize : 1;
                    var price = Math.Log(tick / (double)FixedPoint.Scale * (2_000 + (_random.NextDouble() * 48_000)));
                    value[y] = s.BaseAsset == x ? value[x] - price : value[x] + price;
                    queue.Enqueue(y);
                }
            }
        }

        // Then least squares over the unknown assets (Gauss-Seidel, known ones held): each instrument wants a price of
        // about 10^4.5 ticks, as Binance sets tick sizes, so few instruments trade at a handful of ticks.
        var target = new double[instruments.Count];
        for (var i = 0; i < instruments.Count; i++)
        {
            target[i] = Math.Log(Math.Max(1, instruments[i].TickSize) / (double)FixedPoint.Scale * 31_623);
        }

        var free = byAsset.Keys.Where(a => !usdPrices.ContainsKey(a)).Order(StringComparer.Ordinal).ToArray();
        for (var iteration = 0; iteration < 50; iteration++)
        {
            foreach (var asset in free)
            {
                var sum = 0.0;
                foreach (var i in byAsset[asset])
                {
                    var s = instruments[i];
                    sum += s.BaseAsset == asset ? value[s.QuoteAsset] + target[i] : value[s.BaseAsset] - target[i];
                }

                value[asset] = sum / byAsset[asset].Count;
            }
        }

        _fair = new double[instruments.Count];
        for (var i = 0; i < instruments.Count; i++)
        {
            _fair[i] = Math.Exp(value[instruments[i].BaseAsset] - value[instruments[i].QuoteAsset]);
        }
    }

    /// <summary>USD prices of some assets on 2023-09-08 (approximate), for realistic cross rates.</summary>
    public static IReadOnlyDictionary<string, double> UsdPrices20230908 { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["USDT"] = 1, ["USDC"] = 1, ["FDUSD"] = 1, ["TUSD"] = 1, ["BUSD"] = 1, ["DAI"] = 1,
        ["EUR"] = 1.07, ["GBP"] = 1.25, ["TRY"] = 0.0373, ["BRL"] = 0.201, ["AUD"] = 0.64,
        ["BTC"] = 25_900, ["ETH"] = 1_635, ["BNB"] = 215, ["SOL"] = 19.6, ["XRP"] = 0.50, ["ADA"] = 0.253,
        ["DOGE"] = 0.063, ["LTC"] = 63.5, ["TRX"] = 0.0826, ["DOT"] = 4.22, ["LINK"] = 6.25, ["MATIC"] = 0.55,
        ["AVAX"] = 9.7, ["ATOM"] = 7.3, ["ETC"] = 15.6, ["XLM"] = 0.126, ["FIL"] = 3.25, ["UNI"] = 4.3,
    };

    /// <summary>An instrument's fair price (quote per base, real units).</summary>
    /// <param name="instrumentIndex">Its index.</param>
    /// <returns>The price.</returns>
    public double FairPrice(int instrumentIndex) => _fair[instrumentIndex];

    /// <summary>Generates the next <paramref name="count"/> bookTickers (receive times 10–500 µs apart).</summary>
    /// <param name="count">How many.</param>
    /// <param name="noiseBps">Standard deviation of each quote's mid around fair, bps.</param>
    /// <param name="jumpProbability">Probability that a quote is off fair by <paramref name="jumpBps"/> (either way).</param>
    /// <param name="jumpBps">The size of a jump, bps.</param>
    /// <returns>The events (symbol ids of the table).</returns>
    public MarketEvent[] Generate(int count, double noiseBps = 3, double jumpProbability = 0.03, double jumpBps = 60)
    {
        var quoted = new List<int>();
        for (var i = 0; i < _instruments.Count; i++)
        {
            if (_symbolIds[i] >= 0)
            {
                quoted.Add(i);
            }
        }

        if (quoted.Count == 0)
        {
            throw new InvalidOperationException("No instrument of the stream is in the symbol table.");
        }

        var events = new MarketEvent[count];
        for (var k = 0; k < count; k++)
        {
            var i = quoted[_random.Next(quoted.Count)];
            var s = _instruments[i];
            var deviationBps = Normal() * noiseBps;
            if (_random.NextDouble() < jumpProbability)
            {
                deviationBps += _random.Next(2) == 0 ? jumpBps : -jumpBps;
            }

            var tick = s.TickSize > 0 ? s.TickSize : 1;
            var step = s.StepSize > 0 ? s.StepSize : 1_000;
            var mid = _fair[i] * (1 + (deviationBps / 10_000)) * FixedPoint.Scale;
            var ticks = (long)Math.Clamp(Math.Floor(mid / tick), 1, 1e18 / tick);
            var bid = ticks * tick;
            var ask = bid + (tick * (1 + _random.Next(3)));
            _timeNs += 10_000 + _random.Next(490_000);
            events[k] = new MarketEvent
            {
                Kind = MarketEventKind.BookTicker,
                Market = Market.Spot,
                SymbolId = _symbolIds[i],
                FinalUpdateId = ++_updateIds[i],
                BidPrice = bid,
                BidQuantity = Quantity(s, step),
                AskPrice = ask,
                AskQuantity = Quantity(s, step),
                LocalTimestampNs = _timeNs,
            };
        }

        return events;
    }

    private long Quantity(InstrumentSpec s, long step)
    {
        var lots = Math.Max(1, s.MinQty / step) * (1 + _random.Next(2_000));
        return Math.Min(lots * step, 1_000_000L * FixedPoint.Scale);
    }

    private double Normal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
