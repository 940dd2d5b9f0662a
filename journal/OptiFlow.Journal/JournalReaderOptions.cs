namespace OptiFlow.Journal;

/// <summary>How a <see cref="JournalReader"/> reads.</summary>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record JournalReaderOptions
{
    /// <summary>The defaults: every frame checked on the reading thread, no extra thread.</summary>
    public static JournalReaderOptions Default { get; } = new();

    /// <summary>
    /// Checks frames ahead of the reading thread on a thread of its own (<c>optiflow-journal-readahead</c>): that thread
    /// maps the segments that exist when the reader opens, checks every frame (lengths, CRC-32C, types; which also
    /// faults the pages in) at most one segment ahead of the reader, and unmaps the segments the reader is done with.
    /// The reading thread then only checks the frames it gets to first (it never waits for the other thread), so every
    /// record is still checked exactly once before it is returned and a damaged one is reported the same way
    /// (<see cref="JournalCorruptException"/> from <see cref="JournalReader.TryRead"/>, same message). Worth it with a
    /// CPU to spare (a replay: measured in perf/ARCHIVE.md, "Replay read-ahead"); false (the default) uses no extra
    /// thread. A seek (<see cref="JournalReader.SeekToPosition"/>, <see cref="JournalReader.SeekToTime"/>) ends the
    /// read-ahead: the reader checks every frame itself from then on; so do segments created after the reader opened.
    /// </summary>
    public bool ReadAhead { get; init; }

    /// <summary>True when this process may run on more than one CPU (<see cref="Environment.ProcessorCount"/>, which follows the affinity mask, e.g. <c>taskset</c>): the condition under which a replay turns <see cref="ReadAhead"/> on.</summary>
    public static bool HasSpareCpu => Environment.ProcessorCount > 1;
}
