namespace OptiFlow.Journal;

/// <summary>When a <see cref="JournalWriter"/> forces written records from the page cache to the device (msync).</summary>
/// <remarks>
/// <para>Every level survives a crash of the writing process (SIGKILL, an unhandled exception): records live in the
/// shared page cache as soon as they are committed, and the kernel writes them back. What differs is a crash of the
/// <b>machine</b> (power loss, kernel panic):</para>
/// <list type="table">
/// <item><term><see cref="PageCache"/> (0)</term><description>No msync at all. A machine crash loses whatever the
/// kernel had not yet written back (typically up to ~30 s, <c>vm.dirty_expire_centisecs</c>), possibly leaving a torn
/// tail that recovery cuts. Costs nothing on the hot path. The default.</description></item>
/// <item><term><see cref="FlushOnRoll"/> (1)</term><description>msync of each segment when it is closed (and on
/// dispose). A machine crash loses at most the records of the segment being written; every closed segment is on the
/// device. One blocking msync per segment, on the writer thread.</description></item>
/// <item><term><see cref="FlushPeriodically"/> (2)</term><description>msync every
/// <see cref="JournalOptions.FlushEveryRecords"/> records, and at a batch end when
/// <see cref="JournalOptions.FlushIntervalMs"/> has passed since the last one, plus level 1. A machine crash loses at
/// most the last N records or T ms. Each msync blocks the writer thread (tens of µs to ms): the ring absorbs it, but
/// the producer may see back-pressure.</description></item>
/// </list>
/// <para>No level survives losing the device itself; replicate for that. Values are stable: they appear in
/// configuration and session headers.</para>
/// </remarks>
public enum JournalDurability
{
    /// <summary>Level 0: page cache only; survives a process crash, not a machine crash.</summary>
    PageCache = 0,

    /// <summary>Level 1: msync when a segment is closed; a machine crash loses at most the open segment.</summary>
    FlushOnRoll = 1,

    /// <summary>Level 2: msync every N records or T ms (and on roll); a machine crash loses at most N records or T ms.</summary>
    FlushPeriodically = 2,
}
