namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>Where one symbol's feed stands (<see cref="MarketDataClient.FeedStatusOf"/>): the state a report combines
/// with the core's book sync state, so a book whose feed is down is never reported live.</summary>
public enum SymbolFeedState : byte
{
    /// <summary>Every connection carrying the symbol is up and the symbol had a frame within
    /// <see cref="MarketDataClientOptions.StaleAfter"/>.</summary>
    Live = 0,

    /// <summary>The venue ended the data normally (the simulator's "recording ended"): the book is final, not stale.</summary>
    Ended = 1,

    /// <summary>The connections are up but the symbol had no frame for <see cref="MarketDataClientOptions.StaleAfter"/>.</summary>
    Silent = 2,

    /// <summary>A connection carrying the symbol was down (reconnecting, or given up) when the client stopped.</summary>
    Down = 3,

    /// <summary>Not one frame of the symbol arrived.</summary>
    NeverReceived = 4,
}
