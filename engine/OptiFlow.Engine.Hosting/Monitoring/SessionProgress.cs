using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Monitoring;

/// <summary>
/// Where a running session (<see cref="EngineSession.Progress"/>) or replay (<see cref="ReplayProgress.Read"/>) stands:
/// counts, books, ring backlog, latency quantiles and trading counts, read from another thread while it runs.
/// </summary>
/// <remarks>
/// <para>Taken on a control thread (a progress line, a status line, a metrics scrape), never by the engine's threads:
/// the hot threads keep their counters exactly as before (plain stores by their one writer) and nothing is pushed to the
/// reader. A snapshot issues a full fence, then reads each counter once (64-bit reads, whole on 64-bit platforms): each
/// count is exact at the moment it was read or a little behind, and two counts are not taken at the same instant (the
/// frames read may be ahead of the events the core handled). Latency quantiles are computed from histograms their thread
/// is still writing, so a quantile may miss the last few samples. After the session or replay has finished, every count
/// is final.</para>
/// <para>Immutable: thread-safe. Taking one allocates (a few small objects per symbol and stage).</para>
/// </remarks>
public sealed record SessionProgress
{
    /// <summary>Time since the session started (a replay: since it started reading).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Frames the source read (a recording) or received (live, all connections); 0 for a replay.</summary>
    public long Frames { get; init; }

    /// <summary>Frames of streams not decoded (counted, not published).</summary>
    public long IgnoredFrames { get; init; }

    /// <summary>
    /// A recording: bytes of input read, against <see cref="InputBytesTotal"/>. Counted as each frame's bytes plus its line
    /// end, so it runs a few percent behind within a file (a line's prefix, such as hftbacktest's timestamp, is not
    /// counted) and catches up at each file's end; equal to the total once <see cref="SourceFinished"/>. 0 live and in a replay.
    /// </summary>
    public long InputBytesRead { get; init; }

    /// <summary>A recording: its uncompressed size in bytes (a <c>.gz</c> file's size from its gzip trailer,
    /// <see cref="JournalSizing.UncompressedSize"/>); 0 when unknown (live, replay).</summary>
    public long InputBytesTotal { get; init; }

    /// <summary>Whether the source has ended: the recording was read to its end, the live client finished, the replay
    /// read the whole journal.</summary>
    public bool SourceFinished { get; init; }

    /// <summary>Inbound events the core handled (level slots count one each).</summary>
    public long Events { get; init; }

    /// <summary>A replay: the events its journal's run summary says the session handled (the replay's total); 0 when
    /// unknown (no run summary, or not a replay).</summary>
    public long ExpectedEvents { get; init; }

    /// <summary>Inbound ring backlog: events published and not yet handled by the core (the ring's cursor − the core's
    /// sequence); 0 for a replay.</summary>
    public long RingBacklog { get; init; }

    /// <summary>Decode-error events the core counted.</summary>
    public long DecodeErrors { get; init; }

    /// <summary>Decode errors by code, the codes seen only.</summary>
    public IReadOnlyDictionary<DecodeErrorCode, long> DecodeErrorsByCode { get; init; } = new Dictionary<DecodeErrorCode, long>();

    /// <summary>bookTicker frames the core handled.</summary>
    public long BookTickers { get; init; }

    /// <summary>Depth-update messages the core handled (all symbols).</summary>
    public long DepthUpdates { get; init; }

    /// <summary>Depth snapshots loaded (all symbols).</summary>
    public long Snapshots { get; init; }

    /// <summary>trade frames the core handled.</summary>
    public long Trades { get; init; }

    /// <summary>aggTrade frames the core handled.</summary>
    public long AggTrades { get; init; }

    /// <summary>markPriceUpdate frames the core handled.</summary>
    public long MarkPrices { get; init; }

    /// <summary>Execution reports the core handled (trading).</summary>
    public long ExecutionReports { get; init; }

    /// <summary>Every configured symbol's book, in symbol-id order.</summary>
    public IReadOnlyList<BookProgress> Books { get; init; } = [];

    /// <summary>Latency stages (those that measure anything in this session), in pipeline order.</summary>
    public IReadOnlyList<StageQuantiles> Latency { get; init; } = [];

    /// <summary>The order gateway's counts, or null when the session does not trade.</summary>
    public TradingProgress? Trading { get; init; }

    /// <summary>Sequence breaks over every book.</summary>
    public long Gaps => Books.Sum(b => b.Gaps);

    /// <summary>Resyncs (snapshots asked for by the core) over every book.</summary>
    public long Resyncs => Books.Sum(b => b.Resyncs);
}
