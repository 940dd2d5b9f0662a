using System.Globalization;
using System.Text;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>
/// Incremental triangular arbitrage over a <see cref="TriangleUniverse"/>: each bookTicker of an instrument updates its
/// quote and re-evaluates only the triangles containing it whose three legs are known, in both directions, and emits
/// an <see cref="EvaluatorRecordType.TriangleOpportunity"/> record (<see cref="TriangleOpportunity"/>) for each cycle
/// whose edge reaches <see cref="MinEdgeBps"/>, with an executable plan checked against the instruments' filters.
/// </summary>
/// <remarks>
/// <para><b>Cycle.</b> A step X → Y on symbol XY sells X at the bid (<c>y = x·bid</c>); on YX it buys Y at the ask
/// (<c>y = x / ask</c>). The taker fee <c>f</c> is taken from what each leg receives: <c>net = Π rate·(1 − f)</c>,
/// <c>EdgeBps = (net − 1)·10⁴</c>. <b>Size:</b> a sell of X on XY fills at most B (X units); a buy of Y on YX spends at
/// most A·ask of X; each cap is taken back to start-asset units through the rates and fees of the legs before it, and
/// <c>MaxStartQty</c> is the minimum. Edge and size are <see cref="double"/> (reporting); a leg whose touched price is
/// not positive makes its cycles unevaluable (skipped, not counted).</para>
/// <para><b>Plan</b> (exact, fixed point 10⁻⁸, <see cref="Int128"/> products): the start amount is <c>MaxStartQty</c>
/// rounded to 10⁻⁸; then leg by leg, the order quantity in the instrument's base asset — a sell: the amount held,
/// capped at B; a buy: <c>floor(amount / ask)</c> capped at A — is rounded down to stepSize, checked against
/// PRICE_FILTER (touched price), LOT_SIZE and NOTIONAL/MIN_NOTIONAL (binance.md §4.3, spot form), and what it receives
/// after the fee (<c>floor(q·bid·(1 − f))</c> of quote for a sell, <c>floor(q·(1 − f))</c> of base for a buy) is the
/// next leg's amount. The first rule failed is the plan's <see cref="TrianglePlanStatus"/>, counted by reason
/// (<see cref="PlanCount"/>).</para>
/// <para><b>Time:</b> from the events only (<see cref="MarketEvent.LocalTimestampNs"/>: a leg's age is the trigger's
/// minus the leg's last bookTicker's); <see cref="MonotonicClock"/> is read only to measure each trigger's evaluation
/// into <see cref="EvaluationLatency"/>, which decides nothing. <b>Thread-safety:</b> core thread only; read counters and
/// the histogram after the core stopped. <b>Allocation:</b> none per event (every table is sized at construction and
/// attach: a per-symbol dispatch array, per-instrument quotes and rules, a flat per-instrument list of cycles sorted by
/// path).</para>
/// </remarks>
public sealed class TriangleEvaluator : Evaluator
{
    /// <summary>The name of this evaluator (<see cref="Evaluator.Name"/>).</summary>
    public const string EvaluatorName = "triangles";

    private const long Scale = FixedPoint.Scale;
    private const double BpsPerUnit = 10_000;

    private readonly int[] _instrumentOfSymbol;
    private readonly int[] _symbolOfInstrument;
    private readonly Quote[] _quotes;
    private readonly double[] _gains;
    private readonly double[] _caps;
    private readonly Rules[] _rules;
    private readonly Cycle[] _cycles;
    private readonly int[] _cycleStart;
    private readonly int[] _legInstrument;
    private readonly bool[] _legBuys;
    private readonly long[] _planCounts = new long[8];
    private readonly double _keep;
    private readonly long _keepFixed;
    private TriangleOpportunity[] _current = [];
    private int _currentCount;
    private MarketCore? _core;
    private EvaluatorContext? _context;

    /// <summary>Creates the evaluator for one session.</summary>
    /// <param name="universe">The triangles.</param>
    /// <param name="symbols">The session's symbol table: an instrument it lacks never gets a quote.</param>
    /// <param name="takerFeeBps">Taker fee in basis points, 0 ≤ fee &lt; 10,000, with at most 4 decimals (so that
    /// <c>1 − f</c> is exact in 10⁻⁸ units); default 10.</param>
    /// <param name="minEdgeBps">The least edge emitted, bps (may be negative); default 0.</param>
    /// <param name="measureLatency">Whether to time each trigger into <see cref="EvaluationLatency"/> (two monotonic
    /// clock reads per trigger, tens of ns on a VM); default true. Measurement only: the output is the same either way.</param>
    /// <exception cref="ArgumentException">A fee or threshold out of range, not finite, or a fee with more than 4 decimals.</exception>
    /// <remarks>Cold path: allocates every table.</remarks>
    public TriangleEvaluator(TriangleUniverse universe, SymbolTable symbols, double takerFeeBps = 10, double minEdgeBps = 0, bool measureLatency = true)
    {
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(symbols);
        if (!double.IsFinite(takerFeeBps) || takerFeeBps < 0 || takerFeeBps >= BpsPerUnit)
        {
            throw new ArgumentException($"The taker fee must be at least 0 and below 10000 bps, not {takerFeeBps.ToString(CultureInfo.InvariantCulture)}.", nameof(takerFeeBps));
        }

        var feeFixed = (decimal)takerFeeBps * 10_000m;
        if (feeFixed != decimal.Truncate(feeFixed))
        {
            throw new ArgumentException($"The taker fee {takerFeeBps.ToString(CultureInfo.InvariantCulture)} bps has more than 4 decimals: 1 − fee would not be exact in 10⁻⁸ units.", nameof(takerFeeBps));
        }

        if (!double.IsFinite(minEdgeBps))
        {
            throw new ArgumentException("The minimum edge must be a finite number of bps.", nameof(minEdgeBps));
        }

        Universe = universe;
        Symbols = symbols;
        MeasuresLatency = measureLatency;
        TakerFeeBps = takerFeeBps;
        MinEdgeBps = minEdgeBps;
        _keepFixed = Scale - (long)feeFixed;
        _keep = 1 - (takerFeeBps / BpsPerUnit);

        var instruments = universe.Instruments;
        _instrumentOfSymbol = new int[symbols.Capacity];
        Array.Fill(_instrumentOfSymbol, -1);
        _symbolOfInstrument = new int[instruments.Count];
        _quotes = new Quote[instruments.Count];
        _gains = new double[instruments.Count * 2];
        Array.Fill(_gains, double.NaN);
        _caps = new double[instruments.Count * 2];
        _rules = new Rules[instruments.Count];
        for (var i = 0; i < instruments.Count; i++)
        {
            var spec = instruments[i];
            _rules[i] = new Rules(spec);
            _symbolOfInstrument[i] = symbols.TryGet(Encoding.UTF8.GetBytes(spec.Symbol), out var id) ? id : -1;
            if (id >= 0 && id < _instrumentOfSymbol.Length)
            {
                _instrumentOfSymbol[id] = i;
            }
        }

        // The cycles of each instrument, both directions, in ordinal path order (then triangle id, direction), so a
        // trigger emits its records already sorted by path.
        _cycleStart = new int[instruments.Count + 1];
        var cycles = new List<Cycle>(universe.Count * 6);
        var local = new List<(string Path, Cycle Cycle)>();
        for (var i = 0; i < instruments.Count; i++)
        {
            _cycleStart[i] = cycles.Count;
            local.Clear();
            foreach (var id in universe.TrianglesOf(i))
            {
                var triangle = universe.Triangles[id];
                local.Add((triangle.ForwardPath, new Cycle(triangle, TriangleDirection.Forward)));
                local.Add((triangle.ReversePath, new Cycle(triangle, TriangleDirection.Reverse)));
            }

            local.Sort((l, r) =>
            {
                var c = string.CompareOrdinal(l.Path, r.Path);
                c = c != 0 ? c : l.Cycle.Triangle.CompareTo(r.Cycle.Triangle);
                return c != 0 ? c : l.Cycle.Direction.CompareTo(r.Cycle.Direction);
            });
            foreach (var (_, cycle) in local)
            {
                cycles.Add(cycle);
            }
        }

        _cycleStart[instruments.Count] = cycles.Count;
        _cycles = [.. cycles];

        // Every leg of every cycle by (triangle, direction, leg), for LegOrder.
        _legInstrument = new int[universe.Count * 6];
        _legBuys = new bool[universe.Count * 6];
        foreach (var triangle in universe.Triangles)
        {
            foreach (var direction in new[] { TriangleDirection.Forward, TriangleDirection.Reverse })
            {
                var legs = triangle.Legs(direction);
                for (var leg = 0; leg < 3; leg++)
                {
                    var at = (((triangle.Id * 2) + (int)direction) * 3) + leg;
                    _legInstrument[at] = legs[leg].InstrumentIndex;
                    _legBuys[at] = legs[leg].Side == OrderSide.Buy;
                }
            }
        }
    }

    /// <inheritdoc/>
    public override string Name => EvaluatorName;

    /// <inheritdoc/>
    /// <remarks>bookTicker only.</remarks>
    public override EvaluatorInputs Inputs => EvaluatorInputs.BookTicker;

    /// <summary>The triangles.</summary>
    public TriangleUniverse Universe { get; }

    /// <summary>The session's symbol table.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>The taker fee, bps.</summary>
    public double TakerFeeBps { get; }

    /// <summary>The least edge emitted, bps.</summary>
    public double MinEdgeBps { get; }

    /// <summary>Whether each trigger is timed into <see cref="EvaluationLatency"/>.</summary>
    public bool MeasuresLatency { get; }

    /// <summary>bookTickers of universe instruments handled (triggers).</summary>
    public long Triggers { get; private set; }

    /// <summary>Cycles evaluated (a triangle in one direction, its three legs known).</summary>
    public long Evaluations { get; private set; }

    /// <summary>Cycles whose edge reached <see cref="MinEdgeBps"/>: records emitted.</summary>
    public long Opportunities { get; private set; }

    /// <summary>Time to evaluate all cycles of one trigger (quote update, evaluation, plans, emission), ns, one value
    /// per trigger: measurement only.</summary>
    public LatencyHistogram EvaluationLatency { get; } = new("triangles");

    /// <summary>The opportunities of the latest trigger, in emission (path) order: valid on the core thread until the
    /// next bookTicker this evaluator handles. For an evaluator called after this one on the same event (a strategy).</summary>
    public ReadOnlySpan<TriangleOpportunity> CurrentOpportunities => _current.AsSpan(0, _currentCount);

    /// <summary>Plans of emitted opportunities with <paramref name="status"/> (failures counted by reason).</summary>
    /// <param name="status">A status.</param>
    /// <returns>The count.</returns>
    public long PlanCount(TrianglePlanStatus status) => (uint)status < (uint)_planCounts.Length ? _planCounts[(int)status] : 0;

    /// <summary>The session's symbol id of an instrument, or -1 when the session's table lacks it.</summary>
    /// <param name="instrumentIndex">Index in <see cref="TriangleUniverse.Instruments"/>.</param>
    /// <returns>The symbol id or -1.</returns>
    public int SymbolIdOf(int instrumentIndex) => _symbolOfInstrument[instrumentIndex];

    /// <summary>An instrument's latest quote (for a plan's limit prices: a sell leg's bid, a buy leg's ask).</summary>
    /// <param name="instrumentIndex">Index in <see cref="TriangleUniverse.Instruments"/>.</param>
    /// <returns>The quote (not known before the instrument's first bookTicker).</returns>
    /// <remarks>Core thread (or after the core stopped). Allocation-free.</remarks>
    public TriangleQuote QuoteOf(int instrumentIndex)
    {
        ref readonly var q = ref _quotes[instrumentIndex];
        return new TriangleQuote(q.Bid, q.BidQuantity, q.Ask, q.AskQuantity, q.TimestampNs, q.Known);
    }

    /// <summary>The limit price of a leg of a cycle: the instrument's bid for a sell, its ask for a buy.</summary>
    /// <param name="leg">The leg.</param>
    /// <returns>10⁻⁸ quote units (0 before the instrument's first bookTicker).</returns>
    public long LimitPriceOf(TriangleLeg leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ref readonly var q = ref _quotes[leg.InstrumentIndex];
        return leg.Side == OrderSide.Sell ? q.Bid : q.Ask;
    }

    /// <summary>
    /// One leg of an opportunity's plan as an order: symbol id, side, limit price (the touched price of the leg's
    /// instrument: bid for a sell, ask for a buy) and quantity.
    /// </summary>
    /// <param name="opportunity">A record this evaluator emitted (e.g. from <see cref="CurrentOpportunities"/>).</param>
    /// <param name="leg">0, 1 or 2, in execution order.</param>
    /// <returns>The order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The leg or the record's triangle is out of range.</exception>
    /// <remarks>
    /// The price comes from this evaluator's quotes, which are the plan's own until the leg's instrument's next
    /// bookTicker: call it on the core thread during the trigger (an evaluator or strategy after this one in the set,
    /// on the same event). For a record read later (from the outbound journal), the leg's price is that of the
    /// instrument's last bookTicker before the record's causing sequence (its time: the record's
    /// <c>LocalTimestampNs</c> minus <c>AgeNs{leg}</c>). Allocation-free.
    /// </remarks>
    public TriangleLegOrder LegOrder(in TriangleOpportunity opportunity, int leg)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leg);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leg, 2);
        if ((uint)opportunity.TriangleId >= (uint)Universe.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(opportunity), opportunity.TriangleId, "The record's triangle is not in this evaluator's universe.");
        }

        var at = (((opportunity.TriangleId * 2) + ((int)opportunity.Direction & 1)) * 3) + leg;
        var instrument = _legInstrument[at];
        var buy = _legBuys[at];
        ref readonly var q = ref _quotes[instrument];
        return new TriangleLegOrder(_symbolOfInstrument[instrument], instrument, buy ? OrderSide.Buy : OrderSide.Sell, buy ? q.Ask : q.Bid, opportunity.Quantity(leg));
    }

    /// <inheritdoc/>
    /// <remarks>Instruments of the universe that are in at least one triangle.</remarks>
    public override bool Wants(int symbolId) =>
        (uint)symbolId < (uint)_instrumentOfSymbol.Length
        && _instrumentOfSymbol[symbolId] is var i and >= 0
        && _cycleStart[i + 1] > _cycleStart[i];

    /// <inheritdoc/>
    public override void OnBookTicker(ref readonly MarketEvent e, long sequence)
    {
        if ((uint)e.SymbolId >= (uint)_instrumentOfSymbol.Length)
        {
            return;
        }

        var instrument = _instrumentOfSymbol[e.SymbolId];
        if (instrument < 0)
        {
            return;
        }

        var started = MeasuresLatency ? MonotonicClock.NowNs : 0;
        ref var quote = ref _quotes[instrument];
        quote.Bid = e.BidPrice;
        quote.BidQuantity = e.BidQuantity;
        quote.Ask = e.AskPrice;
        quote.AskQuantity = e.AskQuantity;
        quote.TimestampNs = e.LocalTimestampNs;
        quote.Known = true;

        // What one unit of the input asset becomes, after the fee, and the input a leg can fill, per side (index
        // 2·instrument for a sell at the bid, 2·instrument + 1 for a buy at the ask); NaN while unknown or unpriced, so
        // that a cycle with such a leg has a NaN product and is skipped without a branch per leg.
        var bid = FixedPoint.ToDouble(e.BidPrice);
        var ask = FixedPoint.ToDouble(e.AskPrice);
        var slot = instrument * 2;
        _gains[slot] = e.BidPrice > 0 ? bid * _keep : double.NaN;
        _caps[slot] = FixedPoint.ToDouble(e.BidQuantity);
        _gains[slot + 1] = e.AskPrice > 0 ? _keep / ask : double.NaN;
        _caps[slot + 1] = FixedPoint.ToDouble(e.AskQuantity) * ask;
        Triggers++;
        _currentCount = 0;
        var n = _core!.EventsOfKind(MarketEventKind.BookTicker);
        var gains = _gains;
        var end = _cycleStart[instrument + 1];
        for (var k = _cycleStart[instrument]; k < end; k++)
        {
            ref readonly var cycle = ref _cycles[k];
            var g0 = gains[cycle.G0];
            var g01 = g0 * gains[cycle.G1];
            var net = g01 * gains[cycle.G2];
            if (double.IsNaN(net))
            {
                continue;
            }

            Evaluations++;
            var edge = (net - 1) * BpsPerUnit;
            if (!(edge >= MinEdgeBps))
            {
                continue;
            }

            var size = Math.Min(_caps[cycle.G0], Math.Min(_caps[cycle.G1] / g0, _caps[cycle.G2] / g01));
            ref readonly var q0 = ref _quotes[cycle.I0];
            ref readonly var q1 = ref _quotes[cycle.I1];
            ref readonly var q2 = ref _quotes[cycle.I2];
            var body = default(TriangleOpportunity);
            body.N = n;
            body.U = e.FinalUpdateId;
            body.EdgeBps = edge;
            body.MaxStartQty = size;
            body.TriangleId = cycle.Triangle;
            body.Direction = cycle.Direction;
            body.AgeNs0 = e.LocalTimestampNs - q0.TimestampNs;
            body.AgeNs1 = e.LocalTimestampNs - q1.TimestampNs;
            body.AgeNs2 = e.LocalTimestampNs - q2.TimestampNs;
            Plan(ref body, in cycle, in q0, in q1, in q2);
            _planCounts[(int)body.Status]++;
            Opportunities++;
            _current[_currentCount++] = body;
            _context!.Emit(EvaluatorRecordType.TriangleOpportunity, in e, sequence, in body);
        }

        if (MeasuresLatency)
        {
            EvaluationLatency.Record(MonotonicClock.NowNs - started);
        }
    }

    /// <summary>The configuration as one line of text, for reports (a host journals its factory's configuration instead).</summary>
    /// <returns>e.g. <c>taker_fee_bps=10;min_edge_bps=0;instruments=1340;triangles=2207</c>.</returns>
    public string Configuration() => string.Create(
        CultureInfo.InvariantCulture,
        $"taker_fee_bps={TakerFeeBps:R};min_edge_bps={MinEdgeBps:R};instruments={Universe.Instruments.Count};triangles={Universe.Count}");

    /// <inheritdoc/>
    protected override void OnAttach(EvaluatorContext context)
    {
        _core = context.Core;
        _context = context;
        var most = 0;
        for (var i = 0; i + 1 < _cycleStart.Length; i++)
        {
            most = Math.Max(most, _cycleStart[i + 1] - _cycleStart[i]);
        }

        _current = new TriangleOpportunity[most];
    }

    private void Plan(ref TriangleOpportunity body, ref readonly Cycle cycle, ref readonly Quote q0, ref readonly Quote q1, ref readonly Quote q2)
    {
        var size = body.MaxStartQty;
        var amount = !(size > 0) ? 0L : size >= long.MaxValue / (double)Scale ? long.MaxValue : (long)Math.Round(size * Scale);
        body.Status = TrianglePlanStatus.Executable;
        body.FailedLeg = TriangleOpportunity.NoFailedLeg;
        var status = Leg(in q0, in _rules[cycle.I0], cycle.Buy0, ref amount, out body.Quantity0);
        if (status != TrianglePlanStatus.Executable)
        {
            body.Status = status;
            body.FailedLeg = 0;
            return;
        }

        status = Leg(in q1, in _rules[cycle.I1], cycle.Buy1, ref amount, out body.Quantity1);
        if (status != TrianglePlanStatus.Executable)
        {
            body.Status = status;
            body.FailedLeg = 1;
            return;
        }

        status = Leg(in q2, in _rules[cycle.I2], cycle.Buy2, ref amount, out body.Quantity2);
        if (status != TrianglePlanStatus.Executable)
        {
            body.Status = status;
            body.FailedLeg = 2;
        }
    }

    // One leg of a plan: the order quantity from the amount held, its filters, and the amount received after the fee.
    private TrianglePlanStatus Leg(ref readonly Quote q, ref readonly Rules rules, bool buy, ref long amount, out long quantity)
    {
        long price;
        if (buy)
        {
            price = q.Ask;
            quantity = amount <= long.MaxValue / Scale
                ? Math.Min(amount * Scale / price, q.AskQuantity)
                : (long)Int128.Min((Int128)amount * Scale / price, q.AskQuantity);
        }
        else
        {
            price = q.Bid;
            quantity = Math.Min(amount, q.BidQuantity);
        }

        if (rules.Step > 0)
        {
            quantity -= quantity % rules.Step;
        }

        var status = rules.Check(price, quantity);
        if (buy)
        {
            // quantity ≤ long.MaxValue and keep ≤ 10⁸: the product fits an Int128; below 2^63 / 10⁸ it fits a long.
            amount = quantity <= long.MaxValue / Scale ? quantity * _keepFixed / Scale : (long)((Int128)quantity * _keepFixed / Scale);
        }
        else
        {
            var gross = (Int128)quantity * price;
            amount = gross <= long.MaxValue / Scale
                ? (long)gross * _keepFixed / Scale / Scale
                : (long)Int128.Min(gross * _keepFixed / ((Int128)Scale * Scale), long.MaxValue);
        }
        return status;
    }

    private struct Quote
    {
        public long Bid;
        public long BidQuantity;
        public long Ask;
        public long AskQuantity;
        public long TimestampNs;
        public bool Known;
    }

    private readonly struct Cycle
    {
        public readonly int G0;
        public readonly int G1;
        public readonly int G2;
        public readonly int I0;
        public readonly int I1;
        public readonly int I2;
        public readonly int Triangle;
        public readonly TriangleDirection Direction;
        public readonly bool Buy0;
        public readonly bool Buy1;
        public readonly bool Buy2;

        public Cycle(Triangle triangle, TriangleDirection direction)
        {
            var legs = triangle.Legs(direction);
            Triangle = triangle.Id;
            Direction = direction;
            I0 = legs[0].InstrumentIndex;
            I1 = legs[1].InstrumentIndex;
            I2 = legs[2].InstrumentIndex;
            Buy0 = legs[0].Side == OrderSide.Buy;
            Buy1 = legs[1].Side == OrderSide.Buy;
            Buy2 = legs[2].Side == OrderSide.Buy;
            G0 = (I0 * 2) + (Buy0 ? 1 : 0);
            G1 = (I1 * 2) + (Buy1 ? 1 : 0);
            G2 = (I2 * 2) + (Buy2 ? 1 : 0);
        }
    }

    // An instrument's filters (binance.md §4.3, spot form; 0 disables a rule).
    private readonly struct Rules(InstrumentSpec spec)
    {
        public readonly long Tick = spec.TickSize;
        public readonly long MinPrice = spec.MinPrice;
        public readonly long MaxPrice = spec.MaxPrice;
        public readonly long Step = spec.StepSize;
        public readonly long MinQty = spec.MinQty;
        public readonly long MaxQty = spec.MaxQty;
        public readonly long MinNotional = spec.MinNotional;
        public readonly long MaxNotional = spec.MaxNotional;

        public TrianglePlanStatus Check(long price, long quantity)
        {
            if ((MinPrice > 0 && price < MinPrice) || (MaxPrice > 0 && price > MaxPrice))
            {
                return TrianglePlanStatus.PriceOutOfRange;
            }

            if (Tick > 0 && price % Tick != 0)
            {
                return TrianglePlanStatus.PriceOffTick;
            }

            if (quantity <= 0 || quantity < MinQty)
            {
                return TrianglePlanStatus.QuantityBelowMin;
            }

            if (MaxQty > 0 && quantity > MaxQty)
            {
                return TrianglePlanStatus.QuantityAboveMax;
            }

            var notional = (Int128)quantity * price;
            if (MinNotional > 0 && notional < (Int128)MinNotional * Scale)
            {
                return TrianglePlanStatus.NotionalBelowMin;
            }

            if (MaxNotional > 0 && notional > (Int128)MaxNotional * Scale)
            {
                return TrianglePlanStatus.NotionalAboveMax;
            }

            return TrianglePlanStatus.Executable;
        }
    }
}
