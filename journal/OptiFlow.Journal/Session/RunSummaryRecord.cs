using System.Text.Json;

namespace OptiFlow.Journal.Session;

/// <summary>
/// What a finished session leaves at the end of its journal: the symbol table, the signal stream's count and digest,
/// and every book's digest and top of book, so a replay can say whether it reproduced them (format:
/// <see cref="RunSummaryDescriptor"/>).
/// </summary>
/// <remarks>Immutable: thread-safe. Serialising allocates (cold path, once per run).</remarks>
/// <param name="Symbols">The symbol table at the end (index = id).</param>
/// <param name="Events">Inbound events the core handled.</param>
/// <param name="SignalCount">Signals the core emitted.</param>
/// <param name="SignalDigest">CRC-32C over every signal's bytes, in order.</param>
/// <param name="BooksDigest">CRC-32C over every book.</param>
/// <param name="Books">Every book the core kept.</param>
public sealed record RunSummaryRecord(
    IReadOnlyList<string> Symbols,
    long Events,
    long SignalCount,
    uint SignalDigest,
    uint BooksDigest,
    IReadOnlyList<BookSummaryRecord> Books)
{
    /// <summary><see cref="RunSummaryDescriptor.Version"/> of the writer; 0 when the journal predates it.</summary>
    public int Version { get; init; }

    /// <summary>Snapshot requests the core emitted (0 before version 1).</summary>
    public long SnapshotRequests { get; init; }

    /// <summary>Evaluator records the core's evaluators emitted (faults included). Since version 2.</summary>
    public long EvaluatorRecords { get; init; }

    /// <summary>Order commands the core's evaluators emitted. Since version 2.</summary>
    public long OrderCommands { get; init; }

    /// <summary>Evaluators quarantined after throwing. Since version 2.</summary>
    public int QuarantinedEvaluators { get; init; }

    /// <summary>The record's payload: UTF-8 JSON.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, SessionRecordJson.Options);

    /// <summary>Appends this summary to <paramref name="writer"/> as a <see cref="JournalRecordType.RunSummary"/> record.</summary>
    /// <param name="writer">The inbound journal (its last record).</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void AppendTo(JournalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.AppendBlob(JournalRecordType.RunSummary, ToUtf8());
    }

    /// <summary>Parses a record's payload.</summary>
    /// <param name="utf8">The payload.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="JournalFormatException">The payload is not a run summary.</exception>
    public static RunSummaryRecord Parse(ReadOnlySpan<byte> utf8) => SessionRecordJson.Parse<RunSummaryRecord>(utf8, "run summary");
}
