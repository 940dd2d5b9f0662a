using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Strategies;

/// <summary>
/// The OBI maker: posts a post-only quote at the touch when the book's imbalance (OBI 1/5/10 or the distance-weighted
/// wobi10, <see cref="ObiMakerOptions.Measure"/>) crosses a threshold — a bid at the best
/// bid when OBI ≥ +threshold (bids outweigh asks), an ask at the best ask when OBI ≤ −threshold — and cancels it when
/// the imbalance flips sign. Runs on the core thread after every applied depth message of its symbols.
/// </summary>
/// <remarks>
/// <para><b>Per applied depth message</b> of a symbol, with OBI = the configured measure of the core's signal:
/// (1) an open bid is cancelled when OBI &lt; 0, an open ask when OBI &gt; 0 (cancels are never held back by limits);
/// (2) with no open quote and |OBI| ≥ threshold, a new quote is wanted: it is emitted unless the symbol's cool-down
/// (event time <c>E</c> since its last new quote) has not passed, the strategy has <see cref="StrategyLimits.MaxOpenOrders"/>
/// open, or its notional would exceed <see cref="StrategyLimits.MaxNotional"/> — each counted
/// (<see cref="Blocked"/>). An open quote is not moved when the touch moves. NaN OBI (an empty side) does nothing.</para>
/// <para><b>Orders:</b> post-only — futures <c>LIMIT</c> with <c>timeInForce=GTX</c>, spot <c>LIMIT_MAKER</c> (binance.md
/// §4.2) — at the touched price, <see cref="ObiMakerOptions.Quantity"/>; ids from <see cref="ClientOrderIds"/> (leg 0 for
/// a cancel, leg 1 for a new quote).</para>
/// <para><b>When a quote stops counting as open</b> depends on whether the session trades
/// (<see cref="EvaluatorContext.Trading"/>, <see cref="Orders.OrderLedgerOptions.Trading"/>). Trading: a quote is open from
/// its New until the execution report that closes it (FILLED, CANCELED, EXPIRED, REJECTED); after its Cancel it stays open
/// (cancel pending: it can still fill) and the symbol gets no new quote until the closing report; a rejected cancel makes
/// the quote cancellable again. The limits read the core's ledger (<see cref="Orders.OrderLedger.OpenOrders"/>,
/// <see cref="Orders.OrderLedger.OpenNotional"/>: price × remaining quantity). Not trading (no gateway: nothing will ever
/// close a quote): a quote is open from its New until this strategy cancels it, counted by the strategy itself. A closing
/// report releases the quote in either mode.</para>
/// <para>Deterministic (time only from events), allocation-free per event (per-symbol arrays sized when attached),
/// core thread only.</para>
/// </remarks>
public sealed class ObiMaker : Evaluator
{
    private readonly ObiMakerOptions _options;
    private readonly IReadOnlyCollection<int>? _symbolIds;
    private readonly long[] _blocked = new long[Enum.GetValues<StrategyBlock>().Length];
    private Quote[] _quotes = [];
    private long[] _lastNewEventTimeMs = [];
    private int _openOrders;
    private Int128 _openNotional;

    /// <summary>Creates the strategy.</summary>
    /// <param name="options">Its configuration (validated here).</param>
    /// <param name="symbolIds">Symbols it quotes, or null for every symbol.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ObiMaker(ObiMakerOptions options, IReadOnlyCollection<int>? symbolIds = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _symbolIds = symbolIds;
    }

    /// <summary>The factory key: <c>obi-maker</c>.</summary>
    public const string Key = "obi-maker";

    /// <inheritdoc/>
    public override string Name => Key;

    /// <inheritdoc/>
    public override EvaluatorInputs Inputs => EvaluatorInputs.DepthApplied | EvaluatorInputs.ExecutionReport;

    /// <summary>New quotes emitted.</summary>
    public long QuotesPlaced { get; private set; }

    /// <summary>Cancels emitted (the imbalance flipped).</summary>
    public long QuotesCancelled { get; private set; }

    /// <summary>Quotes closed by an execution report (filled, cancelled, expired or rejected).</summary>
    public long QuotesClosed { get; private set; }

    /// <summary>Quotes filled (completely), from reports.</summary>
    public long QuotesFilled { get; private set; }

    /// <summary>Quotes open now: from the core's ledger when trading, else the strategy's own count.</summary>
    public int OpenOrders => Context is { Trading: true } context ? context.Orders.OpenOrders(context.EvaluatorId) : _openOrders;

    /// <summary>Wanted quotes not emitted, by reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count.</returns>
    public long Blocked(StrategyBlock reason) => _blocked[(int)reason];

    /// <inheritdoc/>
    public override bool Wants(int symbolId) => _symbolIds is null || _symbolIds.Contains(symbolId);

    /// <inheritdoc/>
    public override void OnDepthApplied(ref readonly MarketEvent last, long sequence, SymbolState state, ref readonly SignalEvent signal)
    {
        var obi = _options.Measure switch
        {
            ImbalanceMeasure.Obi1 => signal.Obi1,
            ImbalanceMeasure.Obi10 => signal.Obi10,
            ImbalanceMeasure.Wobi10 => signal.Wobi10,
            _ => signal.Obi5,
        };
        if (double.IsNaN(obi))
        {
            return;
        }

        var context = Context!;
        var trading = context.Trading;
        var symbolId = state.SymbolId;
        ref var quote = ref _quotes[symbolId];
        if (quote.ClientOrderId != 0 && !quote.CancelSent && (quote.Side == OrderSide.Buy ? obi < 0 : obi > 0))
        {
            context.EmitOrder(OrderCommand.Cancel(symbolId, quote.ClientOrderId, ClientOrderIds.For(context.EvaluatorId, sequence, 0), sequence, last.EventTimeMs));
            QuotesCancelled++;
            if (trading)
            {
                quote.CancelSent = true; // open until its closing report
            }
            else
            {
                Release(ref quote);
            }
        }

        if (quote.ClientOrderId != 0 || Math.Abs(obi) < _options.Threshold)
        {
            return;
        }

        var side = obi > 0 ? OrderSide.Buy : OrderSide.Sell;
        var price = side == OrderSide.Buy ? signal.BestBid : signal.BestAsk;
        var quantity = _options.Quantity;
        var limits = _options.Limits;
        var lastNew = _lastNewEventTimeMs[symbolId];
        if (lastNew != long.MinValue && last.EventTimeMs - lastNew < limits.CooldownMs)
        {
            _blocked[(int)StrategyBlock.Cooldown]++;
            return;
        }

        if ((trading ? context.Orders.OpenOrders(context.EvaluatorId) : _openOrders) >= limits.MaxOpenOrders)
        {
            _blocked[(int)StrategyBlock.MaxOpenOrders]++;
            return;
        }

        var notional = Notional(price, quantity);
        if ((trading ? context.Orders.OpenNotional(context.EvaluatorId) : _openNotional) + notional > limits.MaxNotional)
        {
            _blocked[(int)StrategyBlock.MaxNotional]++;
            return;
        }

        var id = ClientOrderIds.For(context.EvaluatorId, sequence, 1);
        var command = state.Market == Market.Futures
            ? OrderCommand.NewLimit(symbolId, side, price, quantity, TimeInForce.GoodTillCrossing, id, sequence, last.EventTimeMs)
            : OrderCommand.NewLimitMaker(symbolId, side, price, quantity, id, sequence, last.EventTimeMs);
        context.EmitOrder(in command);
        quote = new Quote { ClientOrderId = id, Side = side, Price = price, Quantity = quantity };
        _openOrders++;
        _openNotional += notional;
        _lastNewEventTimeMs[symbolId] = last.EventTimeMs;
        QuotesPlaced++;
    }

    /// <inheritdoc/>
    /// <remarks>A closing report (FILLED, CANCELED, EXPIRED, REJECTED of the quote itself) releases the symbol's quote; a
    /// rejected Cancel makes it cancellable again. Reports about other ids (an older quote already released) change nothing.</remarks>
    public override void OnExecutionReport(in ExecutionReport report, ref readonly MarketEvent slot, long sequence)
    {
        if ((uint)report.SymbolId >= (uint)_quotes.Length)
        {
            return;
        }

        ref var quote = ref _quotes[report.SymbolId];
        if (quote.ClientOrderId == 0 || quote.ClientOrderId != report.ClientOrderId)
        {
            return;
        }

        var status = report.Status;
        if (status == OrderStatus.Rejected && report.CommandClientOrderId != 0 && report.CommandClientOrderId != report.ClientOrderId)
        {
            quote.CancelSent = false; // the cancel was refused: the quote is still there
            return;
        }

        if (status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected)
        {
            QuotesClosed++;
            if (status == OrderStatus.Filled)
            {
                QuotesFilled++;
            }

            Release(ref quote);
        }
    }

    /// <inheritdoc/>
    protected override void OnAttach(EvaluatorContext context)
    {
        _quotes = new Quote[context.SymbolCapacity];
        _lastNewEventTimeMs = new long[context.SymbolCapacity];
        Array.Fill(_lastNewEventTimeMs, long.MinValue);
    }

    /// <summary>price × quantity in 10⁻⁸ quote units (both inputs 10⁻⁸ units).</summary>
    private static Int128 Notional(long price, long quantity) => (Int128)price * quantity / FixedPoint.Scale;

    /// <summary>Frees the symbol's quote slot and takes it out of the strategy's own open counts.</summary>
    private void Release(ref Quote quote)
    {
        _openOrders--;
        _openNotional -= Notional(quote.Price, quote.Quantity);
        quote = default;
    }

    private struct Quote
    {
        public long ClientOrderId;
        public long Price;
        public long Quantity;
        public OrderSide Side;
        public bool CancelSent;
    }
}
