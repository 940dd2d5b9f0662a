namespace OptiFlow.Journal;

/// <summary>What <see cref="JournalScanner.Scan"/> found in a journal: its good records, where it ends and every damage.</summary>
/// <remarks>Immutable once returned: thread-safe. Allocated once per scan (cold path).</remarks>
public sealed class JournalScanReport
{
    internal JournalScanReport(string directory) => Directory = directory;

    /// <summary>Full path of the journal directory.</summary>
    public string Directory { get; }

    /// <summary>Segment size read from the first valid header; 0 when no header was valid.</summary>
    public int SegmentSize { get; internal set; }

    /// <summary>Every segment file found, in position order (full paths).</summary>
    public IReadOnlyList<string> SegmentFiles { get; internal set; } = [];

    /// <summary>Good records before the first damage (padding excluded).</summary>
    public long Records { get; internal set; }

    /// <summary>Good <see cref="JournalRecordType.MarketEvent"/> records.</summary>
    public long MarketEvents { get; internal set; }

    /// <summary>Good <see cref="JournalRecordType.Signal"/> records.</summary>
    public long Signals { get; internal set; }

    /// <summary>Good <see cref="JournalRecordType.OrderCommand"/> records.</summary>
    public long OrderCommands { get; internal set; }

    /// <summary>Good <see cref="JournalRecordType.SnapshotRequest"/> records (an outbound journal's snapshot requests).</summary>
    public long SnapshotRequests { get; internal set; }

    /// <summary>Good <see cref="JournalRecordType.EvaluatorRecord"/> records (an outbound journal's evaluator outputs).</summary>
    public long EvaluatorRecords { get; internal set; }

    /// <summary>Good <see cref="JournalRecordType.SessionHeader"/> records (1 in a session's inbound journal).</summary>
    public long SessionHeaders { get; internal set; }

    /// <summary>Good <see cref="JournalRecordType.RunSummary"/> records (1 in the inbound journal of a session that finished).</summary>
    public long RunSummaries { get; internal set; }

    /// <summary>
    /// Whether the journal is a session's and whether that session finished: <see cref="JournalSessionState.Complete"/>
    /// with a run summary, <see cref="JournalSessionState.Incomplete"/> with a session header and no run summary (the run
    /// was killed or failed before it finished: its records are a prefix of what it would have written),
    /// <see cref="JournalSessionState.None"/> without a session header (an outbound stream, a copy, a journal written
    /// through the API).
    /// </summary>
    public JournalSessionState Session =>
        RunSummaries > 0 ? JournalSessionState.Complete
        : SessionHeaders > 0 ? JournalSessionState.Incomplete
        : JournalSessionState.None;

    /// <summary>Sequence of the last good MarketEvent, Signal or OrderCommand record; -1 when none.</summary>
    public long LastSequence { get; internal set; } = -1;

    /// <summary>Smallest non-zero record timestamp, ns since the Unix epoch; 0 when none.</summary>
    public long FirstTimestampNs { get; internal set; }

    /// <summary>Largest record timestamp, ns since the Unix epoch; 0 when none.</summary>
    public long LastTimestampNs { get; internal set; }

    /// <summary>Journal position just after the last good record: where a resuming writer appends (the next segment's first frame when the last segment was closed).</summary>
    public long EndPosition { get; internal set; }

    /// <summary>How the journal ends.</summary>
    public JournalTailState Tail { get; internal set; }

    /// <summary>Full path of the file holding the tail damage; null when <see cref="Tail"/> is <see cref="JournalTailState.Clean"/>.</summary>
    public string? TailSegmentFile { get; internal set; }

    /// <summary>Offset in <see cref="TailSegmentFile"/> where the tail damage starts (what <see cref="JournalScanner.Truncate"/> zeroes from).</summary>
    public long TailOffset { get; internal set; }

    /// <summary>Non-zero bytes from <see cref="TailOffset"/> to the last non-zero byte of that file: what a truncation discards.</summary>
    public long TailBytes { get; internal set; }

    /// <summary>A headerless last segment file (prepared by the writer, never used) that follows a torn or uncommitted tail in the segment before it; deleted by <see cref="JournalScanner.Truncate"/>. Null otherwise.</summary>
    internal string? UnusedSegmentFile { get; set; }

    /// <summary>Every damage found, in position order; the tail damage, if any, is last.</summary>
    public IReadOnlyList<JournalDamage> Damage { get; internal set; } = [];

    /// <summary>True when nothing is damaged: every frame checks out and the tail is clean.</summary>
    public bool IsIntact => Damage.Count == 0;

    /// <summary>True when some damage is not at the tail (a mid-journal CRC mismatch, a missing segment): it cannot be cut without losing committed data.</summary>
    public bool HasDamageBeforeTail => Damage.Any(d => !d.IsTail);
}
