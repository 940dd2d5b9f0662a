namespace OptiFlow.Journal.Session;

/// <summary>
/// Format of the <see cref="JournalRecordType.RunSummary"/> record's payload (<see cref="RunSummaryRecord"/>): one
/// UTF-8 JSON object, camelCase property names, written once as the last record of an inbound journal when the session
/// finished (a journal without it is incomplete: the run was killed or failed).
/// </summary>
/// <remarks>
/// <code>
/// {
///   "version": 1,                   // this descriptor's Version; absent (0) before it existed
///   "symbols": ["BTCUSDT", …],      // the symbol table at the end, index = id
///   "events": N,                    // inbound events the core handled
///   "signalCount": N,               // signals the core emitted
///   "signalDigest": N,              // CRC-32C over every signal's 104 bytes (96 before journal format 5), in order (uint32)
///   "booksDigest": N,               // CRC-32C over every book (MarketCore.BooksDigest, uint32)
///   "snapshotRequests": N,          // snapshot requests the core emitted (since version 1)
///   "evaluatorRecords": N,          // evaluator records emitted, faults included (since version 2)
///   "orderCommands": N,             // order commands emitted by strategies (since version 2)
///   "quarantinedEvaluators": N,     // evaluators that threw and were quarantined (since version 2)
///   "books": [ { "symbolId": N, "applied": N, "lastUpdateId": N, "digest": N,
///                "bestBid": "decimal" | "", "bestAsk": "decimal" | "", "gaps": N, "crossedBooks": N }, … ]
/// }
/// </code>
/// A replay compares its own core with these figures (events, signal stream, books). Readers ignore unknown
/// properties; a change of a field's meaning bumps <see cref="Version"/>. Constants only: thread-safe.
/// </remarks>
public static class RunSummaryDescriptor
{
    /// <summary>Version of the JSON shape written by this build.</summary>
    public const int Version = 2;
}
