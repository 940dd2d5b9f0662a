using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Model;

/// <summary>
/// One inbound ring slot: a venue-neutral market event of fixed size (128 bytes, see
/// <see cref="MarketEventDescriptor"/>). Prices and quantities are 10⁻⁸ units (<see cref="FixedPoint"/>).
/// </summary>
/// <remarks>
/// Which fields carry meaning depends on <see cref="Kind"/>:
/// <list type="bullet">
/// <item><see cref="MarketEventKind.BookTicker"/>: <see cref="FinalUpdateId"/> (<c>u</c>), <see cref="BidPrice"/>,
/// <see cref="BidQuantity"/>, <see cref="AskPrice"/>, <see cref="AskQuantity"/>, times when the venue sends them.</item>
/// <item><see cref="MarketEventKind.DepthLevel"/>: <see cref="FirstUpdateId"/> (<c>U</c>), <see cref="FinalUpdateId"/>
/// (<c>u</c>), <see cref="PreviousFinalUpdateId"/> (<c>pu</c>, futures), <see cref="Side"/>, <see cref="Price"/>,
/// absolute <see cref="Quantity"/> (0 removes the level), <see cref="LevelIndex"/> of <see cref="LevelCount"/>.</item>
/// <item><see cref="MarketEventKind.SnapshotLevel"/>: <see cref="FinalUpdateId"/> holds <c>lastUpdateId</c>; one level per slot.</item>
/// <item><see cref="MarketEventKind.Trade"/> / <see cref="MarketEventKind.AggTrade"/>: <see cref="TradeId"/>,
/// <see cref="FirstTradeId"/>/<see cref="LastTradeId"/> (aggTrade), <see cref="Price"/>, <see cref="Quantity"/>,
/// <see cref="MarketEventFlags.BuyerIsMaker"/>.</item>
/// <item><see cref="MarketEventKind.DecodeError"/>: <see cref="ErrorCode"/>, <see cref="ErrorOffset"/> (byte offset in
/// the frame), <see cref="SourceLine"/>.</item>
/// </list>
/// A plain data struct: not thread-safe by itself; the ring's publish/consume protocol orders access.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = MarketEventDescriptor.Size)]
public struct MarketEvent
{
    /// <summary>What the slot holds.</summary>
    [FieldOffset(MarketEventDescriptor.KindOffset)]
    public MarketEventKind Kind;

    /// <summary>Message framing and trade flags.</summary>
    [FieldOffset(MarketEventDescriptor.FlagsOffset)]
    public MarketEventFlags Flags;

    /// <summary>Side of a level (depth and snapshot slots).</summary>
    [FieldOffset(MarketEventDescriptor.SideOffset)]
    public BookSide Side;

    /// <summary>The market whose book-sync rule applies.</summary>
    [FieldOffset(MarketEventDescriptor.MarketOffset)]
    public Market Market;

    /// <summary>Interned symbol (<see cref="SymbolTable"/>); -1 when unknown (decode errors).</summary>
    [FieldOffset(MarketEventDescriptor.SymbolIdOffset)]
    public int SymbolId;

    /// <summary>Monotonic ns (<see cref="System.Diagnostics.Stopwatch"/>) when this process had the whole frame.</summary>
    [FieldOffset(MarketEventDescriptor.ReceiveTimestampOffset)]
    public long ReceiveTimestampNs;

    /// <summary>Monotonic ns just before the slot was published.</summary>
    [FieldOffset(MarketEventDescriptor.PublishTimestampOffset)]
    public long PublishTimestampNs;

    /// <summary>Wall-clock ns since the Unix epoch when the frame was received, as the recorder wrote it.</summary>
    [FieldOffset(MarketEventDescriptor.LocalTimestampOffset)]
    public long LocalTimestampNs;

    /// <summary>Binance event time <c>E</c>, ms since the Unix epoch; 0 when the payload has none (spot bookTicker).</summary>
    [FieldOffset(MarketEventDescriptor.EventTimeOffset)]
    public long EventTimeMs;

    /// <summary>Binance transaction or trade time <c>T</c>, ms since the Unix epoch; 0 when absent.</summary>
    [FieldOffset(MarketEventDescriptor.TransactionTimeOffset)]
    public long TransactionTimeMs;

    /// <summary>Depth diff: first update id in the event (<c>U</c>).</summary>
    [FieldOffset(MarketEventDescriptor.FirstUpdateIdOffset)]
    public long FirstUpdateId;

    /// <summary>AggTrade: first trade id (<c>f</c>).</summary>
    [FieldOffset(MarketEventDescriptor.FirstUpdateIdOffset)]
    public long FirstTradeId;

    /// <summary>Depth diff and bookTicker: final update id (<c>u</c>); snapshot: <c>lastUpdateId</c>.</summary>
    [FieldOffset(MarketEventDescriptor.FinalUpdateIdOffset)]
    public long FinalUpdateId;

    /// <summary>Trade id (<c>t</c>) or aggregate trade id (<c>a</c>).</summary>
    [FieldOffset(MarketEventDescriptor.FinalUpdateIdOffset)]
    public long TradeId;

    /// <summary>Futures depth diff: final update id of the previous event (<c>pu</c>).</summary>
    [FieldOffset(MarketEventDescriptor.PreviousFinalUpdateIdOffset)]
    public long PreviousFinalUpdateId;

    /// <summary>AggTrade: last trade id (<c>l</c>).</summary>
    [FieldOffset(MarketEventDescriptor.PreviousFinalUpdateIdOffset)]
    public long LastTradeId;

    /// <summary>Level or trade price, 10⁻⁸ units.</summary>
    [FieldOffset(MarketEventDescriptor.PriceOffset)]
    public long Price;

    /// <summary>BookTicker best bid price (<c>b</c>), 10⁻⁸ units.</summary>
    [FieldOffset(MarketEventDescriptor.PriceOffset)]
    public long BidPrice;

    /// <summary>Level quantity (absolute) or trade quantity, 10⁻⁸ units.</summary>
    [FieldOffset(MarketEventDescriptor.QuantityOffset)]
    public long Quantity;

    /// <summary>BookTicker best bid quantity (<c>B</c>), 10⁻⁸ units.</summary>
    [FieldOffset(MarketEventDescriptor.QuantityOffset)]
    public long BidQuantity;

    /// <summary>BookTicker best ask price (<c>a</c>), 10⁻⁸ units.</summary>
    [FieldOffset(MarketEventDescriptor.AskPriceOffset)]
    public long AskPrice;

    /// <summary>BookTicker best ask quantity (<c>A</c>), 10⁻⁸ units.</summary>
    [FieldOffset(MarketEventDescriptor.AskQuantityOffset)]
    public long AskQuantity;

    /// <summary>Index of this level within its message (bids first, then asks), from 0.</summary>
    [FieldOffset(MarketEventDescriptor.LevelIndexOffset)]
    public int LevelIndex;

    /// <summary>Number of levels in the whole message (0 for an empty diff).</summary>
    [FieldOffset(MarketEventDescriptor.LevelCountOffset)]
    public int LevelCount;

    /// <summary>1-based line of the recording the frame came from; 0 for live data.</summary>
    [FieldOffset(MarketEventDescriptor.SourceLineOffset)]
    public long SourceLine;

    /// <summary>Decode error, for <see cref="MarketEventKind.DecodeError"/> slots.</summary>
    [FieldOffset(MarketEventDescriptor.ErrorCodeOffset)]
    public DecodeErrorCode ErrorCode;

    /// <summary>Index of the input file in the session (0-based) for recorded data.</summary>
    [FieldOffset(MarketEventDescriptor.SourceFileIndexOffset)]
    public ushort SourceFileIndex;

    /// <summary>Byte offset in the frame where decoding failed.</summary>
    [FieldOffset(MarketEventDescriptor.ErrorOffsetOffset)]
    public int ErrorOffset;
}
