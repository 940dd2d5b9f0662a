namespace OptiFlow.Engine.Orders;

/// <summary>How the core's <see cref="OrderLedger"/> is sized, and whether the session trades.</summary>
/// <remarks>Immutable: thread-safe. Read once, when the core is built.</remarks>
public sealed record OrderLedgerOptions
{
    /// <summary>
    /// Whether an order gateway consumes the core's order commands and publishes execution reports back into the inbound
    /// ring (paper, simulator or Binance venue). Default false: nobody will ever answer an order.
    /// </summary>
    /// <remarks>
    /// <para><b>The rule.</b> Trading: the ledger tracks every New the core emits, and strategies count an order open from its
    /// New until the report that closes it (FILLED, CANCELED, EXPIRED, REJECTED) — their limits read the ledger
    /// (<see cref="OrderLedger.OpenOrders"/>, <see cref="OrderLedger.OpenNotional"/>). Not trading: no report will ever
    /// close an order, so the ledger only counts the commands sent (tracking them would fill it with orders open forever),
    /// and the strategies keep their own heuristics (<see cref="Strategies.ObiMaker"/>: open until it cancels;
    /// <see cref="Strategies.TriangleTaker"/>: in flight for its cool-down).</para>
    /// <para>A strategy's decisions depend on this value, so a replay must use the value the session ran with (the host
    /// records it in the session header).</para>
    /// </remarks>
    public bool Trading { get; init; }

    /// <summary>Orders tracked at once, open and recently closed (default 4,096). A closed order stays until its slot is
    /// needed (oldest closed first), so a late report about it is recognised (<see cref="LedgerAnomaly.FillAfterClose"/>).
    /// When every tracked order is open, a new one is not tracked (<see cref="LedgerAnomaly.LedgerFull"/>).</summary>
    public int OrderCapacity { get; init; } = 4_096;

    /// <summary>(strategy, symbol) pairs with a position (default 1,024); beyond it, <see cref="LedgerAnomaly.PositionTableFull"/>.</summary>
    public int PositionCapacity { get; init; } = 1_024;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is not positive or above 2²⁸.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OrderCapacity, nameof(OrderCapacity));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PositionCapacity, nameof(PositionCapacity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OrderCapacity, 1 << 28, nameof(OrderCapacity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PositionCapacity, 1 << 28, nameof(PositionCapacity));
    }
}
