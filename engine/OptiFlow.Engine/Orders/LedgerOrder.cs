namespace OptiFlow.Engine.Orders;

/// <summary>One order as the <see cref="OrderLedger"/> knows it. Prices and quantities in 10⁻⁸ units.</summary>
/// <remarks>An immutable copy (<see cref="OrderLedger.TryGetOrder"/>): allocation-free, safe to keep.</remarks>
/// <param name="ClientOrderId">Its client order id (<see cref="Strategies.ClientOrderIds"/>).</param>
/// <param name="SymbolId">Interned symbol id.</param>
/// <param name="StrategyId">The evaluator id that emitted it (index in the core's evaluator set), or
/// <see cref="LedgerPosition.Unattributed"/> when that id is not one of the core's evaluators.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Order type.</param>
/// <param name="TimeInForce">Time in force.</param>
/// <param name="Price">Limit price, 10⁻⁸ units (0 for a market order).</param>
/// <param name="Quantity">Order quantity, 10⁻⁸ units.</param>
/// <param name="CumulativeQuantity">Filled so far (Binance <c>z</c>), 10⁻⁸ units.</param>
/// <param name="State">Where it stands.</param>
/// <param name="CancelPending">A Cancel (or CancelAll of its symbol) was emitted and no closing report has arrived.</param>
/// <param name="CausingSequence">Inbound sequence of the event that caused its New.</param>
/// <param name="LastReportSequence">Inbound sequence of the last report about it; -1 before any.</param>
public readonly record struct LedgerOrder(
    long ClientOrderId,
    int SymbolId,
    int StrategyId,
    OrderSide Side,
    OrderType Type,
    TimeInForce TimeInForce,
    long Price,
    long Quantity,
    long CumulativeQuantity,
    LedgerOrderState State,
    bool CancelPending,
    long CausingSequence,
    long LastReportSequence)
{
    /// <summary>Whether it is open: <see cref="LedgerOrderState.PendingNew"/>, <see cref="LedgerOrderState.New"/> or <see cref="LedgerOrderState.PartiallyFilled"/>.</summary>
    public bool IsOpen => State is LedgerOrderState.PendingNew or LedgerOrderState.New or LedgerOrderState.PartiallyFilled;

    /// <summary>Quantity not filled, 10⁻⁸ units.</summary>
    public long RemainingQuantity => Quantity - CumulativeQuantity;
}
