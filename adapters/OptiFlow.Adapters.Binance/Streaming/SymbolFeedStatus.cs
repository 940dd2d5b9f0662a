namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>One symbol's feed as <see cref="MarketDataClient.FeedStatusOf"/> saw it.</summary>
/// <param name="State">Live, ended, silent, down or never received.</param>
/// <param name="LastFrameAgo">Time from the symbol's last frame to the moment of the status (the client's stop, or now
/// while it runs); null when no frame arrived.</param>
/// <param name="DownFor">For <see cref="SymbolFeedState.Down"/>: how long the connection had been down; else null.</param>
/// <param name="LastFailure">The last failure of a connection carrying the symbol (for <see cref="SymbolFeedState.Down"/>,
/// the one that took it down), or null.</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record SymbolFeedStatus(SymbolFeedState State, TimeSpan? LastFrameAgo, TimeSpan? DownFor, ConnectionFailure? LastFailure)
{
    /// <summary>Whether the feed is current: <see cref="SymbolFeedState.Live"/> or <see cref="SymbolFeedState.Ended"/>.</summary>
    public bool IsCurrent => State is SymbolFeedState.Live or SymbolFeedState.Ended;
}
