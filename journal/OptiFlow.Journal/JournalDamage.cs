namespace OptiFlow.Journal;

/// <summary>One place where a journal is damaged, as <see cref="JournalScanner.Scan"/> found it.</summary>
/// <param name="SegmentFile">Full path of the segment file.</param>
/// <param name="Offset">Byte offset within the file of the damaged frame (0 for a header or file problem).</param>
/// <param name="Position">Journal position of the damage (segment base position + offset).</param>
/// <param name="Message">What is wrong, naming the file and offset.</param>
/// <param name="IsTail">True when it is the journal's tail (only zeros follow, in the last segment) and can be cut without losing a committed record; false for damage in the middle, which is never cut or skipped.</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record JournalDamage(string SegmentFile, long Offset, long Position, string Message, bool IsTail);
