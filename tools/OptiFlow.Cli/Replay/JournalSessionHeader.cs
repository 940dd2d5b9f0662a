using System.Globalization;
using System.Text.Json;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;

namespace OptiFlow.Cli.Replay;

/// <summary>
/// The SessionHeader record a run journals at its start (JSON): everything a replay needs besides the events, so a
/// journal replays with nothing else. A superset of <see cref="SessionHeader"/> (same property names), so older code
/// reading that type still parses it.
/// </summary>
/// <remarks>
/// Symbols interned before the run are listed here; symbols met during the run are journaled as Symbol records before
/// their first event (<see cref="JournalEventHandler"/>), so the journal always names every id it uses.
/// </remarks>
internal sealed record JournalSessionHeader(
    string Market,
    IReadOnlyList<string> Files,
    int RingSize,
    int EventLayoutVersion,
    string StartedUtc,
    int JournalFormatVersion,
    int SignalLayoutVersion,
    int SymbolCapacity,
    int SegmentSize,
    string Durability,
    string WaitStrategy,
    long SteadyStateAfter,
    IReadOnlyList<string> Symbols)
{
    public static JournalSessionHeader From(SessionOptions options, SymbolTable symbols)
    {
        var names = new List<string>();
        for (var i = 0; i < symbols.Count; i++)
        {
            names.Add(symbols.NameOf(i));
        }

        return new JournalSessionHeader(
            options.Market.ToString(),
            [.. options.Files.Select(Path.GetFullPath)],
            options.RingSize,
            MarketEventDescriptor.Version,
            DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            JournalDescriptor.Version,
            SignalRecordDescriptor.Version,
            symbols.Capacity,
            options.JournalSegmentSize,
            options.JournalDurability.ToString(),
            options.WaitStrategy.ToString(),
            options.SteadyStateAfter,
            names);
    }

    /// <summary>Journals the header for this run as the first record of <paramref name="writer"/>.</summary>
    public static void Write(JournalWriter writer, SessionOptions options, SymbolTable symbols) =>
        writer.AppendBlob(JournalRecordType.SessionHeader, JsonSerializer.SerializeToUtf8Bytes(From(options, symbols), RunSummary.JsonOptions));

    public static JournalSessionHeader Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<JournalSessionHeader>(utf8, RunSummary.JsonOptions) ?? throw new InvalidDataException("Empty session header record.");
}
