using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Monitoring;

/// <summary>Reads a running core's counters, books and histograms into a <see cref="SessionProgress"/> (the part a
/// session and a replay share).</summary>
/// <remarks>Control threads only; allocates the snapshot. Thread-safety as <see cref="SessionProgress"/> describes: a full
/// fence first, then one plain 64-bit read per counter, each kept by its one writer.</remarks>
internal static class ProgressReader
{
    private static readonly DecodeErrorCode[] Codes = Enum.GetValues<DecodeErrorCode>();

    /// <summary>Reads <paramref name="core"/> into <paramref name="progress"/>.</summary>
    /// <param name="progress">The snapshot so far (source counts).</param>
    /// <param name="core">The core (running or stopped).</param>
    /// <param name="symbols">Symbol names by id (the session's frozen table, or a replay's header).</param>
    /// <param name="feed">Live: the symbol's feed state; null otherwise.</param>
    /// <param name="stages">Latency stages to read, in order.</param>
    /// <returns>The completed snapshot.</returns>
    public static SessionProgress WithCore(SessionProgress progress, MarketCore core, IReadOnlyList<string> symbols, Func<int, SymbolFeedState>? feed, IEnumerable<(string Key, LatencyHistogram? Histogram)> stages)
    {
        Interlocked.MemoryBarrier();
        var errors = new Dictionary<DecodeErrorCode, long>();
        foreach (var code in Codes)
        {
            var count = core.ErrorsOfCode(code);
            if (count > 0)
            {
                errors[code] = count;
            }
        }

        var books = new List<BookProgress>(symbols.Count);
        long depthUpdates = 0;
        long snapshots = 0;
        for (var id = 0; id < symbols.Count; id++)
        {
            var state = core.StateOf(id);
            var book = state is null
                ? new BookProgress(symbols[id], id, BookSyncState.AwaitingSnapshot, feed?.Invoke(id), 0, 0, 0, 0)
                : new BookProgress(symbols[id], id, state.SyncState, feed?.Invoke(id), state.DepthMessages, state.Gaps, state.SnapshotRequests, state.Snapshots);
            depthUpdates += book.DepthMessages;
            snapshots += book.Snapshots;
            books.Add(book);
        }

        var latency = new List<StageQuantiles>();
        foreach (var (key, histogram) in stages)
        {
            if (histogram is null)
            {
                continue;
            }

            var count = histogram.TotalCount;
            latency.Add(count == 0
                ? new StageQuantiles(key, 0, 0, 0, 0)
                : new StageQuantiles(key, count, histogram.ValueAtPercentile(50), histogram.ValueAtPercentile(99), histogram.ValueAtPercentile(99.9)));
        }

        return progress with
        {
            Events = core.EventCount,
            DecodeErrors = core.DecodeErrors,
            DecodeErrorsByCode = errors,
            BookTickers = core.EventsOfKind(MarketEventKind.BookTicker),
            DepthUpdates = depthUpdates,
            Snapshots = snapshots,
            Trades = core.EventsOfKind(MarketEventKind.Trade),
            AggTrades = core.EventsOfKind(MarketEventKind.AggTrade),
            MarkPrices = core.EventsOfKind(MarketEventKind.MarkPrice),
            ExecutionReports = core.EventsOfKind(MarketEventKind.ExecutionReport),
            Books = books,
            Latency = latency,
        };
    }
}
