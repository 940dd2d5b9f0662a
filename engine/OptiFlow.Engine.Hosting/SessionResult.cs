using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Journal;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// Everything a stopped <see cref="EngineSession"/> measured and counted: producer counts, the core (its books,
/// counters, digests and latency histograms), journal and consumer figures, allocation windows and elapsed time.
/// </summary>
/// <remarks>Built once by <see cref="EngineSession.Stop"/>; read-only afterwards. Latencies are in ns.</remarks>
public sealed class SessionResult
{
    /// <summary>The options the session ran with.</summary>
    public required EngineOptions Options { get; init; }

    /// <summary>The sync rule the session ran.</summary>
    public required Market Market { get; init; }

    /// <summary>The input files of a file session, in reading order (empty for a live session).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The core after it stopped: books (<see cref="MarketCore.Symbols"/>), counters, digests, histograms.</summary>
    public required MarketCore Core { get; init; }

    /// <summary>The session's symbol table.</summary>
    public required SymbolTable Symbols { get; init; }

    /// <summary>Final books of every symbol with depth data, in order of first appearance.</summary>
    public IReadOnlyList<BookResult> Books => BookResult.From(Core, Symbols.NameOf);

    /// <summary>Frames the producers read (file) or received (live).</summary>
    public required long Frames { get; init; }

    /// <summary>Frames of streams not decoded (counted, not published).</summary>
    public required long IgnoredFrames { get; init; }

    /// <summary>Unknown JSON fields the decoders skipped.</summary>
    public required long UnknownFieldsSkipped { get; init; }

    /// <summary>Inbound slots published.</summary>
    public required long PublishedSlots { get; init; }

    /// <summary>Frame complete → decoded and published, ns (stage 1).</summary>
    public required LatencyHistogram PublishLatency { get; init; }

    /// <summary>Published → picked up by the core, ns (stage 2).</summary>
    public LatencyHistogram PickupLatency => Core.PickupLatency;

    /// <summary>Frame received → picked up by the core, ns.</summary>
    public LatencyHistogram ReceiveToCoreLatency => Core.ReceiveToCoreLatency;

    /// <summary>Core handling per event, ns (stage 3).</summary>
    public LatencyHistogram HandlingLatency => Core.HandlingLatency;

    /// <summary>Signals the core emitted.</summary>
    public long SignalCount => Core.SignalCount;

    /// <summary>CRC-32C over every signal emitted, in order.</summary>
    public uint SignalDigest => Core.SignalDigest;

    /// <summary>CRC-32C over every book (<see cref="MarketCore.BooksDigest"/>).</summary>
    public uint BooksDigest => Core.BooksDigest();

    /// <summary>How each evaluator and strategy went (calls, records, orders, quarantine), in call order; empty when none ran.</summary>
    public IReadOnlyList<Engine.Evaluators.EvaluatorStatus> Evaluators => Core.Evaluators?.Status ?? [];

    /// <summary>What the order gateway did, or null when the session did not trade (<see cref="EngineOptions.Trading"/>).</summary>
    public Trading.TradingResult? Trading { get; init; }

    /// <summary>Bytes the producer thread allocated in steady state; -1 if the window never opened (live: see the client).</summary>
    public required long ProducerSteadyStateBytes { get; init; }

    /// <summary>Garbage collections (any generation) that ran while the producer's window was open.</summary>
    public required int CollectionsInProducerWindow { get; init; }

    /// <summary>Bytes the inbound journal thread allocated in steady state; -1 without a journal or a window. With
    /// <see cref="JournalOnCoreThread"/>, the core's thread (the window of the journal's handler on it).</summary>
    public required long JournalSteadyStateBytes { get; init; }

    /// <summary>Whether the core's thread journaled the inbound events (<see cref="EngineOptions.JournalPlacement"/>);
    /// false with a journal thread of its own or without a journal.</summary>
    public bool JournalOnCoreThread { get; init; }

    /// <summary>Batches the journal processor held under <see cref="EngineOptions.JournalLinger"/> (0 without one).</summary>
    public required long JournalLingerCount { get; init; }

    /// <summary>Times the recording's producer found the inbound ring nearly full and slept until half of it was free
    /// (throughput mode: a batching core, <see cref="EngineOptions.RecordingWaitStrategy"/>); 0 otherwise.</summary>
    public long FullRingSleeps { get; init; }

    /// <summary>Records in the inbound journal (0 without one).</summary>
    public required long JournalRecords { get; init; }

    /// <summary>Bytes written to the inbound journal.</summary>
    public required long JournalBytes { get; init; }

    /// <summary>Records in the outbound journal (signals, snapshot requests, order commands; 0 without one).</summary>
    public required long OutboundJournalRecords { get; init; }

    /// <summary>
    /// The first journal I/O failure (a full disk, a file-size limit, an msync error), or null. With one, the run
    /// summary was not written: the journal holds every record committed before the failure and verifies as an
    /// incomplete session. See <see cref="ThrowIfJournalFailed"/>.
    /// </summary>
    public JournalIOException? JournalFailure { get; init; }

    /// <summary>The inbound journal's directory, or null without a journal.</summary>
    public string? JournalDirectory { get; init; }

    /// <summary>Handler exceptions on the core thread.</summary>
    public required long CoreFaults { get; init; }

    /// <summary>Handler exceptions on the inbound journal thread.</summary>
    public required long JournalFaults { get; init; }

    /// <summary>Handler exceptions on the outbound consumers' threads (journal, handlers, request consumer).</summary>
    public required long OutboundFaults { get; init; }

    /// <summary>
    /// Recording files whose gzip data was damaged or cut, in the order met (empty when none): each message is one line
    /// naming the file, the line and the compressed offset. Everything before a damage was published and counted; the
    /// rest of that file was skipped, and the session went on with its next file.
    /// </summary>
    public IReadOnlyList<Adapters.Binance.Recording.DamagedRecordingException> DamagedInputs { get; init; } = [];

    /// <summary>A live session's feed (how the client finished, why it failed, each book combined with its feed); null
    /// for a recording session.</summary>
    public LiveFeedResult? Live { get; init; }

    /// <summary>Wall-clock time from <see cref="EngineSession.Start"/> to the end of <see cref="EngineSession.Stop"/>.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Throws <see cref="JournalFailure"/> when there is one (after the caller printed what the run measured).</summary>
    /// <exception cref="JournalIOException">A journal failed during the session.</exception>
    public void ThrowIfJournalFailed()
    {
        if (JournalFailure is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Whether the data had errors a run reports: decode errors, handler exceptions, gaps, crossed books, or
    /// diffs lost to a full resync buffer.</summary>
    /// <remarks>
    /// Duplicate diffs (<see cref="SymbolState.DuplicateDiffs"/>) are not data errors: the same diff delivered again
    /// holds nothing new, so nothing is lost and the book is what it would have been; they are counted and reported, and
    /// a session with only duplicates ends with exit code 0. Damaged compressed input (<see cref="DamagedInputs"/>) is a
    /// data error: it arrives as a <see cref="DecodeErrorCode.CorruptInput"/> or <see cref="DecodeErrorCode.TruncatedInput"/>
    /// decode error too.
    /// </remarks>
    public bool HadDataErrors
    {
        get
        {
            if (Core.DecodeErrors > 0 || CoreFaults > 0 || JournalFaults > 0 || OutboundFaults > 0)
            {
                return true;
            }

            foreach (var state in Core.Symbols)
            {
                if (state.Gaps > 0 || state.CrossedBooks > 0 || state.PendingOverflowMessages > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
