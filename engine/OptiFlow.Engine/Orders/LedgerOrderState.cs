namespace OptiFlow.Engine.Orders;

/// <summary>
/// Where an order stands in the core's <see cref="OrderLedger"/>: the core's own view, built from the commands it emitted
/// and the execution reports it received (Binance <c>X</c>, binance.md §4.2 "Order status", §7).
/// </summary>
/// <remarks>
/// <code>
///   New emitted ──► PendingNew ──NEW──► New ──fill──► PartiallyFilled ──fill──► Filled
///                      │                 │                  │
///                      └─────────────────┴──────────────────┴──► Canceled / Expired / Rejected
/// </code>
/// <see cref="PendingNew"/>, <see cref="New"/> and <see cref="PartiallyFilled"/> are open: the order counts against its
/// strategy's limits. A fill report may reach a <see cref="PendingNew"/> order directly (a taker's NEW and its fill can come
/// as one report). A Cancel the core emitted does not change the state: it sets <see cref="LedgerOrder.CancelPending"/>
/// until the closing report, because the order can still fill until the venue says it is cancelled. Values are stable
/// (they index counters).
/// </remarks>
public enum LedgerOrderState : byte
{
    /// <summary>Not tracked (the ledger does not know the id).</summary>
    None = 0,

    /// <summary>Sent, not yet acknowledged: the core emitted the New and no report about it has arrived.</summary>
    PendingNew = 1,

    /// <summary>Acknowledged by a <c>NEW</c> report; nothing filled.</summary>
    New = 2,

    /// <summary>Some quantity filled, the rest still open.</summary>
    PartiallyFilled = 3,

    /// <summary>Completely filled: closed.</summary>
    Filled = 4,

    /// <summary>Cancelled (by a Cancel or CancelAll): closed.</summary>
    Canceled = 5,

    /// <summary>Ended by the venue (IOC rest, FOK, post-only that would take, MARKET without liquidity): closed.</summary>
    Expired = 6,

    /// <summary>The New was refused (gateway risk or venue): closed, nothing filled.</summary>
    Rejected = 7,
}
