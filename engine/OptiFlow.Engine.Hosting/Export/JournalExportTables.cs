using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Engine.Hosting.Export;

/// <summary>
/// The one schema of each export table: its columns, in order, with the function that reads each from a row. The CSV
/// and the Parquet writer both take these lists, so the two formats cannot drift apart.
/// </summary>
/// <remarks>
/// Units: prices and quantities are exact decimals of the engine's 10⁻⁸ fixed point; <c>…_ms</c> and Binance's <c>E</c>
/// are ms since the Unix epoch (exchange clock); <c>…_timestamp_ns</c> are ns since the Unix epoch (this machine's
/// wall clock, as recorded). Immutable after the type initializer; thread-safe.
/// </remarks>
internal static class JournalExportTables
{
    /// <summary>Market events: one per inbound slot (a depth or snapshot message is one row per level).</summary>
    public static readonly IReadOnlyList<ExportColumn<MarketEventRow>> MarketEvents =
    [
        ExportColumn<MarketEventRow>.Int64("sequence", "inbound ring sequence of the event", (in MarketEventRow r) => r.Sequence),
        ExportColumn<MarketEventRow>.Int64("local_timestamp_ns", "when this machine received the frame, ns since the Unix epoch (wall clock, as recorded)", (in MarketEventRow r) => r.LocalTimestampNs),
        ExportColumn<MarketEventRow>.String("kind", "BookTicker, DepthLevel, SnapshotLevel, Trade, AggTrade, MarkPrice or DecodeError", (in MarketEventRow r) => Name(r.Event.Kind)),
        ExportColumn<MarketEventRow>.String("symbol", "the symbol (its id when the journal does not name it)", (in MarketEventRow r) => r.Symbol),
        ExportColumn<MarketEventRow>.Int64("flags", "MarketEventFlags bits: 1 begin of message, 2 end, 4 empty message, 8 buyer is maker, 16 has pu, 32 non-market trade", (in MarketEventRow r) => (long)r.Event.Flags),
        ExportColumn<MarketEventRow>.String("side", "Bid or Ask for depth and snapshot levels, else None", (in MarketEventRow r) => Name(r.Event.Side)),
        ExportColumn<MarketEventRow>.Decimal8("price", "level or trade price; bookTicker best bid b; markPrice mark price p", (in MarketEventRow r) => r.Event.Price),
        ExportColumn<MarketEventRow>.Decimal8("quantity", "level quantity (absolute, 0 removes the level) or trade quantity; bookTicker best bid quantity B; empty for markPrice", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.MarkPrice ? null : r.Event.Quantity, nullable: true),
        ExportColumn<MarketEventRow>.Decimal8("ask_price", "bookTicker best ask a; empty for other kinds", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.BookTicker ? r.Event.AskPrice : null, nullable: true),
        ExportColumn<MarketEventRow>.Decimal8("ask_quantity", "bookTicker best ask quantity A; empty for other kinds", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.BookTicker ? r.Event.AskQuantity : null, nullable: true),
        ExportColumn<MarketEventRow>.String("aggressor_side", "trade and aggTrade: the taker's side, Sell when the buyer was the maker (Binance m = true), else Buy; empty for other kinds", (in MarketEventRow r) => AggressorSide(in r.Event), nullable: true),
        ExportColumn<MarketEventRow>.Decimal8("funding_rate", "markPrice funding rate r (0.0001 = 0.01%; 0 when Binance sends it empty); empty for other kinds", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.MarkPrice ? r.Event.Quantity : null, nullable: true),
        ExportColumn<MarketEventRow>.Decimal8("index_price", "markPrice index price i; empty for other kinds", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.MarkPrice ? r.Event.AskPrice : null, nullable: true),
        ExportColumn<MarketEventRow>.Decimal8("estimated_settle_price", "markPrice estimated settle price P; empty for other kinds", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.MarkPrice ? r.Event.AskQuantity : null, nullable: true),
        ExportColumn<MarketEventRow>.Int64("next_funding_time_ms", "markPrice next funding time T, ms since the Unix epoch; empty for other kinds", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.MarkPrice ? r.Event.TransactionTimeMs : null, nullable: true),
        ExportColumn<MarketEventRow>.Int64("first_update_id", "depth diff U; aggTrade first trade id f; else 0", (in MarketEventRow r) => r.Event.FirstUpdateId),
        ExportColumn<MarketEventRow>.Int64("final_update_id", "depth diff and bookTicker u; snapshot lastUpdateId; trade id t or aggregate trade id a", (in MarketEventRow r) => r.Event.FinalUpdateId),
        ExportColumn<MarketEventRow>.Int64("previous_final_update_id", "futures depth diff pu; aggTrade last trade id l; else 0", (in MarketEventRow r) => r.Event.PreviousFinalUpdateId),
        ExportColumn<MarketEventRow>.Int64("event_time_ms", "Binance event time E, ms since the Unix epoch; 0 when the payload has none", (in MarketEventRow r) => r.Event.EventTimeMs),
        ExportColumn<MarketEventRow>.Int64("transaction_time_ms", "Binance transaction or trade time T, ms since the Unix epoch; 0 when absent; empty for markPrice (see next_funding_time_ms)", (in MarketEventRow r) => r.Event.Kind == MarketEventKind.MarkPrice ? null : r.Event.TransactionTimeMs, nullable: true),
        ExportColumn<MarketEventRow>.Int64("level_index", "index of the level in its message (bids first, then asks), from 0", (in MarketEventRow r) => r.Event.LevelIndex),
        ExportColumn<MarketEventRow>.Int64("level_count", "levels in the whole message", (in MarketEventRow r) => r.Event.LevelCount),
        ExportColumn<MarketEventRow>.String("error_code", "DecodeErrorCode of a DecodeError slot, else None", (in MarketEventRow r) => Name(r.Event.ErrorCode)),
        ExportColumn<MarketEventRow>.Int64("source_file", "index of the recording file in the session, from 0", (in MarketEventRow r) => r.Event.SourceFileIndex),
        ExportColumn<MarketEventRow>.Int64("source_line", "1-based line of the recording; 0 for live data", (in MarketEventRow r) => r.Event.SourceLine),
    ];

    /// <summary>Signals: the columns of <c>optiflow signals</c> (<see cref="Output.SignalCsvPrinter.Header"/>), then the two sequences.</summary>
    public static readonly IReadOnlyList<ExportColumn<SignalRow>> Signals =
    [
        ExportColumn<SignalRow>.String("symbol", "the symbol", (in SignalRow r) => r.Symbol),
        ExportColumn<SignalRow>.Int64("applied", "applied depth messages of this symbol so far, this one included", (in SignalRow r) => r.Signal.Applied),
        ExportColumn<SignalRow>.Int64("u", "final update id u of the applied message", (in SignalRow r) => r.Signal.FinalUpdateId),
        ExportColumn<SignalRow>.Int64("E", "event time E of the applied message, ms since the Unix epoch", (in SignalRow r) => r.Signal.EventTimeMs),
        ExportColumn<SignalRow>.Decimal8("best_bid", "best bid price; empty when the bid side is empty", (in SignalRow r) => r.Signal.BestBid != 0 ? r.Signal.BestBid : null, nullable: true),
        ExportColumn<SignalRow>.Decimal8("best_ask", "best ask price; empty when the ask side is empty", (in SignalRow r) => r.Signal.BestAsk != 0 ? r.Signal.BestAsk : null, nullable: true),
        ExportColumn<SignalRow>.HalfDecimal9("mid", "(best bid + best ask) / 2, exact (9 decimals); empty unless both sides exist", (in SignalRow r) => r.Signal.BestBid != 0 && r.Signal.BestAsk != 0 ? r.Signal.MidDoubled : null, nullable: true),
        ExportColumn<SignalRow>.Double("obi1", "order-book imbalance over the top level, -1 to 1", (in SignalRow r) => r.Signal.Obi1),
        ExportColumn<SignalRow>.Double("obi5", "order-book imbalance over the top 5 levels", (in SignalRow r) => r.Signal.Obi5),
        ExportColumn<SignalRow>.Double("obi10", "order-book imbalance over the top 10 levels", (in SignalRow r) => r.Signal.Obi10),
        ExportColumn<SignalRow>.Double("wmid", "size-weighted mid (microprice), whole price units", (in SignalRow r) => r.Signal.WeightedMid),
        ExportColumn<SignalRow>.Double("wobi10", "distance-weighted OBI over 10 levels; NaN when a side is empty or the journal predates it", (in SignalRow r) => r.Signal.Wobi10),
        ExportColumn<SignalRow>.Int64("event_sequence", "inbound sequence of the slot that completed the depth message (joins the market events' sequence)", (in SignalRow r) => r.Signal.Sequence),
        ExportColumn<SignalRow>.Int64("outbound_sequence", "sequence of the record in the outbound journal", (in SignalRow r) => r.OutboundSequence),
    ];

    /// <summary>Order commands.</summary>
    public static readonly IReadOnlyList<ExportColumn<OrderCommandRow>> OrderCommands =
    [
        ExportColumn<OrderCommandRow>.Int64("outbound_sequence", "sequence of the record in the outbound journal", (in OrderCommandRow r) => r.OutboundSequence),
        ExportColumn<OrderCommandRow>.Int64("timestamp_ns", "the causing event's time, ns since the Unix epoch (event_time_ms × 10⁶)", (in OrderCommandRow r) => r.TimestampNs),
        ExportColumn<OrderCommandRow>.Int64("causing_sequence", "inbound sequence of the event that caused the command", (in OrderCommandRow r) => r.Command.CausingSequence),
        ExportColumn<OrderCommandRow>.String("symbol", "the symbol", (in OrderCommandRow r) => r.Symbol),
        ExportColumn<OrderCommandRow>.String("action", "New, Cancel, …", (in OrderCommandRow r) => Name(r.Command.Action)),
        ExportColumn<OrderCommandRow>.String("side", "Buy, Sell or None", (in OrderCommandRow r) => Name(r.Command.Side)),
        ExportColumn<OrderCommandRow>.String("type", "order type", (in OrderCommandRow r) => Name(r.Command.Type)),
        ExportColumn<OrderCommandRow>.String("time_in_force", "time in force", (in OrderCommandRow r) => Name(r.Command.TimeInForce)),
        ExportColumn<OrderCommandRow>.Decimal8("price", "limit price (0: none)", (in OrderCommandRow r) => r.Command.Price),
        ExportColumn<OrderCommandRow>.Decimal8("quantity", "quantity (0: none)", (in OrderCommandRow r) => r.Command.Quantity),
        ExportColumn<OrderCommandRow>.Int64("client_order_id", "client order id", (in OrderCommandRow r) => r.Command.ClientOrderId),
        ExportColumn<OrderCommandRow>.Int64("original_client_order_id", "the order a cancel refers to (0: none)", (in OrderCommandRow r) => r.Command.OriginalClientOrderId),
        ExportColumn<OrderCommandRow>.Int64("event_time_ms", "the causing event's time E, ms since the Unix epoch", (in OrderCommandRow r) => r.Command.EventTimeMs),
    ];

    /// <summary>Snapshot requests.</summary>
    public static readonly IReadOnlyList<ExportColumn<SnapshotRequestRow>> SnapshotRequests =
    [
        ExportColumn<SnapshotRequestRow>.Int64("outbound_sequence", "sequence of the record in the outbound journal", (in SnapshotRequestRow r) => r.OutboundSequence),
        ExportColumn<SnapshotRequestRow>.Int64("timestamp_ns", "the causing event's time, ns since the Unix epoch (event_time_ms × 10⁶)", (in SnapshotRequestRow r) => r.TimestampNs),
        ExportColumn<SnapshotRequestRow>.Int64("causing_sequence", "inbound sequence of the event that caused the request", (in SnapshotRequestRow r) => r.Request.CausingSequence),
        ExportColumn<SnapshotRequestRow>.String("symbol", "the symbol", (in SnapshotRequestRow r) => r.Symbol),
        ExportColumn<SnapshotRequestRow>.String("reason", "why the book left sync", (in SnapshotRequestRow r) => Name(r.Request.Reason)),
        ExportColumn<SnapshotRequestRow>.Int64("first_buffered_update_id", "U of the first buffered diff", (in SnapshotRequestRow r) => r.Request.FirstBufferedUpdateId),
        ExportColumn<SnapshotRequestRow>.Int64("last_applied_update_id", "u of the last applied diff", (in SnapshotRequestRow r) => r.Request.LastAppliedUpdateId),
        ExportColumn<SnapshotRequestRow>.Int64("event_time_ms", "the causing event's time E, ms since the Unix epoch", (in SnapshotRequestRow r) => r.Request.EventTimeMs),
    ];

    /// <summary>Evaluator records; the type's own fields are one text column of <c>key=value</c> pairs.</summary>
    public static readonly IReadOnlyList<ExportColumn<EvaluatorRecordRow>> EvaluatorRecords =
    [
        ExportColumn<EvaluatorRecordRow>.Int64("outbound_sequence", "sequence of the record in the outbound journal", (in EvaluatorRecordRow r) => r.OutboundSequence),
        ExportColumn<EvaluatorRecordRow>.Int64("timestamp_ns", "the causing event's receive time (or event time × 10⁶), ns since the Unix epoch", (in EvaluatorRecordRow r) => r.TimestampNs),
        ExportColumn<EvaluatorRecordRow>.String("type", "TriangleOpportunity, VpinBucket, OrderFlowImbalance, TradeFlowImbalance, Fault, …", (in EvaluatorRecordRow r) => Name(r.Record.Type)),
        ExportColumn<EvaluatorRecordRow>.Int64("evaluator_id", "the evaluator's index in the session", (in EvaluatorRecordRow r) => r.Record.EvaluatorId),
        ExportColumn<EvaluatorRecordRow>.String("evaluator", "the evaluator's name from the session header; empty when the header does not name it", (in EvaluatorRecordRow r) => r.Evaluator, nullable: true),
        ExportColumn<EvaluatorRecordRow>.String("symbol", "the symbol", (in EvaluatorRecordRow r) => r.Symbol),
        ExportColumn<EvaluatorRecordRow>.Int64("causing_sequence", "inbound sequence of the causing event", (in EvaluatorRecordRow r) => r.Record.CausingSequence),
        ExportColumn<EvaluatorRecordRow>.Int64("event_time_ms", "the causing event's time E, ms since the Unix epoch", (in EvaluatorRecordRow r) => r.Record.EventTimeMs),
        ExportColumn<EvaluatorRecordRow>.Int64("local_timestamp_ns", "the causing event's receive time, ns since the Unix epoch", (in EvaluatorRecordRow r) => r.Record.LocalTimestampNs),
        ExportColumn<EvaluatorRecordRow>.String("fields", "the type's own fields as key=value pairs separated by spaces", (in EvaluatorRecordRow r) => r.Fields),
    ];

    /// <summary>Execution reports, named after Binance's executionReport fields (binance.md §7.1), then the engine's own.</summary>
    public static readonly IReadOnlyList<ExportColumn<ExecutionReportRow>> ExecutionReports =
    [
        ExportColumn<ExecutionReportRow>.Int64("sequence", "inbound ring sequence of the report", (in ExecutionReportRow r) => r.Sequence),
        ExportColumn<ExecutionReportRow>.Int64("timestamp_ns", "when it was received, ns since the Unix epoch (0: none)", (in ExecutionReportRow r) => r.TimestampNs),
        ExportColumn<ExecutionReportRow>.Int64("event_time_ms", "E, ms since the Unix epoch", (in ExecutionReportRow r) => r.Report.EventTimeMs),
        ExportColumn<ExecutionReportRow>.Int64("transaction_time_ms", "T, ms since the Unix epoch", (in ExecutionReportRow r) => r.Report.TransactionTimeMs),
        ExportColumn<ExecutionReportRow>.String("symbol", "s", (in ExecutionReportRow r) => r.Symbol),
        ExportColumn<ExecutionReportRow>.Int64("client_order_id", "c", (in ExecutionReportRow r) => r.Report.ClientOrderId),
        ExportColumn<ExecutionReportRow>.String("side", "S", (in ExecutionReportRow r) => Name(r.Report.Side)),
        ExportColumn<ExecutionReportRow>.String("order_type", "o", (in ExecutionReportRow r) => Name(r.Report.Type)),
        ExportColumn<ExecutionReportRow>.String("time_in_force", "f", (in ExecutionReportRow r) => Name(r.Report.TimeInForce)),
        ExportColumn<ExecutionReportRow>.Decimal8("quantity", "q", (in ExecutionReportRow r) => r.Report.Quantity),
        ExportColumn<ExecutionReportRow>.Decimal8("price", "p", (in ExecutionReportRow r) => r.Report.Price),
        ExportColumn<ExecutionReportRow>.String("order_status", "X", (in ExecutionReportRow r) => Name(r.Report.Status)),
        ExportColumn<ExecutionReportRow>.String("reject_reason", "r, or the expiry reason", (in ExecutionReportRow r) => Name(r.Report.Reason)),
        ExportColumn<ExecutionReportRow>.Decimal8("last_executed_quantity", "l", (in ExecutionReportRow r) => r.Report.LastQuantity),
        ExportColumn<ExecutionReportRow>.Decimal8("cumulative_filled_quantity", "z", (in ExecutionReportRow r) => r.Report.CumulativeQuantity),
        ExportColumn<ExecutionReportRow>.Decimal8("last_executed_price", "L", (in ExecutionReportRow r) => r.Report.LastPrice),
        ExportColumn<ExecutionReportRow>.Decimal8("commission", "n", (in ExecutionReportRow r) => r.Report.Commission),
        ExportColumn<ExecutionReportRow>.Int64("trade_id", "t (-1: none)", (in ExecutionReportRow r) => r.Report.TradeId),
        ExportColumn<ExecutionReportRow>.Boolean("is_maker", "m", (in ExecutionReportRow r) => r.Report.IsMaker),
        ExportColumn<ExecutionReportRow>.Int64("command_client_order_id", "the client order id of the command it answers", (in ExecutionReportRow r) => r.Report.CommandClientOrderId),
        ExportColumn<ExecutionReportRow>.Int64("causing_sequence", "inbound sequence of the event that caused the command", (in ExecutionReportRow r) => r.Report.CausingSequence),
        ExportColumn<ExecutionReportRow>.Int64("evaluator_id", "the strategy, from the client order id; empty when it is not one of the engine's", (in ExecutionReportRow r) => r.EvaluatorId >= 0 ? r.EvaluatorId : null, nullable: true),
        ExportColumn<ExecutionReportRow>.String("risk_reason", "the gateway's risk verdict", (in ExecutionReportRow r) => Name(r.Report.RiskReason)),
        ExportColumn<ExecutionReportRow>.Int64("venue_error_code", "Binance error code (0: none)", (in ExecutionReportRow r) => r.Report.VenueErrorCode),
        ExportColumn<ExecutionReportRow>.String("origin", "Gateway or Venue", (in ExecutionReportRow r) => Name(r.Report.Origin)),
    ];

    private static string? AggressorSide(in MarketEvent e) =>
        e.Kind is MarketEventKind.Trade or MarketEventKind.AggTrade
            ? (e.Flags & MarketEventFlags.BuyerIsMaker) != 0 ? "Sell" : "Buy"
            : null;

    // Enum names are cached by the runtime: no string per row.
    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString();

    /// <summary>A market event with its journal sequence, receive time and symbol name.</summary>
    internal struct MarketEventRow
    {
        public long Sequence;
        public long LocalTimestampNs;
        public string Symbol;
        public MarketEvent Event;
    }

    /// <summary>A signal with its outbound sequence and symbol name.</summary>
    internal struct SignalRow
    {
        public long OutboundSequence;
        public string Symbol;
        public SignalEvent Signal;
    }

    /// <summary>An order command with its outbound sequence, record time and symbol name.</summary>
    internal struct OrderCommandRow
    {
        public long OutboundSequence;
        public long TimestampNs;
        public string Symbol;
        public OrderCommand Command;
    }

    /// <summary>A snapshot request with its outbound sequence, record time and symbol name.</summary>
    internal struct SnapshotRequestRow
    {
        public long OutboundSequence;
        public long TimestampNs;
        public string Symbol;
        public SnapshotRequest Request;
    }

    /// <summary>An evaluator record with its outbound sequence, record time, symbol, evaluator name and formatted fields.</summary>
    internal struct EvaluatorRecordRow
    {
        public long OutboundSequence;
        public long TimestampNs;
        public string Symbol;
        public string? Evaluator;
        public string Fields;
        public EvaluatorRecord Record;
    }

    /// <summary>An execution report with its inbound sequence, record time, symbol and strategy id (-1: none).</summary>
    internal struct ExecutionReportRow
    {
        public long Sequence;
        public long TimestampNs;
        public string Symbol;
        public int EvaluatorId;
        public ExecutionReport Report;
    }
}
