namespace OptiFlow.Engine.Core;

/// <summary>Where a symbol's book stands in Binance's sync procedure (ARCHITECTURE "Book sync").</summary>
public enum BookSyncState : byte
{
    /// <summary>No usable snapshot: diffs are buffered, the book produces no signals.</summary>
    AwaitingSnapshot = 0,

    /// <summary>A snapshot is loaded; the next diff must bracket its <c>lastUpdateId</c>.</summary>
    AwaitingFirstDiff = 1,

    /// <summary>Synced: every diff must chain on the previous one (futures <c>pu</c>, spot <c>U</c>).</summary>
    Live = 2,
}
