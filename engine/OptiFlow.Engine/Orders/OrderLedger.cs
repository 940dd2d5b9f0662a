using System.Runtime.CompilerServices;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Strategies;

namespace OptiFlow.Engine.Orders;

/// <summary>
/// The core's book of its own orders and positions: every order command it emitted (<see cref="OnCommand"/>), every
/// execution report it received (<see cref="OnReport"/>), open orders by client order id, fills, positions per symbol and
/// per (strategy, symbol), report counts by status, reason and risk reason, and anomalies.
/// </summary>
/// <remarks>
/// <para><b>Owner:</b> one <see cref="Core.MarketCore"/> (<see cref="Core.MarketCore.Orders"/>); it feeds the ledger
/// before it calls the evaluators, so a strategy reading the ledger in <see cref="Evaluators.Evaluator.OnExecutionReport"/>
/// sees the report applied. Strategies are identified by the evaluator id in the client order id
/// (<see cref="ClientOrderIds.Parse"/>).</para>
/// <para><b>Tracking</b> (<see cref="OrderLedgerOptions.Trading"/>): when trading, each New is tracked from emission
/// (<see cref="LedgerOrderState.PendingNew"/>: sent, not yet acknowledged) to its closing report; see
/// <see cref="LedgerOrderState"/>. When not trading, commands are only counted. Reports are applied either way: fills move
/// the positions even for orders the ledger does not know (counted <see cref="LedgerAnomaly.UnknownOrder"/>).</para>
/// <para><b>Capacity:</b> an open-addressing table (linear probing, backward-shift deletion) of
/// <see cref="OrderLedgerOptions.OrderCapacity"/> orders at ≤ 50 % load; a closed order stays until its slot is needed,
/// oldest closed first; when every tracked order is open a New is not tracked (<see cref="LedgerAnomaly.LedgerFull"/>).
/// Per-(strategy, symbol) positions use a second such table (<see cref="OrderLedgerOptions.PositionCapacity"/>,
/// <see cref="LedgerAnomaly.PositionTableFull"/>). Nothing grows.</para>
/// <para><b>Anomalies</b> are counted, never thrown (<see cref="LedgerAnomaly"/>). <b>Thread-safety:</b> core thread only;
/// read counters and <see cref="Snapshot"/> after the core stopped. <b>Allocation:</b> every table is allocated by the
/// constructor; <see cref="OnCommand"/> and <see cref="OnReport"/> allocate nothing and never throw;
/// <see cref="Snapshot"/> allocates (cold path).</para>
/// </remarks>
public sealed partial class OrderLedger
{
    private const int EnumCounters = 256; // one per value of a byte enum

    private readonly int _strategyCount;
    private readonly int _symbolCapacity;
    private readonly int _orderCapacity;
    private readonly OrderEntry[] _orders;
    private readonly int _orderShift;
    private readonly long[] _closedIds;
    private int _closedHead;
    private int _closedCount;
    private int _tracked;

    private readonly PositionAccumulator[] _symbolPositions;
    private readonly PositionEntry[] _strategyPositions;
    private readonly int _positionShift;
    private readonly int _positionCapacity;
    private int _positionPairs;

    // Per strategy, plus one bucket at [_strategyCount] for ids that name no evaluator of the core.
    private readonly int[] _openOrders;
    private readonly int[] _pendingNew;
    private readonly long[] _openNotional;
    private readonly long[] _fillsByStrategy;
    private readonly long[] _newsByStrategy;

    private readonly long[] _commandsByAction = new long[EnumCounters];
    private readonly long[] _reportsByStatus = new long[EnumCounters];
    private readonly long[] _reportsByReason = new long[EnumCounters];
    private readonly long[] _riskRejects = new long[EnumCounters];
    private readonly long[] _reportsByOrigin = new long[EnumCounters];
    private readonly long[] _anomalies = new long[EnumCounters];
    private long _reports;
    private long _fills;
    private long _cancelRejects;

    /// <summary>Creates a ledger; every table is allocated here.</summary>
    /// <param name="options">Capacities and the trading flag (validated here).</param>
    /// <param name="symbolCapacity">Largest symbol id + 1 (the core's symbol table capacity).</param>
    /// <param name="strategyCount">Evaluators of the core (ids 0 … count − 1); a report naming another id is unattributed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is out of range, or <paramref name="strategyCount"/> is negative.</exception>
    public OrderLedger(OrderLedgerOptions options, int symbolCapacity, int strategyCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(strategyCount);
        Trading = options.Trading;
        _symbolCapacity = symbolCapacity;
        _strategyCount = strategyCount;

        // Not trading: nothing is tracked, so the order table is not worth its memory.
        _orderCapacity = Trading ? options.OrderCapacity : 0;
        var orderSlots = TableSize(Math.Max(1, _orderCapacity));
        _orders = new OrderEntry[orderSlots];
        _orderShift = 64 - System.Numerics.BitOperations.Log2((uint)orderSlots);
        _closedIds = new long[Math.Max(1, _orderCapacity)];

        _symbolPositions = new PositionAccumulator[symbolCapacity];
        _positionCapacity = options.PositionCapacity;
        var positionSlots = TableSize(_positionCapacity);
        _strategyPositions = new PositionEntry[positionSlots];
        _positionShift = 64 - System.Numerics.BitOperations.Log2((uint)positionSlots);

        _openOrders = new int[strategyCount + 1];
        _pendingNew = new int[strategyCount + 1];
        _openNotional = new long[strategyCount + 1];
        _fillsByStrategy = new long[strategyCount + 1];
        _newsByStrategy = new long[strategyCount + 1];
    }

    /// <summary>Whether the session trades (<see cref="OrderLedgerOptions.Trading"/>): orders are tracked and closed by reports.</summary>
    public bool Trading { get; }

    /// <summary>Evaluators the ledger attributes orders to (ids below it).</summary>
    public int StrategyCount => _strategyCount;

    /// <summary>Orders tracked now, open and closed (at most <see cref="OrderLedgerOptions.OrderCapacity"/>).</summary>
    public int TrackedOrders => _tracked;

    /// <summary>Commands emitted of one action.</summary>
    /// <param name="action">New, Cancel or CancelAll.</param>
    /// <returns>The count.</returns>
    public long CommandsSent(OrderAction action) => _commandsByAction[(byte)action];

    /// <summary>Execution reports received.</summary>
    public long Reports => _reports;

    /// <summary>Fill reports applied to the positions (<see cref="LedgerAnomaly.CumulativeBackwards"/> ones are not).</summary>
    public long Fills => _fills;

    /// <summary>Rejected Cancel / CancelAll commands (a REJECTED report whose command id is not the order's own): the order, if
    /// tracked, stays as it was, its <see cref="LedgerOrder.CancelPending"/> cleared.</summary>
    public long CancelRejects => _cancelRejects;

    /// <summary>Reports received with one status (Binance <c>X</c>).</summary>
    /// <param name="status">The status.</param>
    /// <returns>The count.</returns>
    public long ReportsOf(OrderStatus status) => _reportsByStatus[(byte)status];

    /// <summary>Reports received with one reason (reject or expiry reason; <see cref="ExecutionReason.None"/> for the rest).</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count.</returns>
    public long ReportsOf(ExecutionReason reason) => _reportsByReason[(byte)reason];

    /// <summary>Reports received from one origin (gateway, venue, reconciliation).</summary>
    /// <param name="origin">The origin.</param>
    /// <returns>The count.</returns>
    public long ReportsOf(ExecutionReportOrigin origin) => _reportsByOrigin[(byte)origin];

    /// <summary><see cref="ExecutionReason.RiskRejected"/> reports of one risk rule.</summary>
    /// <param name="reason">The rule.</param>
    /// <returns>The count.</returns>
    public long RiskRejects(RiskReason reason) => _riskRejects[(byte)reason];

    /// <summary>Anomalies of one kind.</summary>
    /// <param name="anomaly">The kind.</param>
    /// <returns>The count.</returns>
    public long AnomalyCount(LedgerAnomaly anomaly) => _anomalies[(byte)anomaly];

    /// <summary>Open orders of a strategy (pending new, new, partially filled). 0 when not trading (nothing is tracked).</summary>
    /// <param name="strategyId">Evaluator id; any other value reads the unattributed bucket.</param>
    /// <returns>The count.</returns>
    public int OpenOrders(int strategyId) => _openOrders[Bucket(strategyId)];

    /// <summary>Open orders sent and not yet acknowledged (<see cref="LedgerOrderState.PendingNew"/>) of a strategy.</summary>
    /// <param name="strategyId">Evaluator id.</param>
    /// <returns>The count.</returns>
    public int PendingNewOrders(int strategyId) => _pendingNew[Bucket(strategyId)];

    /// <summary>Σ price × remaining quantity over a strategy's open orders, 10⁻⁸ quote units (each order rounded up; market
    /// orders count 0: they have no price). Quote assets are mixed when a strategy trades several.</summary>
    /// <param name="strategyId">Evaluator id.</param>
    /// <returns>The notional.</returns>
    public long OpenNotional(int strategyId) => _openNotional[Bucket(strategyId)];

    /// <summary>Fills applied of a strategy's orders.</summary>
    /// <param name="strategyId">Evaluator id.</param>
    /// <returns>The count.</returns>
    public long FillsOf(int strategyId) => _fillsByStrategy[Bucket(strategyId)];

    /// <summary>Open orders over every strategy.</summary>
    public int TotalOpenOrders
    {
        get
        {
            var total = 0;
            foreach (var open in _openOrders)
            {
                total += open;
            }

            return total;
        }
    }

    /// <summary>The ledger's copy of one tracked order (open, or closed and not yet evicted).</summary>
    /// <param name="clientOrderId">Its client order id.</param>
    /// <param name="order">The order; default when not tracked.</param>
    /// <returns>Whether it is tracked.</returns>
    /// <remarks>Allocation-free.</remarks>
    public bool TryGetOrder(long clientOrderId, out LedgerOrder order)
    {
        var index = Find(clientOrderId);
        if (index < 0)
        {
            order = default;
            return false;
        }

        order = _orders[index].ToLedgerOrder() with { StrategyId = StrategyIdOf(_orders[index].Bucket) };
        return true;
    }

    /// <summary>The position of a symbol over all strategies, without a mark (<see cref="LedgerPosition.MarkPrice"/> 0).</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The position (all zero when out of range or never filled).</returns>
    public LedgerPosition PositionOf(int symbolId) =>
        (uint)symbolId < (uint)_symbolCapacity ? _symbolPositions[symbolId].ToPosition(symbolId, LedgerPosition.AllStrategies, 0) : new LedgerPosition(symbolId, LedgerPosition.AllStrategies, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The position of one strategy on one symbol, without a mark.</summary>
    /// <param name="strategyId">Evaluator id, or <see cref="LedgerPosition.Unattributed"/>.</param>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The position (all zero when it never filled).</returns>
    public LedgerPosition PositionOf(int strategyId, int symbolId)
    {
        var bucket = strategyId == LedgerPosition.Unattributed ? _strategyCount : Bucket(strategyId);
        var index = FindPosition(PositionKey(bucket, symbolId));
        return index < 0
            ? new LedgerPosition(symbolId, strategyId, 0, 0, 0, 0, 0, 0, 0, 0)
            : _strategyPositions[index].Position.ToPosition(symbolId, StrategyIdOf(bucket), 0);
    }

    /// <summary>Records one command the core emitted (called by <see cref="Evaluators.EvaluatorContext.EmitOrder"/>).</summary>
    /// <param name="command">The command.</param>
    /// <param name="strategyId">The emitting evaluator's id.</param>
    /// <remarks>New: tracked as <see cref="LedgerOrderState.PendingNew"/> (trading only). Cancel: the named open order gets
    /// <see cref="LedgerOrder.CancelPending"/> (else <see cref="LedgerAnomaly.CancelOfUnknownOrder"/>). CancelAll: every open
    /// order of the symbol gets it (a scan of the table: rare). Allocation-free; never throws.</remarks>
    public void OnCommand(in OrderCommand command, int strategyId)
    {
        _commandsByAction[(byte)command.Action]++;
        if (!Trading)
        {
            if (command.Action == OrderAction.New)
            {
                _newsByStrategy[Bucket(strategyId)]++;
            }

            return;
        }

        switch (command.Action)
        {
            case OrderAction.New:
                _newsByStrategy[Bucket(strategyId)]++;
                Track(in command, strategyId);
                break;
            case OrderAction.Cancel:
                var index = Find(command.OriginalClientOrderId);
                if (index < 0 || !_orders[index].IsOpen)
                {
                    _anomalies[(byte)LedgerAnomaly.CancelOfUnknownOrder]++;
                    break;
                }

                _orders[index].CancelPending = true;
                break;
            case OrderAction.CancelAll:
                for (var i = 0; i < _orders.Length; i++)
                {
                    ref var entry = ref _orders[i];
                    if (entry.ClientOrderId != 0 && entry.SymbolId == command.SymbolId && entry.IsOpen)
                    {
                        entry.CancelPending = true;
                    }
                }

                break;
            default:
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bucket(int strategyId) => (uint)strategyId < (uint)_strategyCount ? strategyId : _strategyCount;

    private int StrategyIdOf(int bucket) => bucket == _strategyCount ? LedgerPosition.Unattributed : bucket;

    private static int TableSize(int capacity) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity * 2));

    /// <summary>price × quantity rounded up, 10⁻⁸ quote units (never below 0).</summary>
    private static long NotionalCeiling(long price, long quantity) =>
        price <= 0 || quantity <= 0 ? 0 : (long)MatchingMath.CeilingDivide((Int128)price * quantity, Model.FixedPoint.Scale);
}
