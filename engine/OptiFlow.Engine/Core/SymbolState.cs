using OptiFlow.Engine.Books;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Core;

/// <summary>
/// Everything the core keeps for one symbol: its book, where it stands in the sync procedure, the diffs buffered
/// while it waits for a snapshot, the last bookTicker, and its counters.
/// </summary>
/// <remarks>Owned by the core thread; read it only after the core has stopped. Allocated once per symbol.</remarks>
public sealed class SymbolState
{
    /// <summary>Capacity of the buffer of diffs held while awaiting a snapshot, in level slots.</summary>
    public const int PendingCapacity = 8192;

    // The buffers of diffs held while awaiting a snapshot (1 MiB of slots each) are allocated at the symbol's first depth
    // message or snapshot — at the start of its depth stream, not in steady state: a symbol seen only through
    // bookTickers or trades (a spot universe of 1,300+ symbols) never pays.
    internal MarketEvent[] Pending = [];
    internal long[] PendingSequences = [];
    internal MarketEvent[] Replaying = [];
    internal long[] ReplayingSequences = [];
    internal int PendingCount;
    internal int PendingMessageCount;
    internal long PendingLastFinalUpdateId;
    internal MessageAction CurrentAction;
    internal bool SkippingSnapshot;

    /// <summary>Creates the state of one symbol.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <param name="market">The market whose sync rule applies.</param>
    public SymbolState(int symbolId, Market market)
    {
        SymbolId = symbolId;
        Market = market;
        Book = new OrderBook(symbolId);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void EnsureDepthBuffers()
    {
        if (Pending.Length == 0)
        {
            AllocateDepthBuffers();
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void AllocateDepthBuffers()
    {
        Pending = new MarketEvent[PendingCapacity];
        PendingSequences = new long[PendingCapacity];
        Replaying = new MarketEvent[PendingCapacity];
        ReplayingSequences = new long[PendingCapacity];
    }

    internal enum MessageAction : byte
    {
        Buffer,
        Apply,
        Drop,
    }

    /// <summary>The symbol.</summary>
    public int SymbolId { get; }

    /// <summary>The market whose sync rule applies (from the first depth event of the symbol).</summary>
    public Market Market { get; internal set; }

    /// <summary>The L2 book.</summary>
    public OrderBook Book { get; }

    /// <summary>Where the book stands in the sync procedure.</summary>
    public BookSyncState SyncState { get; internal set; }

    /// <summary><c>lastUpdateId</c> of the last snapshot loaded; 0 before any.</summary>
    public long SnapshotLastUpdateId { get; internal set; }

    /// <summary>Applied depth messages so far.</summary>
    public long Applied { get; internal set; }

    /// <summary><c>u</c> of the last applied depth message.</summary>
    public long LastAppliedUpdateId { get; internal set; }

    /// <summary><c>E</c> of the last applied depth message, ms since the Unix epoch.</summary>
    public long LastAppliedEventTimeMs { get; internal set; }

    /// <summary>Depth messages received (applied, buffered or dropped).</summary>
    public long DepthMessages { get; internal set; }

    /// <summary>Snapshots loaded.</summary>
    public long Snapshots { get; internal set; }

    /// <summary>Snapshots not loaded because they reached a live book already at or past their <c>lastUpdateId</c>
    /// (a resync answered after the stream, which never broke at the core, had moved on).</summary>
    public long SnapshotsBehindBook { get; internal set; }

    /// <summary>Snapshots the core asked for (<see cref="Outbound.SnapshotRequest"/> records on the outbound ring), one per
    /// transition out of sync, whether or not anything serves them.</summary>
    public long SnapshotRequests { get; internal set; }

    /// <summary>Sequence breaks detected (futures <c>pu</c> ≠ previous <c>u</c>, spot <c>U</c> ≠ previous <c>u</c> + 1, or a
    /// first diff that does not bracket the snapshot). Each leaves the book unsynced until a later snapshot.</summary>
    public long Gaps { get; internal set; }

    /// <summary>
    /// Diffs dropped as duplicates: their <c>u</c> was at or below the last applied <c>u</c> of the live book (or the last
    /// buffered <c>u</c> while awaiting a snapshot), so they held nothing the book lacked (the same diff delivered twice).
    /// Not a gap: the book stays synced, nothing is lost and no snapshot is requested.
    /// </summary>
    public long DuplicateDiffs { get; internal set; }

    /// <summary>Applied messages after which the best bid was at or above the best ask.</summary>
    public long CrossedBooks { get; internal set; }

    /// <summary>Buffered or incoming diffs dropped because they end before the snapshot (futures <c>u &lt; lastUpdateId</c>,
    /// spot <c>u ≤ lastUpdateId</c>).</summary>
    public long DroppedBeforeSnapshot { get; internal set; }

    /// <summary>Diffs discarded because the buffer held while awaiting a snapshot was full.</summary>
    public long PendingOverflowMessages { get; internal set; }

    /// <summary>Diff messages received while the book was awaiting a snapshot.</summary>
    public long BufferedMessages { get; internal set; }

    /// <summary>bookTicker events received.</summary>
    public long BookTickers { get; internal set; }

    /// <summary>Trade and aggTrade events received.</summary>
    public long Trades { get; internal set; }

    /// <summary>The last bookTicker received (all fields as decoded); <see cref="MarketEvent.Kind"/> is None before any.</summary>
    public MarketEvent LastBookTicker { get; internal set; }

    /// <summary>Ring sequence of the first crossed-book message, -1 if none.</summary>
    public long FirstCrossedSequence { get; internal set; } = -1;
}
