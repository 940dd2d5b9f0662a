namespace OptiFlow.Engine.Orders;

/// <summary>
/// Byte layout of <see cref="OrderCommand"/>: 64 bytes, one cache line, little-endian. Outbound ring slots and journal
/// records carry these bytes verbatim, so a change of layout bumps <see cref="Version"/>.
/// </summary>
/// <remarks>
/// <code>
///  0  CausingSequence        (int64, inbound ring sequence of the market event that caused the command)
///  8  ClientOrderId          (int64, > 0; sent as Binance newClientOrderId)
/// 16  OriginalClientOrderId  (int64, Cancel: the order to cancel, sent as origClientOrderId; else 0)
/// 24  Price                  (int64, 10⁻⁸ units; Limit/LimitMaker only, else 0)
/// 32  Quantity               (int64, 10⁻⁸ units; New only, else 0)
/// 40  EventTimeMs            (int64, Binance E of the causing event, ms since the Unix epoch; 0 when absent)
/// 48  SymbolId (int32) | 52 Action (uint8) | 53 Side (uint8) | 54 Type (uint8) | 55 TimeInForce (uint8)
/// 56  Reserved               (int64, zero)
/// 64  end
/// </code>
/// There is no implicit padding; the reserved field is written as zero so journaled bytes are deterministic.
/// The command carries no wall-clock time: a replay of the same inbound journal produces the same bytes.
/// Constants only: thread-safe, allocation-free.
/// </remarks>
public static class OrderCommandDescriptor
{
    /// <summary>Layout version; journal segment headers record it.</summary>
    public const int Version = 1;

    /// <summary>Offset of <see cref="OrderCommand.CausingSequence"/>.</summary>
    public const int CausingSequenceOffset = 0;

    /// <summary>Offset of <see cref="OrderCommand.ClientOrderId"/>.</summary>
    public const int ClientOrderIdOffset = CausingSequenceOffset + sizeof(long);

    /// <summary>Offset of <see cref="OrderCommand.OriginalClientOrderId"/>.</summary>
    public const int OriginalClientOrderIdOffset = ClientOrderIdOffset + sizeof(long);

    /// <summary>Offset of <see cref="OrderCommand.Price"/>.</summary>
    public const int PriceOffset = OriginalClientOrderIdOffset + sizeof(long);

    /// <summary>Offset of <see cref="OrderCommand.Quantity"/>.</summary>
    public const int QuantityOffset = PriceOffset + sizeof(long);

    /// <summary>Offset of <see cref="OrderCommand.EventTimeMs"/>.</summary>
    public const int EventTimeMsOffset = QuantityOffset + sizeof(long);

    /// <summary>Offset of <see cref="OrderCommand.SymbolId"/>.</summary>
    public const int SymbolIdOffset = EventTimeMsOffset + sizeof(long);

    /// <summary>Offset of <see cref="OrderCommand.Action"/>.</summary>
    public const int ActionOffset = SymbolIdOffset + sizeof(int);

    /// <summary>Offset of <see cref="OrderCommand.Side"/>.</summary>
    public const int SideOffset = ActionOffset + sizeof(byte);

    /// <summary>Offset of <see cref="OrderCommand.Type"/>.</summary>
    public const int TypeOffset = SideOffset + sizeof(byte);

    /// <summary>Offset of <see cref="OrderCommand.TimeInForce"/>.</summary>
    public const int TimeInForceOffset = TypeOffset + sizeof(byte);

    /// <summary>Offset of <see cref="OrderCommand.Reserved"/>.</summary>
    public const int ReservedOffset = TimeInForceOffset + sizeof(byte);

    /// <summary>Size in bytes: one 64-byte cache line.</summary>
    public const int Size = ReservedOffset + sizeof(long);
}
