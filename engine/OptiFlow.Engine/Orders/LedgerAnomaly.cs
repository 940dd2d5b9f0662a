namespace OptiFlow.Engine.Orders;

/// <summary>
/// Something the <see cref="OrderLedger"/> saw that a consistent order stream never shows. Counted per value
/// (<see cref="OrderLedger.AnomalyCount"/>), never thrown: the core goes on, and the run report says what happened.
/// </summary>
/// <remarks>Values are stable (they index the counters).</remarks>
public enum LedgerAnomaly : byte
{
    /// <summary>A report names a client order id the ledger does not track: never emitted by this core, evicted after it
    /// closed (<see cref="OrderLedgerOptions.OrderCapacity"/>), or not tracked because the ledger was full or not trading.
    /// Its fill, if any, still moves the positions.</summary>
    UnknownOrder = 0,

    /// <summary>A fill report reached an order already closed (filled, cancelled, expired or rejected). The fill still
    /// moves the positions (the venue says it happened); the order stays closed.</summary>
    FillAfterClose = 1,

    /// <summary>A report that is not a fill reached an order already closed (e.g. a second CANCELED). Ignored.</summary>
    ReportAfterClose = 2,

    /// <summary>A report's cumulative quantity (<c>z</c>) is below the order's known one, or a fill report does not raise it:
    /// a stale or repeated report. The order keeps its cumulative quantity and the fill is not applied to the positions.</summary>
    CumulativeBackwards = 3,

    /// <summary>A report's cumulative quantity exceeds the order's quantity. Applied (positions follow the venue) and counted.</summary>
    Overfill = 4,

    /// <summary>A New was emitted while <see cref="OrderLedgerOptions.OrderCapacity"/> orders were tracked and none of them
    /// closed (nothing to evict): the order is not tracked; its reports will count as <see cref="UnknownOrder"/>.</summary>
    LedgerFull = 5,

    /// <summary>A fill's (strategy, symbol) pair found no room in the per-strategy position table
    /// (<see cref="OrderLedgerOptions.PositionCapacity"/>): the per-symbol position has the fill, the per-strategy one does not.</summary>
    PositionTableFull = 6,

    /// <summary>A New was emitted with a client order id the ledger already tracks: the second is not tracked.</summary>
    DuplicateClientOrderId = 7,

    /// <summary>A Cancel was emitted for an order the ledger does not hold open (unknown, or already closed).</summary>
    CancelOfUnknownOrder = 8,

    /// <summary>A report carries a status outside <see cref="Matching.OrderStatus"/> New…Rejected, or a symbol id outside the
    /// core's table: counted, otherwise ignored.</summary>
    InvalidReport = 9,
}
