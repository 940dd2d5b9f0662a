namespace OptiFlow.Journal;

/// <summary>Settings of a <see cref="JournalWriter"/>.</summary>
/// <remarks>An immutable settings object (init-only): thread-safe to share once built. Validated by the writer's constructor.</remarks>
public sealed class JournalOptions
{
    /// <summary>Settings with every default: 64 MiB segments, no overwrite, the system clock.</summary>
    public static JournalOptions Default { get; } = new();

    /// <summary>
    /// Size of every segment file in bytes: a power of two from <see cref="JournalDescriptor.MinSegmentSize"/> (4 KiB)
    /// to <see cref="JournalDescriptor.MaxSegmentSize"/> (1 GiB); default <see cref="JournalDescriptor.DefaultSegmentSize"/> (64 MiB).
    /// </summary>
    /// <remarks>It also bounds a blob: at most <see cref="RecordDescriptor.MaxPayloadLength(int)"/> bytes.</remarks>
    public int SegmentSize { get; init; } = JournalDescriptor.DefaultSegmentSize;

    /// <summary>
    /// When true, a directory that holds an OptiFlow journal is reused: the writer deletes that journal's own segment
    /// files (under its lock) before writing. When false (the default), such a directory is refused with a
    /// <see cref="JournalDirectoryException"/> (<see cref="JournalDirectoryRefusal.ExistingJournal"/>). A directory
    /// holding anything else is refused either way (<see cref="JournalDirectories"/>); nothing in it is ever deleted.
    /// </summary>
    public bool Overwrite { get; init; }

    /// <summary>When records are forced to the device; default <see cref="JournalDurability.PageCache"/> (level 0). See <see cref="JournalDurability"/> for what each level survives.</summary>
    public JournalDurability Durability { get; init; } = JournalDurability.PageCache;

    /// <summary>Level 2 only: msync after this many records since the last msync (at least 1; default 4096).</summary>
    public int FlushEveryRecords { get; init; } = 4096;

    /// <summary>Level 2 only: msync at a batch end when this many ms passed since the last msync (at least 1; default 100).</summary>
    public int FlushIntervalMs { get; init; } = 100;

    /// <summary>
    /// When true (the default), every segment the writer creates or resumes is pre-faulted writable by a background
    /// thread (Linux <c>madvise(MADV_POPULATE_WRITE)</c>, kernel 5.14+): a thread-pool thread, or the segment preparer's
    /// for a segment prepared ahead (<see cref="PrepareSegments"/>), so the writer's first store to each page does not fault. Costs that thread's time once per segment (tens of ms per 64 MiB), never the writer's. Where
    /// it is unavailable, <see cref="JournalWriter.PrefaultError"/> says why and the writer takes the faults.
    /// </summary>
    public bool Prefault { get; init; } = true;

    /// <summary>
    /// When true (the default), a background thread creates, maps and (with <see cref="Prefault"/>) pre-faults the next
    /// segment while the writer fills the second half of the current one, and unmaps the closed one, so that a roll on the writer thread
    /// only writes the new segment's header: it allocates nothing and makes no file-system call. When false, the writer
    /// creates each segment itself at the roll (allocating its file name, handle and mapping). Either way the journal is
    /// the same; while the writer runs, the prepared segment is a headerless last file that readers skip, and
    /// <see cref="JournalWriter.Dispose"/> deletes it when unused.
    /// </summary>
    public bool PrepareSegments { get; init; } = true;

    /// <summary>
    /// When true (the default), <see cref="JournalWriter.Append(ref OptiFlow.Engine.Model.MarketEvent, long)"/> writes a
    /// market event as a <see cref="JournalRecordType.MarketEventDelta"/> record: only the 8-byte words that differ from
    /// the market event before it in the segment (a segment's first is written whole). On Binance depth data that is
    /// ~63 bytes per event instead of 160, so the journal takes ~2.5× fewer pages to write, pre-fault and read back.
    /// When false, every market event is a whole <see cref="JournalRecordType.MarketEvent"/> record of 160 bytes (for
    /// tools of your own that read frames directly). Readers read both.
    /// </summary>
    public bool DeltaMarketEvents { get; init; } = true;

    /// <summary>Test hook: creates the prepared segment of an index instead of <c>MappedSegment.Create</c> (to inject failures).</summary>
    internal Func<long, Segments.MappedSegment>? SegmentFactory { get; init; }

    /// <summary>Clock for segment creation times (<see cref="JournalDescriptor.CreationTimeNsOffset"/>) and blob record timestamps; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
