namespace OptiFlow.Journal.Session;

/// <summary>
/// Format of the <see cref="JournalRecordType.SessionHeader"/> record's payload (<see cref="SessionHeaderRecord"/>):
/// one UTF-8 JSON object, camelCase property names, written once as the first record of an inbound journal.
/// </summary>
/// <remarks>
/// <code>
/// {
///   "version": 1,                       // this descriptor's Version; absent (0) in journals written before it existed
///   "market": "Futures" | "Spot",       // the book-sync rule the session ran
///   "files": ["/abs/path", …],          // inputs of a file session, in order ([] live)
///   "venue": "…" | null,                // the live venue, or null for a file session
///   "ringSize": 65536,                  // inbound ring slots
///   "eventLayoutVersion": N,            // MarketEventDescriptor.Version
///   "startedUtc": "ISO 8601",           // wall clock at the start (informational; never compared)
///   "journalFormatVersion": N,          // JournalDescriptor.Version
///   "signalLayoutVersion": N,           // SignalRecordDescriptor.Version
///   "symbolCapacity": N,                // symbol table capacity (ids are below it)
///   "segmentSize": N,                   // bytes
///   "durability": "PageCache" | …,      // JournalDurability
///   "waitStrategy": "Yielding" | …,     // the core's wait strategy
///   "journalWaitStrategy": "…",         // the journal consumers' wait strategy (since version 1)
///   "steadyStateAfter": N,              // events before the allocation window opens
///   "symbols": ["BTCUSDT", …],          // the symbol table at the start, index = id
///   "evaluators": [{"name": "…", "configuration": "…"}, …]  // evaluators in call order (since version 2)
/// }
/// </code>
/// Readers ignore properties they do not know and default the ones that are absent, so a newer field never breaks an
/// older journal; a change of a field's meaning bumps <see cref="Version"/>. Constants only: thread-safe.
/// </remarks>
public static class SessionHeaderDescriptor
{
    /// <summary>Version of the JSON shape written by this build.</summary>
    public const int Version = 2;
}
