using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// Order-flow imbalance (<see cref="OrderFlowImbalance"/>, Cont, Kukanov and Stoikov 2014) from best bid/ask changes and
/// trade-flow imbalance (<see cref="TradeFlowImbalance"/>) over a window of trades, per symbol, as an evaluator:
/// strategies called after it on the same event read <see cref="Ofi"/> and <see cref="Tfi"/>; every
/// <c>emitEvery</c>-th update of a symbol it also emits a record (<see cref="OrderFlowImbalanceBody"/>,
/// <see cref="TradeFlowImbalanceBody"/>), journaled and replayed.
/// </summary>
/// <remarks>
/// <para><b>Best-quote source.</b> bookTicker events when <c>fromBookTicker</c> (the venue's own top of book), else the
/// book's top after each applied depth message — never both, which would count one change twice; a book that resynced
/// from a new snapshot starts its OFI afresh (<see cref="OrderFlowImbalance.Reset"/>). A trade or aggTrade
/// feeds TFI (<c>m</c> true = sell-initiated). futures trades flagged
/// <see cref="MarketEventFlags.NonMarketTrade"/> (insurance fund, ADL) are skipped: they are not order flow.</para>
/// <para>Core thread only; allocation-free per event (state arrays sized when attached); deterministic.</para>
/// </remarks>
public sealed class FlowImbalanceEvaluator : Evaluator
{
    private readonly int _ofiWindow;
    private readonly int _tfiWindow;
    private readonly int _emitEvery;
    private readonly bool _fromBookTicker;
    private OrderFlowImbalance? _ofi;
    private TradeFlowImbalance? _tfi;
    private long[] _ofiUpdates = [];
    private long[] _trades = [];
    private long[] _snapshotsSeen = [];

    /// <summary>Creates the evaluator.</summary>
    /// <param name="ofiWindow">Best-quote updates per OFI window, at least 1.</param>
    /// <param name="tfiWindow">Trades per TFI window, at least 1.</param>
    /// <param name="emitEvery">Emit a record every this many updates (or trades) of a symbol; 0 for never.</param>
    /// <param name="fromBookTicker">Best quotes from bookTicker (true) or from applied depth messages (false).</param>
    /// <exception cref="ArgumentOutOfRangeException">A window below 1 or a negative <paramref name="emitEvery"/>.</exception>
    public FlowImbalanceEvaluator(int ofiWindow, int tfiWindow, int emitEvery, bool fromBookTicker)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ofiWindow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tfiWindow);
        ArgumentOutOfRangeException.ThrowIfNegative(emitEvery);
        _ofiWindow = ofiWindow;
        _tfiWindow = tfiWindow;
        _emitEvery = emitEvery;
        _fromBookTicker = fromBookTicker;
    }

    /// <summary>The factory key: <c>flow-imbalance</c>.</summary>
    public const string Key = "flow-imbalance";

    /// <inheritdoc/>
    public override string Name => Key;

    /// <inheritdoc/>
    public override EvaluatorInputs Inputs => EvaluatorInputs.Trade | (_fromBookTicker ? EvaluatorInputs.BookTicker : EvaluatorInputs.DepthApplied);

    /// <summary>A symbol's OFI over its window, 10⁻⁸ base units (0 before two updates).</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The window sum.</returns>
    public Int128 Ofi(int symbolId) => _ofi?.Value(symbolId) ?? 0;

    /// <summary>A symbol's TFI over its window, in [−1, 1]; NaN before its first trade.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The imbalance.</returns>
    public double Tfi(int symbolId) => _tfi?.Value(symbolId) ?? double.NaN;

    /// <inheritdoc/>
    public override void OnBookTicker(ref readonly MarketEvent e, long sequence) =>
        TopOfBook(in e, sequence, e.SymbolId, e.BidPrice, e.BidQuantity, e.AskPrice, e.AskQuantity);

    /// <inheritdoc/>
    public override void OnDepthApplied(ref readonly MarketEvent last, long sequence, SymbolState state, ref readonly SignalEvent signal)
    {
        // A resynced book is a new continuous book: its first top is not a change from the top before the gap.
        if (state.Snapshots != _snapshotsSeen[state.SymbolId])
        {
            _snapshotsSeen[state.SymbolId] = state.Snapshots;
            _ofi!.Reset(state.SymbolId);
        }

        var book = state.Book;
        var bidQuantity = book.Bids.Count > 0 ? book.Bids.QuantityAt(0) : 0;
        var askQuantity = book.Asks.Count > 0 ? book.Asks.QuantityAt(0) : 0;
        TopOfBook(in last, sequence, state.SymbolId, signal.BestBid, bidQuantity, signal.BestAsk, askQuantity);
    }

    /// <inheritdoc/>
    public override void OnTrade(ref readonly MarketEvent e, long sequence)
    {
        if ((e.Flags & MarketEventFlags.NonMarketTrade) != 0)
        {
            return;
        }

        var symbolId = e.SymbolId;
        var tfi = _tfi!.OnTrade(symbolId, e.Quantity, (e.Flags & MarketEventFlags.BuyerIsMaker) != 0);
        var trades = ++_trades[symbolId];
        if (_emitEvery > 0 && trades % _emitEvery == 0)
        {
            var body = new TradeFlowImbalanceBody
            {
                Tfi = tfi,
                BuyVolume = Saturate(_tfi.BuyVolume(symbolId)),
                SellVolume = Saturate(_tfi.SellVolume(symbolId)),
                Trades = trades,
                Window = _tfiWindow,
            };
            Context!.Emit(EvaluatorRecordType.TradeFlowImbalance, in e, sequence, in body);
        }
    }

    /// <inheritdoc/>
    protected override void OnAttach(EvaluatorContext context)
    {
        _ofi = new OrderFlowImbalance(context.SymbolCapacity, _ofiWindow);
        _tfi = new TradeFlowImbalance(context.SymbolCapacity, _tfiWindow);
        _ofiUpdates = new long[context.SymbolCapacity];
        _trades = new long[context.SymbolCapacity];
        _snapshotsSeen = new long[context.SymbolCapacity];
    }

    private void TopOfBook(ref readonly MarketEvent cause, long sequence, int symbolId, long bid, long bidQuantity, long ask, long askQuantity)
    {
        if (!_ofi!.OnTopOfBook(symbolId, bid, bidQuantity, ask, askQuantity, out var e))
        {
            return;
        }

        var updates = ++_ofiUpdates[symbolId];
        if (_emitEvery > 0 && updates % _emitEvery == 0)
        {
            var sum = _ofi.Value(symbolId);
            var body = new OrderFlowImbalanceBody
            {
                OfiLow = (ulong)sum,
                OfiHigh = (long)(sum >> 64),
                LastEvent = Saturate(e),
                Updates = updates,
                Window = _ofiWindow,
                BestBid = bid,
                BestAsk = ask,
            };
            Context!.Emit(EvaluatorRecordType.OrderFlowImbalance, in cause, sequence, in body);
        }
    }

    private static long Saturate(Int128 value) => value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;
}
