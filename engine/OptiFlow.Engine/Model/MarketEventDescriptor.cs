namespace OptiFlow.Engine.Model;

/// <summary>
/// Byte layout of <see cref="MarketEvent"/>: 128 bytes, two cache lines, little-endian. Journal records carry these
/// bytes verbatim, so a change of layout bumps <see cref="Version"/>.
/// </summary>
/// <remarks>
/// <code>
///  0               1               2               3               4                               8
///  +---------------+---------------+---------------+---------------+-------------------------------+
///  |     Kind      |     Flags     |     Side      |    Market     |            SymbolId           |
///  +---------------+---------------+---------------+---------------+-------------------------------+
///  8  ReceiveTimestampNs        (monotonic ns, this process: frame complete)
/// 16  PublishTimestampNs        (monotonic ns, this process: just before publish)
/// 24  LocalTimestampNs          (wall-clock ns since epoch, as recorded on receipt)
/// 32  EventTimeMs               (Binance E, ms since epoch; 0 when absent)
/// 40  TransactionTimeMs         (Binance T, ms since epoch; 0 when absent)
/// 48  FirstUpdateId  | FirstTradeId      (U | f)
/// 56  FinalUpdateId  | TradeId           (u | t, a)
/// 64  PreviousFinalUpdateId | LastTradeId (pu | l)
/// 72  Price | BidPrice                   (10⁻⁸ units)
/// 80  Quantity | BidQuantity             (10⁻⁸ units)
/// 88  AskPrice                           (10⁻⁸ units)
/// 96  AskQuantity                        (10⁻⁸ units)
/// 104 LevelIndex (int32) | 108 LevelCount (int32)
/// 112 SourceLine (int64)
/// 120 ErrorCode (uint16) | 122 SourceFileIndex (uint16) | 124 ErrorOffset (int32)
/// 128 end
/// </code>
/// There is no padding: every byte has a meaning. Offsets are derived from one another below.
/// </remarks>
public static class MarketEventDescriptor
{
    /// <summary>Layout version; journal segment headers record it.</summary>
    public const int Version = 1;

    /// <summary>Offset of <see cref="MarketEvent.Kind"/>.</summary>
    public const int KindOffset = 0;

    /// <summary>Offset of <see cref="MarketEvent.Flags"/>.</summary>
    public const int FlagsOffset = KindOffset + sizeof(byte);

    /// <summary>Offset of <see cref="MarketEvent.Side"/>.</summary>
    public const int SideOffset = FlagsOffset + sizeof(byte);

    /// <summary>Offset of <see cref="MarketEvent.Market"/>.</summary>
    public const int MarketOffset = SideOffset + sizeof(byte);

    /// <summary>Offset of <see cref="MarketEvent.SymbolId"/>.</summary>
    public const int SymbolIdOffset = MarketOffset + sizeof(byte);

    /// <summary>Offset of <see cref="MarketEvent.ReceiveTimestampNs"/>.</summary>
    public const int ReceiveTimestampOffset = SymbolIdOffset + sizeof(int);

    /// <summary>Offset of <see cref="MarketEvent.PublishTimestampNs"/>.</summary>
    public const int PublishTimestampOffset = ReceiveTimestampOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.LocalTimestampNs"/>.</summary>
    public const int LocalTimestampOffset = PublishTimestampOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.EventTimeMs"/>.</summary>
    public const int EventTimeOffset = LocalTimestampOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.TransactionTimeMs"/>.</summary>
    public const int TransactionTimeOffset = EventTimeOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.FirstUpdateId"/> (shared with <see cref="MarketEvent.FirstTradeId"/>).</summary>
    public const int FirstUpdateIdOffset = TransactionTimeOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.FinalUpdateId"/> (shared with <see cref="MarketEvent.TradeId"/>).</summary>
    public const int FinalUpdateIdOffset = FirstUpdateIdOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.PreviousFinalUpdateId"/> (shared with <see cref="MarketEvent.LastTradeId"/>).</summary>
    public const int PreviousFinalUpdateIdOffset = FinalUpdateIdOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.Price"/> (shared with <see cref="MarketEvent.BidPrice"/>).</summary>
    public const int PriceOffset = PreviousFinalUpdateIdOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.Quantity"/> (shared with <see cref="MarketEvent.BidQuantity"/>).</summary>
    public const int QuantityOffset = PriceOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.AskPrice"/>.</summary>
    public const int AskPriceOffset = QuantityOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.AskQuantity"/>.</summary>
    public const int AskQuantityOffset = AskPriceOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.LevelIndex"/>.</summary>
    public const int LevelIndexOffset = AskQuantityOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.LevelCount"/>.</summary>
    public const int LevelCountOffset = LevelIndexOffset + sizeof(int);

    /// <summary>Offset of <see cref="MarketEvent.SourceLine"/>.</summary>
    public const int SourceLineOffset = LevelCountOffset + sizeof(int);

    /// <summary>Offset of <see cref="MarketEvent.ErrorCode"/>.</summary>
    public const int ErrorCodeOffset = SourceLineOffset + sizeof(long);

    /// <summary>Offset of <see cref="MarketEvent.SourceFileIndex"/>.</summary>
    public const int SourceFileIndexOffset = ErrorCodeOffset + sizeof(ushort);

    /// <summary>Offset of <see cref="MarketEvent.ErrorOffset"/>.</summary>
    public const int ErrorOffsetOffset = SourceFileIndexOffset + sizeof(ushort);

    /// <summary>Total size: two 64-byte cache lines.</summary>
    public const int Size = ErrorOffsetOffset + sizeof(int);
}
