using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>Per-symbol counters of a live feed: losses seen on the stream and the resyncs that repaired them.</summary>
/// <remarks>The stream counters are written by the symbol's receive thread and the resync counters by the control
/// thread (each field has one writer); read them with the values' usual tearing-free 64-bit loads, exactly after the
/// client stopped. Allocation-free.</remarks>
public sealed class SymbolFeedCounters
{
    internal long GapCount;
    internal long DuplicateCount;
    internal long OutOfOrderCount;
    internal long ResyncCount;
    internal long StaleSnapshotCount;
    internal long CoreRequestsCoalescedCount;
    internal long SnapshotFailureCount;
    internal long ThrottledCount;
    internal long UnsyncedTotalNs;

    /// <summary>Creates the counters of one symbol.</summary>
    /// <param name="symbolId">The interned symbol.</param>
    /// <param name="symbol">Upper-case name.</param>
    public SymbolFeedCounters(int symbolId, string symbol)
    {
        SymbolId = symbolId;
        Symbol = symbol;
    }

    /// <summary>The symbol id.</summary>
    public int SymbolId { get; }

    /// <summary>Upper-case name.</summary>
    public string Symbol { get; }

    /// <summary>Depth messages that did not chain (futures <c>pu</c> ≠ previous <c>u</c>, spot <c>U</c> ≠ previous <c>u</c>+1; binance.md §3.1, §3.2).</summary>
    public long Gaps => Interlocked.Read(ref GapCount);

    /// <summary>Depth messages received again (<c>u</c> equal to the last one); not published.</summary>
    public long Duplicates => Interlocked.Read(ref DuplicateCount);

    /// <summary>Depth messages older than one already received (<c>u</c> below the last one); not published.</summary>
    public long OutOfOrder => Interlocked.Read(ref OutOfOrderCount);

    /// <summary>Snapshots fetched and published into the ring (start-up, gaps, reconnects).</summary>
    public long Resyncs => Interlocked.Read(ref ResyncCount);

    /// <summary>Snapshots discarded because their <c>lastUpdateId</c> was older than the first buffered diff (spot step 3, binance.md §3.1).</summary>
    public long StaleSnapshots => Interlocked.Read(ref StaleSnapshotCount);

    /// <summary>Core resync requests (<see cref="MarketDataClient.OnSnapshotRequest"/>) not fetched because a snapshot already published, still ahead of the core in the ring, bridges the core's first buffered diff.</summary>
    public long CoreRequestsCoalesced => Interlocked.Read(ref CoreRequestsCoalescedCount);

    /// <summary>Snapshot requests that failed (HTTP error, timeout, refused).</summary>
    public long SnapshotFailures => Interlocked.Read(ref SnapshotFailureCount);

    /// <summary>Snapshot requests answered 429 or 418.</summary>
    public long Throttled => Interlocked.Read(ref ThrottledCount);

    /// <summary>Total time from a resync request (gap, connect) to the snapshot being published, ns.</summary>
    public long UnsyncedNs => Interlocked.Read(ref UnsyncedTotalNs);

    /// <summary>Snapshot request → body received, ns (control thread only).</summary>
    public LatencyHistogram SnapshotLatency { get; } = new("snapshot request -> body");
}
