namespace OptiFlow.Engine.Matching;

/// <summary>
/// Order status carried by an <see cref="ExecutionReport"/> (Binance <c>X</c>: spot <c>executionReport</c>, USDⓈ-M
/// <c>ORDER_TRADE_UPDATE</c>; binance.md §4.2 "Order status", §7).
/// </summary>
public enum OrderStatus : byte
{
    /// <summary>No status; never reported.</summary>
    None = 0,

    /// <summary><c>NEW</c>: accepted; it rests on the book or is about to match.</summary>
    New = 1,

    /// <summary><c>PARTIALLY_FILLED</c>: some quantity filled, the rest still open.</summary>
    PartiallyFilled = 2,

    /// <summary><c>FILLED</c>: completely filled; closed.</summary>
    Filled = 3,

    /// <summary><c>CANCELED</c>: cancelled by a Cancel or CancelAll command; closed.</summary>
    Canceled = 4,

    /// <summary><c>EXPIRED</c>: the venue ended it (IOC rest, FOK, MARKET without liquidity, GTX that would cross); closed.</summary>
    Expired = 5,

    /// <summary><c>REJECTED</c>: the command was refused (see <see cref="ExecutionReport.Reason"/>); nothing changed.</summary>
    Rejected = 6,
}
