namespace OptiFlow.Journal;

/// <summary>How a journal ends, as <see cref="JournalScanner.Scan"/> classifies what follows the last good record.</summary>
/// <remarks>Every state but <see cref="Clean"/> is damage at the tail: readers stop before it, <see cref="JournalScanner.Truncate"/> cuts it, and <see cref="JournalWriter.Resume"/> cuts it before appending.</remarks>
public enum JournalTailState
{
    /// <summary>The last good record is followed by zeros (or a padding frame, or the segment's end): nothing to cut.</summary>
    Clean,

    /// <summary>
    /// A zero length (nothing committed) followed by non-zero bytes: a record whose writer died after writing some of
    /// it but before its commit store. Readers never saw it; it was never acknowledged.
    /// </summary>
    Uncommitted,

    /// <summary>
    /// A committed length whose frame fails its checks (CRC-32C, payload length, bounds), with nothing but zeros after
    /// that frame: a write the machine lost part of (power loss at durability level 0), or a damaged last record.
    /// </summary>
    Torn,

    /// <summary>The last segment file is shorter than the segment size (cut by a copy or a full disk); records inside it are checked.</summary>
    Truncated,

    /// <summary>The last segment file has no complete header (no magic): the writer died while creating it.</summary>
    IncompleteSegment,
}
