namespace OptiFlow.Engine.Matching;

/// <summary>
/// Why a command was rejected or an order expired: the reject reason of a <see cref="OrderStatus.Rejected"/> report and
/// the expiry reason of an <see cref="OrderStatus.Expired"/> one (Binance spot <c>r</c> and <c>eR</c>, binance.md §7.1;
/// error codes in §8.1).
/// </summary>
public enum ExecutionReason : byte
{
    /// <summary>No reason: NEW, fills and cancels.</summary>
    None = 0,

    /// <summary>The command is not well formed (<see cref="Orders.OrderCommand.Validate"/> failed).</summary>
    InvalidCommand = 1,

    /// <summary>The symbol id has no book in this engine (Binance <c>-1121 BAD_SYMBOL</c>).</summary>
    UnknownSymbol = 2,

    /// <summary>An open order already has this client order id (spot "Duplicate order sent.", futures <c>-4116</c>; binance.md §8.2).</summary>
    DuplicateClientOrderId = 3,

    /// <summary>A cancel named no open order: never placed, already filled, cancelled or expired (Binance <c>-2011</c> "Unknown order sent."; binance.md §8.1).</summary>
    UnknownOrder = 4,

    /// <summary>Spot <c>LIMIT_MAKER</c> would take liquidity: rejected (Binance <c>-2010</c> "Order would immediately match and take.", reject reason <c>WOULD_MATCH_IMMEDIATELY</c>; binance.md §7.1, §8.1).</summary>
    WouldMatchImmediately = 5,

    /// <summary>Futures <c>GTX</c> would take liquidity: expired without fills (Binance <c>-5022 GTX_ORDER_REJECT</c>; with <c>RESULT</c> a GTX order returns <c>EXPIRED</c>; binance.md §5.4, §8.1).</summary>
    PostOnlyWouldTake = 6,

    /// <summary>The unfilled part of an IOC order expired (spot <c>UNFILLED_IOC_QUANTITY_EXPIRED</c>; binance.md §7.1).</summary>
    UnfilledIocQuantityExpired = 7,

    /// <summary>A FOK order could not fill completely at once and expired without fills (spot <c>UNFILLED_FOK_ORDER_EXPIRED</c>, futures <c>-5021</c>; binance.md §7.1, §8.1).</summary>
    UnfilledFokOrderExpired = 8,

    /// <summary>A MARKET order ran out of book; its rest expired (spot <c>INSUFFICIENT_LIQUIDITY</c>; binance.md §7.1).</summary>
    InsufficientLiquidity = 9,

    /// <summary>The engine's open-order capacity is full (compare Binance <c>MAX_NUM_ORDERS</c>, binance.md §4.3).</summary>
    TooManyOpenOrders = 10,

    /// <summary>The order-entry latency queue is full; the command was not queued.</summary>
    PendingQueueFull = 11,

    /// <summary>The order gateway's pre-trade risk refused the command before it left the process; <see cref="ExecutionReport.RiskReason"/> says which rule.</summary>
    RiskRejected = 12,

    /// <summary>The venue refused the request (HTTP-style status 400/401/403 with a Binance error code in <see cref="ExecutionReport.VenueErrorCode"/>; binance.md §5.2, §8.1).</summary>
    VenueRejected = 13,

    /// <summary>The venue refused the request for its rate limits (status 429, or 418 while banned; binance.md §5.2, §6); nothing was placed.</summary>
    RateLimited = 14,

    /// <summary>The gateway had no logged-on venue session when the command arrived; nothing was sent (never queued for a blind resend).</summary>
    VenueUnavailable = 15,

    /// <summary>
    /// The outcome was unknown (timeout, disconnect mid-request, 5xx / <c>-1007</c>; binance.md §8.2) and the
    /// reconciliation (<c>order.status</c> by client order id) proved the venue never had the order (<c>-2013</c>).
    /// </summary>
    NotFoundAfterUnknownOutcome = 16,
}
