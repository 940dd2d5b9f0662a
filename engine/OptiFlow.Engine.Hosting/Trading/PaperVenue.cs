using OptiFlow.Engine.Gateway;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>
/// The in-process paper venue (<c>--trade paper</c>): the engine's <see cref="MatchingEngine"/> on the book the session
/// sees, driven by the gateway thread, so offline runs on recordings trade against the recorded market.
/// </summary>
/// <remarks>
/// <para>The book: a symbol's depth snapshots and diffs once it has any (marketable orders walk its levels; resting
/// orders keep the risk-averse queue position of hftbacktest), otherwise its bookTickers as a one-level book (the best
/// bid and ask replace the previous ones). Trades advance queues. Time is the market's event time: the order-entry
/// latency (<see cref="MatchingOptions.OrderEntryLatencyMs"/>) holds a command until the market has moved that far.</para>
/// <para>Determinism: the gateway hands a command to the venue right after the market event that caused it, so its fills
/// depend only on the recording and the commands; where its reports land among the recording's frames in the inbound ring
/// depends on thread timing, and the journal keeps that order for the replay.</para>
/// <para>Gateway thread only (see <see cref="IOrderVenue"/>); allocation-free after construction.</para>
/// </remarks>
public sealed class PaperVenue : IOrderVenue, IExecutionReportSink
{
    private readonly MatchingEngine _engine;
    private readonly bool[] _hasDepth;
    private readonly long[] _tickerBid;
    private readonly long[] _tickerAsk;
    private IExecutionReportSink? _sink;

    /// <summary>Creates the venue.</summary>
    /// <param name="symbolCount">Symbol ids it accepts: 0 to <paramref name="symbolCount"/> − 1.</param>
    /// <param name="options">The matching engine's fees, latency and capacities.</param>
    public PaperVenue(int symbolCount, MatchingOptions options)
    {
        _engine = new MatchingEngine(symbolCount, this, options);
        _hasDepth = new bool[symbolCount];
        _tickerBid = new long[symbolCount];
        _tickerAsk = new long[symbolCount];
    }

    /// <summary>The matching options of a session's paper venue: <see cref="TradingOptions.Matching"/> with the book capacity <see cref="TradingOptions.PaperBookCapacity"/> gives.</summary>
    /// <param name="trading">The session's trading options.</param>
    /// <param name="symbolCount">Symbols in the session.</param>
    /// <returns>New options.</returns>
    public static MatchingOptions OptionsFor(TradingOptions trading, int symbolCount)
    {
        ArgumentNullException.ThrowIfNull(trading);
        var m = trading.Matching;
        return new MatchingOptions
        {
            MakerFeeBasisPoints = m.MakerFeeBasisPoints,
            TakerFeeBasisPoints = m.TakerFeeBasisPoints,
            OrderEntryLatencyMs = m.OrderEntryLatencyMs,
            MaxOpenOrders = m.MaxOpenOrders,
            MaxPendingCommands = m.MaxPendingCommands,
            BookCapacity = trading.PaperBookCapacity ?? (symbolCount <= 64 ? Books.OrderBook.DefaultCapacity : m.BookCapacity),
        };
    }

    /// <inheritdoc/>
    public string Name => "paper";

    /// <inheritdoc/>
    public bool WantsMarketEvents => true;

    /// <inheritdoc/>
    public int InFlight => _engine.PendingCommandCount;

    /// <summary>The matching engine (read positions and books after the session stopped).</summary>
    public MatchingEngine Engine => _engine;

    /// <inheritdoc/>
    public void Start(IExecutionReportSink reports) => _sink = reports ?? throw new ArgumentNullException(nameof(reports));

    /// <summary>
    /// Runs the paths that allocate once on a thread's first use (the runtime's lookup for the engine's id table) on the
    /// calling thread; the gateway calls it on its own thread before its steady-state window opens.
    /// </summary>
    public void WarmUp() => _ = _engine.TryGetQueueAhead(0, out _);

    /// <inheritdoc/>
    public VenueSendStatus Send(in OrderCommand command, ref OrderSendTiming timing)
    {
        timing.EncodedNs = MonotonicClock.NowNs; // nothing to encode: the command is the request
        _engine.Submit(command);
        timing.SentNs = MonotonicClock.NowNs;
        return VenueSendStatus.Sent;
    }

    /// <inheritdoc/>
    public void OnMarketEvent(in MarketEvent marketEvent)
    {
        var s = marketEvent.SymbolId;
        switch (marketEvent.Kind)
        {
            case MarketEventKind.DepthLevel or MarketEventKind.SnapshotLevel when (uint)s < (uint)_hasDepth.Length:
                if (!_hasDepth[s])
                {
                    _hasDepth[s] = true;
                    ClearTickerLevels(s, marketEvent.EventTimeMs);
                }

                _engine.OnMarketEvent(marketEvent);
                break;
            case MarketEventKind.BookTicker when (uint)s < (uint)_hasDepth.Length && !_hasDepth[s]:
                ApplyTicker(s, marketEvent);
                break;
            case MarketEventKind.ExecutionReport:
                break; // our own reports coming back through the ring
            case MarketEventKind.DepthLevel or MarketEventKind.SnapshotLevel or MarketEventKind.BookTicker:
                _engine.AdvanceTo(marketEvent.EventTimeMs); // a symbol outside the venue, or a ticker of a depth symbol
                break;
            default:
                _engine.OnMarketEvent(marketEvent);
                break;
        }
    }

    /// <inheritdoc/>
    public void Poll(long nowNs, RateBudget budget)
    {
    }

    /// <inheritdoc/>
    public void Stop(TimeSpan timeout)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <inheritdoc/>
    void IExecutionReportSink.OnExecutionReport(in ExecutionReport report)
    {
        var r = report;
        r.Origin = ExecutionReportOrigin.Venue;
        if (r.TransactionTimeMs == 0)
        {
            r.TransactionTimeMs = _engine.TimeMs;
        }

        _sink!.OnExecutionReport(r);
    }

    private void ApplyTicker(int s, in MarketEvent e)
    {
        var t = e.EventTimeMs;
        if (_tickerBid[s] != e.BidPrice && _tickerBid[s] > 0)
        {
            _engine.ApplyLevel(s, BookSide.Bid, _tickerBid[s], 0, t);
        }

        if (_tickerAsk[s] != e.AskPrice && _tickerAsk[s] > 0)
        {
            _engine.ApplyLevel(s, BookSide.Ask, _tickerAsk[s], 0, t);
        }

        if (e.BidPrice > 0)
        {
            _engine.ApplyLevel(s, BookSide.Bid, e.BidPrice, e.BidQuantity, t);
        }

        if (e.AskPrice > 0)
        {
            _engine.ApplyLevel(s, BookSide.Ask, e.AskPrice, e.AskQuantity, t);
        }

        _tickerBid[s] = e.BidPrice;
        _tickerAsk[s] = e.AskPrice;
    }

    private void ClearTickerLevels(int s, long eventTimeMs)
    {
        if (_tickerBid[s] > 0)
        {
            _engine.ApplyLevel(s, BookSide.Bid, _tickerBid[s], 0, eventTimeMs);
        }

        if (_tickerAsk[s] > 0)
        {
            _engine.ApplyLevel(s, BookSide.Ask, _tickerAsk[s], 0, eventTimeMs);
        }

        _tickerBid[s] = 0;
        _tickerAsk[s] = 0;
    }
}
