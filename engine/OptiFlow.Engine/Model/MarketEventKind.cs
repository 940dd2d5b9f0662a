namespace OptiFlow.Engine.Model;

/// <summary>What a <see cref="MarketEvent"/> slot holds. Stored as one byte at <see cref="MarketEventDescriptor.KindOffset"/>.</summary>
public enum MarketEventKind : byte
{
    /// <summary>An unwritten slot; never published.</summary>
    None = 0,

    /// <summary>Best bid and ask of one symbol (Binance <c>bookTicker</c>).</summary>
    BookTicker = 1,

    /// <summary>One price level of a diff-depth message (Binance <c>depthUpdate</c>), one slot per level.</summary>
    DepthLevel = 2,

    /// <summary>One price level of a REST depth snapshot, one slot per level.</summary>
    SnapshotLevel = 3,

    /// <summary>One trade (Binance <c>trade</c>).</summary>
    Trade = 4,

    /// <summary>One aggregated trade (Binance <c>aggTrade</c>).</summary>
    AggTrade = 5,

    /// <summary>
    /// A frame that could not be decoded. It is published (and journaled) so the core counts it and a replay
    /// counts it again; the error code and the line are in the slot.
    /// </summary>
    DecodeError = 6,

    /// <summary>
    /// Futures mark price and funding (Binance <c>markPriceUpdate</c>, <c>&lt;symbol&gt;@markPrice[@1s]</c>). Fields:
    /// <see cref="MarketEvent.Price"/> = mark price <c>p</c>; <see cref="MarketEvent.AskPrice"/> = index price <c>i</c>;
    /// <see cref="MarketEvent.AskQuantity"/> = estimated settle price <c>P</c>; <see cref="MarketEvent.Quantity"/> =
    /// funding rate <c>r</c> (10⁻⁸ units; 0 when sent empty, as on delivery contracts); <see cref="MarketEvent.TransactionTimeMs"/>
    /// = next funding time <c>T</c>; <see cref="MarketEvent.EventTimeMs"/> = <c>E</c>.
    /// </summary>
    MarkPrice = 7,

    /// <summary>
    /// One execution report of the trading path: an order gateway's risk rejection, or a venue's response or user-data
    /// event (Binance spot <c>executionReport</c>, USDⓈ-M <c>ORDER_TRADE_UPDATE</c>; binance.md §7). The slot holds an
    /// <see cref="Matching.ExecutionReportEvent"/> overlay; read it with <see cref="Matching.ExecutionReportEvent.Read"/>.
    /// Journaled like every inbound event, so a replay feeds the core the same reports at the same sequences.
    /// </summary>
    ExecutionReport = 8,
}
