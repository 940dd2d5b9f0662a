using System.Globalization;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Journal.Session;

namespace OptiFlow.Engine.Hosting;

/// <summary>Builds the session header and run summary records (formats owned by journal/) from a session's state.</summary>
/// <remarks>Cold path (once per run): allocates. Stateless: thread-safe.</remarks>
public static class SessionRecords
{
    /// <summary>The header of a session about to start.</summary>
    /// <param name="options">The session's options.</param>
    /// <param name="market">Its sync rule.</param>
    /// <param name="files">Input files (empty live).</param>
    /// <param name="venue">The live venue, or null.</param>
    /// <param name="symbols">The symbol table as configured.</param>
    /// <param name="segmentSize">The inbound journal's segment size; 0: <see cref="EngineOptions.JournalSegmentSize"/> or the default.</param>
    /// <returns>The record.</returns>
    public static SessionHeaderRecord Header(EngineOptions options, Market market, IReadOnlyList<string> files, string? venue, SymbolTable symbols, int segmentSize = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(symbols);
        return new SessionHeaderRecord
        {
            Version = SessionHeaderDescriptor.Version,
            Market = market.ToString(),
            Files = [.. files.Select(Path.GetFullPath)],
            Venue = venue,
            RingSize = options.RingSize,
            EventLayoutVersion = MarketEventDescriptor.Version,
            StartedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            JournalFormatVersion = JournalDescriptor.Version,
            SignalLayoutVersion = SignalRecordDescriptor.Version,
            SymbolCapacity = symbols.Capacity,
            SegmentSize = segmentSize > 0 ? segmentSize : options.JournalSegmentSize ?? JournalDescriptor.DefaultSegmentSize,
            Durability = options.JournalDurability.ToString(),
            WaitStrategy = options.CoreWaitStrategy.ToString(),
            JournalWaitStrategy = options.EffectiveJournalWaitStrategy.ToString(),
            SteadyStateAfter = options.SteadyStateAfter,
            Symbols = Names(symbols),
            Evaluators = [.. options.Evaluators.Select(f => new EvaluatorSpecRecord(f.Name, f.Configuration))],
            Trading = options.Trading?.Mode switch
            {
                null => null,
                Trading.TradingMode.Paper => "paper",
                Trading.TradingMode.Simulator => "sim",
                Trading.TradingMode.Live => "live",
                var other => other.ToString()!.ToLowerInvariant(),
            },
            TradingKeyId = options.Trading?.KeyId,
        };
    }

    /// <summary>The summary of a stopped core.</summary>
    /// <param name="core">The core, stopped.</param>
    /// <param name="symbols">The session's symbol table.</param>
    /// <returns>The record.</returns>
    public static RunSummaryRecord Summary(MarketCore core, SymbolTable symbols)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(symbols);
        var books = new List<BookSummaryRecord>();
        long requests = 0;
        foreach (var state in core.Symbols)
        {
            var book = state.Book;
            requests += state.SnapshotRequests;
            books.Add(new BookSummaryRecord(
                state.SymbolId,
                state.Applied,
                state.LastAppliedUpdateId,
                book.Digest(),
                book.Bids.Count > 0 ? FixedPoint.ToString(book.Bids.PriceAt(0)) : "",
                book.Asks.Count > 0 ? FixedPoint.ToString(book.Asks.PriceAt(0)) : "",
                state.Gaps,
                state.CrossedBooks));
        }

        return new RunSummaryRecord(Names(symbols), core.EventCount, core.SignalCount, core.SignalDigest, core.BooksDigest(), books)
        {
            Version = RunSummaryDescriptor.Version,
            SnapshotRequests = requests,
            EvaluatorRecords = core.Evaluators?.Status.Sum(s => s.RecordsEmitted) ?? 0,
            OrderCommands = core.Evaluators?.Status.Sum(s => s.OrdersEmitted) ?? 0,
            QuarantinedEvaluators = core.Evaluators?.Quarantined ?? 0,
        };
    }

    private static List<string> Names(SymbolTable symbols)
    {
        var names = new List<string>(symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            names.Add(symbols.NameOf(i));
        }

        return names;
    }
}
