namespace OptiFlow.Adapters.Binance.MarketData;

/// <summary>What <see cref="BinanceFrameDecoder.Decode"/> produced for one frame.</summary>
public enum FrameOutcome : byte
{
    /// <summary>A single-slot event (bookTicker, trade, aggTrade) is complete in the slot.</summary>
    Event = 0,

    /// <summary>
    /// A multi-level message (depth diff or REST snapshot): the slot holds the message header and the
    /// <see cref="DepthLevelBuffer"/> holds its levels (possibly none).
    /// </summary>
    Levels = 1,

    /// <summary>A well-formed frame of a stream this decoder does not decode (markPriceUpdate, kline, …); counted.</summary>
    Ignored = 2,

    /// <summary>The frame could not be decoded; see <see cref="BinanceFrameDecoder.LastError"/>.</summary>
    Error = 3,
}
