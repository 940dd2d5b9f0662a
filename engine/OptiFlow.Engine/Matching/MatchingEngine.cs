using OptiFlow.Engine.Books;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Matching;

/// <summary>
/// A deterministic matching engine for one participant against a replayed market: it keeps each symbol's L2 book as
/// the market data sets it, matches the participant's <see cref="OrderCommand"/>s against it, tracks the queue position
/// of resting orders, and reports every outcome to an <see cref="IExecutionReportSink"/>. Used by the loopback simulator
/// and as an in-process paper venue on recordings.
/// </summary>
/// <remarks>
/// <para><b>Time.</b> The engine has no clock: time is the event time (ms since the Unix epoch) of the market events
/// and commands it is given. With <see cref="MatchingOptions.OrderEntryLatencyMs"/> &gt; 0 a command waits, in FIFO
/// order, until a market event (or <see cref="AdvanceTo"/>) at or after <c>EventTimeMs + latency</c>; it is then
/// processed against the book as it was before that event. Replaying the same inputs produces the same reports.</para>
/// <para><b>Matching.</b> A marketable order walks the opposite side best level first, filling at each level's price
/// up to its limit; the liquidity it takes is removed from the replayed level until the market data next sets that
/// level. A resting order's queue position is the market volume at its price when it rests; only trades at that
/// price advance it, and a level decrease only caps it at the level's new size (hftbacktest's risk-averse model).
/// It fills by the excess of a trade at its price over the volume ahead, and by a trade through its price up to the
/// trade's size. Each of the participant's orders is matched against a trade independently; the participant's orders
/// never match each other and never appear in the replayed book. Commissions are charged in the quote asset.</para>
/// <para><b>Threading and allocation.</b> Single-threaded: one thread drives every method. Allocation-free after
/// construction, except when a book side outgrows its capacity (<see cref="PriceLevels.GrowCount"/>). Capacity limits
/// (open orders, pending commands) reject instead of growing.</para>
/// </remarks>
public sealed partial class MatchingEngine
{
    private const int NoOrder = -1;

    private readonly IExecutionReportSink _sink;
    private readonly OrderBook[] _books;
    private readonly Position[] _positions;
    private readonly int[] _restingHead;
    private readonly int[] _restingTail;
    private readonly OwnOrder[] _orders;
    private readonly int[] _freeSlots;
    private readonly Dictionary<long, int> _openByClientOrderId;
    private readonly OrderCommand[] _pending;
    private readonly long[] _pendingActivationMs;
    private readonly long _makerRate;
    private readonly long _takerRate;
    private readonly long _latencyMs;
    private int _freeCount;
    private int _pendingHead;
    private int _pendingCount;
    private long _nextTradeId = 1;
    private long _timeMs;
    private ExecutionReport _report;

    /// <summary>Creates an engine with empty books and flat positions for symbols <c>0 … symbolCount − 1</c>.</summary>
    /// <param name="symbolCount">Number of interned symbols (<see cref="Model.SymbolTable"/> ids), positive.</param>
    /// <param name="sink">Receives every execution report.</param>
    /// <param name="options">Fees, latency and capacities; defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a count or capacity is not positive, or a fee is invalid (<see cref="MatchingMath.RateFromBasisPoints"/>).</exception>
    /// <exception cref="ArgumentNullException">When <paramref name="sink"/> is null.</exception>
    /// <remarks>Allocates every book, pool and map up front.</remarks>
    public MatchingEngine(int symbolCount, IExecutionReportSink sink, MatchingOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCount);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new MatchingOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxOpenOrders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPendingCommands);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BookCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(options.OrderEntryLatencyMs);

        _sink = sink;
        _makerRate = MatchingMath.RateFromBasisPoints(options.MakerFeeBasisPoints);
        _takerRate = MatchingMath.RateFromBasisPoints(options.TakerFeeBasisPoints);
        _latencyMs = options.OrderEntryLatencyMs;

        _books = new OrderBook[symbolCount];
        for (var i = 0; i < symbolCount; i++)
        {
            _books[i] = new OrderBook(i, options.BookCapacity);
        }

        _positions = new Position[symbolCount];
        _restingHead = new int[symbolCount];
        _restingTail = new int[symbolCount];
        Array.Fill(_restingHead, NoOrder);
        Array.Fill(_restingTail, NoOrder);

        _orders = new OwnOrder[options.MaxOpenOrders];
        _freeSlots = new int[options.MaxOpenOrders];
        for (var i = 0; i < _freeSlots.Length; i++)
        {
            _freeSlots[i] = _freeSlots.Length - 1 - i;
        }

        _freeCount = _freeSlots.Length;
        _openByClientOrderId = new Dictionary<long, int>(options.MaxOpenOrders);
        _pending = new OrderCommand[options.MaxPendingCommands];
        _pendingActivationMs = new long[options.MaxPendingCommands];
    }

    /// <summary>Number of symbols, ids <c>0 … SymbolCount − 1</c>.</summary>
    public int SymbolCount => _books.Length;

    /// <summary>Open (resting) orders over all symbols.</summary>
    public int OpenOrderCount => _openByClientOrderId.Count;

    /// <summary>Commands waiting out the order-entry latency.</summary>
    public int PendingCommandCount => _pendingCount;

    /// <summary>Latest event time the engine has seen, ms since the Unix epoch; 0 before any.</summary>
    public long TimeMs => _timeMs;

    /// <summary>The replayed book of a symbol (for inspection; changing it directly bypasses queue tracking).</summary>
    /// <param name="symbolId">Symbol id.</param>
    /// <returns>The book.</returns>
    /// <exception cref="IndexOutOfRangeException">When the symbol id is out of range.</exception>
    public OrderBook Book(int symbolId) => _books[symbolId];

    /// <summary>The participant's position and cash on a symbol.</summary>
    /// <param name="symbolId">Symbol id.</param>
    /// <returns>The position; allocation-free.</returns>
    /// <exception cref="IndexOutOfRangeException">When the symbol id is out of range.</exception>
    public Position GetPosition(int symbolId) => _positions[symbolId];

    /// <summary>Mark-to-market PnL of a symbol: cash + net quantity × <paramref name="markPrice"/> (<see cref="Position.MarkToMarket"/>).</summary>
    /// <param name="symbolId">Symbol id.</param>
    /// <param name="markPrice">Valuation price, 10⁻⁸ units.</param>
    /// <returns>PnL in 10⁻⁸ quote units.</returns>
    /// <exception cref="IndexOutOfRangeException">When the symbol id is out of range.</exception>
    public long MarkToMarket(int symbolId, long markPrice) => _positions[symbolId].MarkToMarket(markPrice);

    /// <summary>The market volume ahead of an open order at its price (its queue position).</summary>
    /// <param name="clientOrderId">The order's client order id.</param>
    /// <param name="volumeAhead">Volume ahead, 10⁻⁸ units; 0 when the order is not open.</param>
    /// <returns>Whether the order is open.</returns>
    public bool TryGetQueueAhead(long clientOrderId, out long volumeAhead)
    {
        if (_openByClientOrderId.TryGetValue(clientOrderId, out var slot))
        {
            volumeAhead = _orders[slot].QueueAhead;
            return true;
        }

        volumeAhead = 0;
        return false;
    }

    /// <summary>Submits one command. Without entry latency it is processed now; otherwise it is queued (see remarks of <see cref="MatchingEngine"/>).</summary>
    /// <param name="command">The command; its <see cref="OrderCommand.EventTimeMs"/> is the time it was sent.</param>
    /// <remarks>
    /// Never throws for a bad command: it is reported <see cref="OrderStatus.Rejected"/> with a reason. Reports go to the
    /// sink before the call returns. When the pending queue is full the command is rejected
    /// (<see cref="ExecutionReason.PendingQueueFull"/>). A command whose activation time is not after the latest event
    /// time already seen is processed at once. Allocation-free.
    /// </remarks>
    public void Submit(in OrderCommand command)
    {
        if (_latencyMs == 0 && _pendingCount == 0)
        {
            Process(command, command.EventTimeMs);
            return;
        }

        if (_pendingCount == _pending.Length)
        {
            Reject(command, ExecutionReason.PendingQueueFull, command.EventTimeMs);
            return;
        }

        var tail = (_pendingHead + _pendingCount) % _pending.Length;
        _pending[tail] = command;
        _pendingActivationMs[tail] = command.EventTimeMs + _latencyMs;
        _pendingCount++;
        ActivatePending();
    }

    /// <summary>Moves event time forward to <paramref name="eventTimeMs"/> and processes the commands that are due.</summary>
    /// <param name="eventTimeMs">Event time, ms since the Unix epoch; earlier than <see cref="TimeMs"/> leaves time unchanged.</param>
    /// <remarks>Market updates call this themselves; call it at the end of a recording to flush. Allocation-free.</remarks>
    public void AdvanceTo(long eventTimeMs)
    {
        if (eventTimeMs > _timeMs)
        {
            _timeMs = eventTimeMs;
        }

        ActivatePending();
    }

    private void ActivatePending()
    {
        while (_pendingCount > 0 && _pendingActivationMs[_pendingHead] <= _timeMs)
        {
            var activationMs = _pendingActivationMs[_pendingHead];
            var command = _pending[_pendingHead];
            _pendingHead = (_pendingHead + 1) % _pending.Length;
            _pendingCount--;
            Process(command, activationMs);
        }
    }
}
