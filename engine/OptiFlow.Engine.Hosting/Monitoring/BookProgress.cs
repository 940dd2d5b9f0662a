using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;

namespace OptiFlow.Engine.Hosting.Monitoring;

/// <summary>One symbol's book in a <see cref="SessionProgress"/> snapshot.</summary>
/// <param name="Symbol">The symbol's name, e.g. <c>BTCUSDT</c>.</param>
/// <param name="SymbolId">Its id in the session's symbol table.</param>
/// <param name="SyncState">The core's sync state (<see cref="BookSyncState.AwaitingSnapshot"/> before the core saw the symbol).</param>
/// <param name="Feed">Live sessions: the symbol's feed (<see cref="MarketDataClient.FeedStatusOf"/>); null for a recording or a replay.</param>
/// <param name="DepthMessages">Depth messages the core received for the symbol (applied, buffered or dropped).</param>
/// <param name="Gaps">Sequence breaks the core detected (<see cref="SymbolState.Gaps"/>).</param>
/// <param name="Resyncs">Snapshots the core asked for, one per transition out of sync (<see cref="SymbolState.SnapshotRequests"/>).</param>
/// <param name="Snapshots">Snapshots loaded into the book (the first sync and every resync).</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record BookProgress(string Symbol, int SymbolId, BookSyncState SyncState, SymbolFeedState? Feed, long DepthMessages, long Gaps, long Resyncs, long Snapshots)
{
    /// <summary>Synced, resyncing, or (live) stale because of its feed.</summary>
    public BookHealth Health => Feed is SymbolFeedState.Down or SymbolFeedState.Silent or SymbolFeedState.NeverReceived
        ? BookHealth.Stale
        : SyncState == BookSyncState.Live ? BookHealth.Synced : BookHealth.Resyncing;
}
