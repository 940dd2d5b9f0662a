namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>Counters of a <see cref="BinanceOrderVenue"/>: what it sent, refused, reconciled and ignored.</summary>
/// <remarks>Diagnostics, not accounting: each counter is a plain 64-bit field written by the thread named on it (receive
/// threads: the API connection's, and for USDⓈ-M also the user-data connection's, so a counter both write may miss an
/// increment in a race) and readable from any thread (never torn on 64-bit; possibly a little stale). Allocation-free.</remarks>
public sealed class OrderVenueCounters
{
    /// <summary>Order requests written to the socket (gateway thread).</summary>
    public long Sent { get; internal set; }

    /// <summary>New commands refused because their client order id was sent before in this session (gateway thread).</summary>
    public long DuplicatesRefused { get; internal set; }

    /// <summary>Sends refused because the request table's slot was still busy (gateway thread).</summary>
    public long SlotsBusy { get; internal set; }

    /// <summary><c>order.status</c> requests sent to reconcile an unknown outcome or an open order after a reconnect (gateway thread).</summary>
    public long ReconciliationsSent { get; internal set; }

    /// <summary>Requests whose outcome became unknown: timeout, lost connection, 5xx, -1006/-1007 (gateway thread).</summary>
    public long UnknownOutcomes { get; internal set; }

    /// <summary>Responses that came after their request had timed out (receive thread; the reconciliation answers instead).</summary>
    public long LateResponses { get; internal set; }

    /// <summary>User-data events about orders this engine did not send (no prefix match; receive threads).</summary>
    public long ForeignEvents { get; internal set; }

    /// <summary>User-data reports dropped as duplicates (fill already counted, NEW already reported, after a final status).</summary>
    public long DuplicateEvents { get; internal set; }

    /// <summary>Fills whose commission asset is not the symbol's quote asset (the report's commission is then in that other asset's 10⁻⁸ units).</summary>
    public long CommissionInOtherAsset { get; internal set; }

    /// <summary>Other user-data events (balances, positions, account updates), counted and not reported.</summary>
    public long OtherEvents { get; internal set; }

    /// <summary>Frames that were not JSON objects.</summary>
    public long MalformedFrames { get; internal set; }

    /// <summary>429 and 418 responses.</summary>
    public long RateLimited { get; internal set; }

    /// <summary>serverShutdown events seen.</summary>
    public long ServerShutdowns { get; internal set; }
}
