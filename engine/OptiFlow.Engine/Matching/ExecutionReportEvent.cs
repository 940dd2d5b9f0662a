using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Matching;

/// <summary>
/// The layout of an <see cref="ExecutionReport"/> in an inbound ring slot (<see cref="MarketEventKind.ExecutionReport"/>):
/// a 128-byte overlay of <see cref="MarketEvent"/> that keeps its header (kind, flags, market, symbol id, receive and
/// publish timestamps, <c>E</c> and <c>T</c>) at the same offsets, so generic code (journal, counters, latency stamps)
/// reads an execution-report slot like any other.
/// </summary>
/// <remarks>
/// Offsets (bytes): 0 kind, 1 flags (<see cref="MarketEventFlags.MakerFill"/>), 2 side (<see cref="OrderSide"/>),
/// 3 market, 4 symbol id, 8 receive ns, 16 publish ns, 24 trade id, 32 <c>E</c> ms, 40 <c>T</c> ms, 48 client order id,
/// 56 command client order id, 64 causing sequence, 72 price, 80 quantity, 88 last price, 96 last quantity,
/// 104 cumulative quantity, 112 commission, 120 type, 121 time in force, 122 status, 123 reason, 124 risk reason,
/// 125 origin, 126 venue error code (int16). <see cref="ExecutionReport.RemainingQuantity"/> is not stored: it is
/// quantity − cumulative quantity. Bytes 24–31 are a market event's recorder timestamp: the journal stamps a report's
/// record with <c>E</c> instead. Part of the journal format (inbound records hold raw slots): never reorder.
/// <see cref="Write"/> and <see cref="Read"/> are allocation-free and never throw.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = MarketEventDescriptor.Size)]
public struct ExecutionReportEvent
{
    /// <summary>Always <see cref="MarketEventKind.ExecutionReport"/>.</summary>
    [FieldOffset(MarketEventDescriptor.KindOffset)]
    public MarketEventKind Kind;

    /// <summary><see cref="MarketEventFlags.MakerFill"/>, or none.</summary>
    [FieldOffset(MarketEventDescriptor.FlagsOffset)]
    public MarketEventFlags Flags;

    /// <summary>The order's side.</summary>
    [FieldOffset(MarketEventDescriptor.SideOffset)]
    public OrderSide Side;

    /// <summary>The venue's market.</summary>
    [FieldOffset(MarketEventDescriptor.MarketOffset)]
    public Market Market;

    /// <summary>Interned symbol id.</summary>
    [FieldOffset(MarketEventDescriptor.SymbolIdOffset)]
    public int SymbolId;

    /// <summary>Monotonic ns when the report was received (or made, for the gateway's own reports).</summary>
    [FieldOffset(MarketEventDescriptor.ReceiveTimestampOffset)]
    public long ReceiveTimestampNs;

    /// <summary>Monotonic ns when the slot was published.</summary>
    [FieldOffset(MarketEventDescriptor.PublishTimestampOffset)]
    public long PublishTimestampNs;

    /// <summary>Trade id of a fill, -1 otherwise.</summary>
    [FieldOffset(24)]
    public long TradeId;

    /// <summary>Event time <c>E</c>, ms since the Unix epoch.</summary>
    [FieldOffset(MarketEventDescriptor.EventTimeOffset)]
    public long EventTimeMs;

    /// <summary>Transaction time <c>T</c>, ms since the Unix epoch.</summary>
    [FieldOffset(MarketEventDescriptor.TransactionTimeOffset)]
    public long TransactionTimeMs;

    /// <summary>Client order id of the order.</summary>
    [FieldOffset(48)]
    public long ClientOrderId;

    /// <summary>Client order id of the command that caused the report.</summary>
    [FieldOffset(56)]
    public long CommandClientOrderId;

    /// <summary>Inbound sequence of the market event that caused the command.</summary>
    [FieldOffset(64)]
    public long CausingSequence;

    /// <summary>Limit price, 10⁻⁸ units.</summary>
    [FieldOffset(72)]
    public long Price;

    /// <summary>Order quantity, 10⁻⁸ units.</summary>
    [FieldOffset(80)]
    public long Quantity;

    /// <summary>Fill price, 10⁻⁸ units.</summary>
    [FieldOffset(88)]
    public long LastPrice;

    /// <summary>Fill quantity, 10⁻⁸ units.</summary>
    [FieldOffset(96)]
    public long LastQuantity;

    /// <summary>Cumulative filled quantity, 10⁻⁸ units.</summary>
    [FieldOffset(104)]
    public long CumulativeQuantity;

    /// <summary>Commission of the fill, 10⁻⁸ quote units.</summary>
    [FieldOffset(112)]
    public long Commission;

    /// <summary>Order type.</summary>
    [FieldOffset(120)]
    public OrderType Type;

    /// <summary>Time in force.</summary>
    [FieldOffset(121)]
    public TimeInForce TimeInForce;

    /// <summary>Order status after the report.</summary>
    [FieldOffset(122)]
    public OrderStatus Status;

    /// <summary>Reject or expiry reason.</summary>
    [FieldOffset(123)]
    public ExecutionReason Reason;

    /// <summary>The risk rule of a risk rejection.</summary>
    [FieldOffset(124)]
    public RiskReason RiskReason;

    /// <summary>Who produced the report.</summary>
    [FieldOffset(125)]
    public ExecutionReportOrigin Origin;

    /// <summary>Binance error code, or 0.</summary>
    [FieldOffset(126)]
    public short VenueErrorCode;

    /// <summary>Writes <paramref name="report"/> into an inbound slot, every byte of it (so a reused slot keeps nothing of its last event).</summary>
    /// <param name="slot">The claimed slot.</param>
    /// <param name="report">The report.</param>
    /// <param name="market">The venue's market.</param>
    /// <param name="receiveTimestampNs">Monotonic ns when the report arrived (or was made).</param>
    public static void Write(ref MarketEvent slot, in ExecutionReport report, Market market, long receiveTimestampNs)
    {
        ref var e = ref Unsafe.As<MarketEvent, ExecutionReportEvent>(ref slot);
        e = default;
        e.Kind = MarketEventKind.ExecutionReport;
        e.Flags = report.IsMaker ? MarketEventFlags.MakerFill : MarketEventFlags.None;
        e.Side = report.Side;
        e.Market = market;
        e.SymbolId = report.SymbolId;
        e.ReceiveTimestampNs = receiveTimestampNs;
        e.TradeId = report.TradeId;
        e.EventTimeMs = report.EventTimeMs;
        e.TransactionTimeMs = report.TransactionTimeMs;
        e.ClientOrderId = report.ClientOrderId;
        e.CommandClientOrderId = report.CommandClientOrderId;
        e.CausingSequence = report.CausingSequence;
        e.Price = report.Price;
        e.Quantity = report.Quantity;
        e.LastPrice = report.LastPrice;
        e.LastQuantity = report.LastQuantity;
        e.CumulativeQuantity = report.CumulativeQuantity;
        e.Commission = report.Commission;
        e.Type = report.Type;
        e.TimeInForce = report.TimeInForce;
        e.Status = report.Status;
        e.Reason = report.Reason;
        e.RiskReason = report.RiskReason;
        e.Origin = report.Origin;
        e.VenueErrorCode = (short)Math.Clamp(report.VenueErrorCode, short.MinValue, short.MaxValue);
    }

    /// <summary>Reads the report held by an <see cref="MarketEventKind.ExecutionReport"/> slot.</summary>
    /// <param name="slot">The slot; its kind is not checked.</param>
    /// <param name="report">The report, every field set.</param>
    public static void Read(in MarketEvent slot, out ExecutionReport report)
    {
        ref readonly var e = ref Unsafe.As<MarketEvent, ExecutionReportEvent>(ref Unsafe.AsRef(in slot));
        report = new ExecutionReport
        {
            ClientOrderId = e.ClientOrderId,
            CommandClientOrderId = e.CommandClientOrderId,
            CausingSequence = e.CausingSequence,
            Price = e.Price,
            Quantity = e.Quantity,
            LastPrice = e.LastPrice,
            LastQuantity = e.LastQuantity,
            CumulativeQuantity = e.CumulativeQuantity,
            RemainingQuantity = e.Quantity - e.CumulativeQuantity,
            Commission = e.Commission,
            TradeId = e.TradeId,
            EventTimeMs = e.EventTimeMs,
            TransactionTimeMs = e.TransactionTimeMs,
            VenueErrorCode = e.VenueErrorCode,
            SymbolId = e.SymbolId,
            Side = e.Side,
            Type = e.Type,
            TimeInForce = e.TimeInForce,
            Status = e.Status,
            Reason = e.Reason,
            RiskReason = e.RiskReason,
            Origin = e.Origin,
            IsMaker = (e.Flags & MarketEventFlags.MakerFill) != 0,
        };
    }
}
