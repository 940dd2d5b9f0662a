using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// One symbol's book at the end of a live session: the core's sync state combined with the feed's state, so a book whose
/// feed is down, silent or never arrived is reported stale even when the core's state machine still says
/// <see cref="BookSyncState.Live"/> (the core only knows the events it was given; it cannot see a dead connection).
/// </summary>
/// <param name="Symbol">The symbol's name, e.g. <c>BTCUSDT</c>.</param>
/// <param name="SymbolId">Its id in the session's symbol table.</param>
/// <param name="SyncState">The core's book sync state (<see cref="BookSyncState.AwaitingSnapshot"/> when the core saw
/// nothing of the symbol).</param>
/// <param name="Feed">The feed's status when the client stopped (<see cref="MarketDataClient.FeedStatusOf"/>).</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record LiveBookStatus(string Symbol, int SymbolId, BookSyncState SyncState, SymbolFeedStatus Feed)
{
    /// <summary>Whether the book can be trusted as current: synced on the core and its feed live (or ended by the venue).</summary>
    public bool IsLive => SyncState == BookSyncState.Live && Feed.IsCurrent;

    /// <summary>Whether the book is stale because of its feed (down, silent, never received) rather than its sync.</summary>
    public bool IsStale => !Feed.IsCurrent;

    /// <summary>What a report prints for the book: <c>Live</c>, <c>stale</c> (the feed), or the core's sync state.</summary>
    public string State => IsLive ? "Live" : IsStale ? "stale" : SyncState.ToString();

    /// <summary>Why the book is not live, in words (empty when it is), e.g. <c>feed down for 3.2 s: ws://…/stream:
    /// Connection refused [ConnectionRefused]</c>.</summary>
    public string Reason
    {
        get
        {
            var last = Feed.LastFrameAgo is { } ago ? $"last frame {ago.TotalSeconds:0.0} s before the end" : "nothing received";
            return Feed.State switch
            {
                SymbolFeedState.Down => $"feed down for {Feed.DownFor.GetValueOrDefault().TotalSeconds:0.0} s ({last})" + (Feed.LastFailure is { } f ? $": {f}" : ""),
                SymbolFeedState.NeverReceived => "nothing received for this symbol" + (Feed.LastFailure is { } f ? $" (last failure: {f})" : ""),
                SymbolFeedState.Silent => $"feed silent: {last}",
                _ when SyncState != BookSyncState.Live => $"core book not synced ({SyncState})",
                _ => "",
            };
        }
    }
}
