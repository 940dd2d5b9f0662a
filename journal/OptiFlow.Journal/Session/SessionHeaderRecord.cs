using System.Text.Json;

namespace OptiFlow.Journal.Session;

/// <summary>
/// The configuration a session journals at its start: everything a replay needs besides the events, so a journal
/// replays with nothing else (format: <see cref="SessionHeaderDescriptor"/>).
/// </summary>
/// <remarks>
/// Symbols interned before the session started are listed here; the journal also names every id it uses in Symbol
/// records written before their first event. Immutable: thread-safe. Serialising allocates (cold path, once per run).
/// </remarks>
public sealed record SessionHeaderRecord
{
    /// <summary><see cref="SessionHeaderDescriptor.Version"/> of the writer; 0 when the journal predates it.</summary>
    public int Version { get; init; }

    /// <summary>The book-sync rule: <c>Futures</c> or <c>Spot</c>.</summary>
    public string Market { get; init; } = "";

    /// <summary>Input files of a file session (absolute paths, in order); empty for a live session.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The live venue, or null for a file session.</summary>
    public string? Venue { get; init; }

    /// <summary>Inbound ring slots.</summary>
    public int RingSize { get; init; }

    /// <summary><c>MarketEventDescriptor.Version</c> of the writer.</summary>
    public int EventLayoutVersion { get; init; }

    /// <summary>Wall-clock start, ISO 8601 UTC (informational: never compared).</summary>
    public string StartedUtc { get; init; } = "";

    /// <summary><see cref="JournalDescriptor.Version"/> of the writer.</summary>
    public int JournalFormatVersion { get; init; }

    /// <summary><see cref="SignalRecordDescriptor.Version"/> of the writer.</summary>
    public int SignalLayoutVersion { get; init; }

    /// <summary>Symbol table capacity: every id is below it.</summary>
    public int SymbolCapacity { get; init; }

    /// <summary>Journal segment size, bytes.</summary>
    public int SegmentSize { get; init; }

    /// <summary>Journal durability level name.</summary>
    public string Durability { get; init; } = "";

    /// <summary>The core's wait strategy.</summary>
    public string WaitStrategy { get; init; } = "";

    /// <summary>The journal consumers' wait strategy (empty before version 1).</summary>
    public string JournalWaitStrategy { get; init; } = "";

    /// <summary>Events after which the steady-state allocation window opened.</summary>
    public long SteadyStateAfter { get; init; }

    /// <summary>The symbol table at the start (index = id).</summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>The evaluators the core ran, in call order (empty before version 2, or when none ran): a replay builds
    /// the same ones from these, so it reproduces their records and order commands.</summary>
    public IReadOnlyList<EvaluatorSpecRecord> Evaluators { get; init; } = [];

    /// <summary>Where the session's order commands went: <c>paper</c>, <c>sim</c> or <c>live</c>; null when it did not trade (no gateway).</summary>
    public string? Trading { get; init; }

    /// <summary>The id of the API key the venue session used (<c>ApiCredentials.KeyId</c>: never the key or its secret); null for paper or no trading.</summary>
    public string? TradingKeyId { get; init; }

    /// <summary>The record's payload: UTF-8 JSON.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, SessionRecordJson.Options);

    /// <summary>Appends this header to <paramref name="writer"/> as a <see cref="JournalRecordType.SessionHeader"/> record.</summary>
    /// <param name="writer">The inbound journal (its first record).</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void AppendTo(JournalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.AppendBlob(JournalRecordType.SessionHeader, ToUtf8());
    }

    /// <summary>Parses a record's payload.</summary>
    /// <param name="utf8">The payload.</param>
    /// <returns>The header.</returns>
    /// <exception cref="JournalFormatException">The payload is not a session header.</exception>
    public static SessionHeaderRecord Parse(ReadOnlySpan<byte> utf8) => SessionRecordJson.Parse<SessionHeaderRecord>(utf8, "session header");
}
