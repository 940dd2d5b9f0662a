using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Matching;

/// <summary>
/// The layout of an <see cref="ExecutionReport"/> in an inbound ring slot (<see cref="MarketEventKind.ExecutionReport"/>):
/// a 128-byte overlay of <see cref="MarketEvent"/> that keeps its header at the same offsets (kind, flags, market, symbol
/// id, receive and publish timestamps, the wall-clock local timestamp the journal stamps records with, <c>E</c>), so
/// generic code (journal, counters, latency stamps, time seeks) reads an execution-report slot like any other.
/// </summary>
/// <remarks>
/// Offsets (bytes): 0 kind, 1 flags (<see cref="MarketEventFlags.MakerFill"/>), 2 side (<see cref="OrderSide"/>),
/// 3 market, 4 symbol id, 8 receive ns (monotonic), 16 publish ns (monotonic), 24 local timestamp (wall clock, ns since
/// the Unix epoch, when the report arrived or was made), 32 <c>E</c> ms, 40 <c>T</c> − <c>E</c> ms (int32;
/// <see cref="int.MinValue"/>: no <c>T</c>), 44 type (low nibble) and time in force (high nibble), 45 status (low nibble)
/// and origin (high nibble), 46 reason, 47 risk reason, 48 client order id, 56 command client order id, 64 causing
/// sequence, 72 price, 80 quantity, 88 last price, 96 last quantity, 104 cumulative quantity, 112 commission, 120 trade id
/// (int48, −1: not a fill), 126 venue error code (int16). <see cref="ExecutionReport.RemainingQuantity"/> is not stored:
/// it is quantity − cumulative quantity. Part of the journal format (inbound records hold raw slots): never reorder.
/// <see cref="Write"/> and <see cref="Read"/> are allocation-free and never throw.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = MarketEventDescriptor.Size)]
public struct ExecutionReportEvent
{
    private const long TradeIdMask = (1L << 48) - 1;

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

    /// <summary>Wall clock when the report arrived (or was made), ns since the Unix epoch; the journal record's timestamp. 0 when not stamped.</summary>
    [FieldOffset(MarketEventDescriptor.LocalTimestampOffset)]
    public long LocalTimestampNs;

    /// <summary>Event time <c>E</c>, ms since the Unix epoch.</summary>
    [FieldOffset(MarketEventDescriptor.EventTimeOffset)]
    public long EventTimeMs;

    [FieldOffset(40)]
    private int _transactionDeltaMs;

    [FieldOffset(44)]
    private byte _typeAndTimeInForce;

    [FieldOffset(45)]
    private byte _statusAndOrigin;

    /// <summary>Reject or expiry reason.</summary>
    [FieldOffset(46)]
    public ExecutionReason Reason;

    /// <summary>The risk rule of a risk rejection.</summary>
    [FieldOffset(47)]
    public RiskReason RiskReason;

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

    /// <summary>Commission of the fill, 10⁻⁸ units of the commission asset.</summary>
    [FieldOffset(112)]
    public long Commission;

    [FieldOffset(120)]
    private long _tradeIdAndErrorCode;

    /// <summary>Transaction time <c>T</c>, ms since the Unix epoch; 0 when the report had none.</summary>
    public readonly long TransactionTimeMs => _transactionDeltaMs == int.MinValue ? 0 : EventTimeMs + _transactionDeltaMs;

    /// <summary>Order type.</summary>
    public readonly OrderType Type => (OrderType)(_typeAndTimeInForce & 0x0F);

    /// <summary>Time in force.</summary>
    public readonly TimeInForce TimeInForce => (TimeInForce)(_typeAndTimeInForce >> 4);

    /// <summary>Order status after the report.</summary>
    public readonly OrderStatus Status => (OrderStatus)(_statusAndOrigin & 0x0F);

    /// <summary>Who produced the report.</summary>
    public readonly ExecutionReportOrigin Origin => (ExecutionReportOrigin)(_statusAndOrigin >> 4);

    /// <summary>Trade id of a fill, -1 otherwise.</summary>
    public readonly long TradeId => (_tradeIdAndErrorCode << 16) >> 16;

    /// <summary>Binance error code, or 0.</summary>
    public readonly short VenueErrorCode => (short)(_tradeIdAndErrorCode >> 48);

    /// <summary>Writes <paramref name="report"/> into an inbound slot, every byte of it (so a reused slot keeps nothing of its last event).</summary>
    /// <param name="slot">The claimed slot.</param>
    /// <param name="report">The report.</param>
    /// <param name="market">The venue's market.</param>
    /// <param name="receiveTimestampNs">Monotonic ns when the report arrived (or was made).</param>
    /// <param name="localTimestampNs">Wall clock ns since the Unix epoch when it arrived; 0 when not stamped.</param>
    /// <remarks>Values that do not fit their packed fields are clamped: <c>T − E</c> to ±24 days, the trade id to 48 bits,
    /// the error code to int16 (Binance's codes are all within it).</remarks>
    public static void Write(ref MarketEvent slot, in ExecutionReport report, Market market, long receiveTimestampNs, long localTimestampNs = 0)
    {
        ref var e = ref Unsafe.As<MarketEvent, ExecutionReportEvent>(ref slot);
        e = default;
        e.Kind = MarketEventKind.ExecutionReport;
        e.Flags = report.IsMaker ? MarketEventFlags.MakerFill : MarketEventFlags.None;
        e.Side = report.Side;
        e.Market = market;
        e.SymbolId = report.SymbolId;
        e.ReceiveTimestampNs = receiveTimestampNs;
        e.LocalTimestampNs = localTimestampNs;
        e.EventTimeMs = report.EventTimeMs;
        e._transactionDeltaMs = report.TransactionTimeMs == 0 ? int.MinValue : (int)Math.Clamp(report.TransactionTimeMs - report.EventTimeMs, int.MinValue + 1, int.MaxValue);
        e._typeAndTimeInForce = (byte)(((int)report.Type & 0x0F) | (((int)report.TimeInForce & 0x0F) << 4));
        e._statusAndOrigin = (byte)(((int)report.Status & 0x0F) | (((int)report.Origin & 0x0F) << 4));
        e.Reason = report.Reason;
        e.RiskReason = report.RiskReason;
        e.ClientOrderId = report.ClientOrderId;
        e.CommandClientOrderId = report.CommandClientOrderId;
        e.CausingSequence = report.CausingSequence;
        e.Price = report.Price;
        e.Quantity = report.Quantity;
        e.LastPrice = report.LastPrice;
        e.LastQuantity = report.LastQuantity;
        e.CumulativeQuantity = report.CumulativeQuantity;
        e.Commission = report.Commission;
        var tradeId = Math.Clamp(report.TradeId, -(1L << 47), (1L << 47) - 1);
        var errorCode = (long)Math.Clamp(report.VenueErrorCode, short.MinValue, short.MaxValue);
        e._tradeIdAndErrorCode = (tradeId & TradeIdMask) | (errorCode << 48);
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
