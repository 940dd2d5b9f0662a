using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Matching;

/// <summary>
/// One execution report of the <see cref="MatchingEngine"/>: the engine-neutral shape of Binance spot
/// <c>executionReport</c> and USDⓈ-M <c>ORDER_TRADE_UPDATE</c> (binance.md §7). Fixed size; prices and quantities are
/// 10⁻⁸ units, money in 10⁻⁸ quote units.
/// </summary>
/// <remarks>A plain data struct: not thread-safe by itself; allocation-free.</remarks>
public struct ExecutionReport
{
    /// <summary>Client order id of the order the report is about (Binance <c>c</c>); for a rejected cancel, the id it named.</summary>
    public long ClientOrderId;

    /// <summary>Client order id of the command that caused the report: the order's own id, or a cancel's id (Binance <c>C</c> relation).</summary>
    public long CommandClientOrderId;

    /// <summary>Inbound ring sequence of the market event that caused the command (copied from <see cref="OrderCommand.CausingSequence"/>).</summary>
    public long CausingSequence;

    /// <summary>The order's limit price, 10⁻⁸ units; 0 for market orders.</summary>
    public long Price;

    /// <summary>The order's quantity, 10⁻⁸ units.</summary>
    public long Quantity;

    /// <summary>Price of this fill (Binance <c>L</c>), 10⁻⁸ units; 0 when the report is not a fill.</summary>
    public long LastPrice;

    /// <summary>Quantity of this fill (Binance <c>l</c>), 10⁻⁸ units; 0 when the report is not a fill.</summary>
    public long LastQuantity;

    /// <summary>Cumulative filled quantity (Binance <c>z</c>), 10⁻⁸ units.</summary>
    public long CumulativeQuantity;

    /// <summary>Quantity not filled: <see cref="Quantity"/> − <see cref="CumulativeQuantity"/>, 10⁻⁸ units (what a cancel or an expiry removed).</summary>
    public long RemainingQuantity;

    /// <summary>Commission of this fill (Binance <c>n</c>), 10⁻⁸ quote units, always charged in the quote asset here; negative for a rebate.</summary>
    public long Commission;

    /// <summary>Engine-assigned trade id of this fill (Binance <c>t</c>), from 1; -1 when the report is not a fill.</summary>
    public long TradeId;

    /// <summary>Event time that caused the report, ms since the Unix epoch: the market event's for fills, the command's (plus the entry latency) otherwise.</summary>
    public long EventTimeMs;

    /// <summary>The venue's transaction time (Binance <c>T</c>), ms since the Unix epoch; the <see cref="MatchingEngine"/>'s clock for its own reports; 0 when the venue sent none.</summary>
    public long TransactionTimeMs;

    /// <summary>Binance error code of a <see cref="ExecutionReason.VenueRejected"/> or <see cref="ExecutionReason.RateLimited"/> report (e.g. -2010, -1003; binance.md §8.1), else 0.</summary>
    public int VenueErrorCode;

    /// <summary>Interned symbol id.</summary>
    public int SymbolId;

    /// <summary>The order's side; <see cref="OrderSide.None"/> for a rejected cancel-all.</summary>
    public OrderSide Side;

    /// <summary>The order's type.</summary>
    public OrderType Type;

    /// <summary>The order's time in force.</summary>
    public TimeInForce TimeInForce;

    /// <summary>The order's status after this report (Binance <c>X</c>).</summary>
    public OrderStatus Status;

    /// <summary>Reject or expiry reason; <see cref="ExecutionReason.None"/> otherwise.</summary>
    public ExecutionReason Reason;

    /// <summary>Which pre-trade risk rule refused the command of a <see cref="ExecutionReason.RiskRejected"/> report; <see cref="Risk.RiskReason.Accepted"/> otherwise.</summary>
    public Risk.RiskReason RiskReason;

    /// <summary>Who produced the report: the gateway (risk, kill switch), the venue (response or user data), or a reconciliation after an unknown outcome.</summary>
    public ExecutionReportOrigin Origin;

    /// <summary>Whether this fill was on the maker side (Binance <c>m</c>); false when not a fill.</summary>
    public bool IsMaker;

    /// <summary>Whether the report is a fill (<see cref="LastQuantity"/> &gt; 0).</summary>
    public readonly bool IsFill => LastQuantity > 0;
}
