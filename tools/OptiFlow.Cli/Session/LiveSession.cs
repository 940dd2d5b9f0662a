using System.Diagnostics;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Cli.Output;
using OptiFlow.Cli.Replay;
using OptiFlow.Engine;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;

namespace OptiFlow.Cli.Session;

/// <summary>What a live run needs (<c>optiflow run --venue …</c>).</summary>
internal sealed class LiveSessionOptions
{
    public required BinanceVenue Venue { get; init; }

    public required IReadOnlyList<string> Symbols { get; init; }

    public required IReadOnlyList<string> Streams { get; init; }

    public Uri? Endpoint { get; init; }

    /// <summary>The simulator: finish at its "recording ended" close instead of reconnecting.</summary>
    public bool FinishOnRecordingEnd { get; init; }

    public string? BookOut { get; init; }

    public string? SignalsOut { get; init; }

    /// <summary>Journal directory (events, and the signals under <c>outbound/</c>), or null for none; replayed and
    /// compared at the end, as a file run's journal is.</summary>
    public string? JournalDirectory { get; init; }

    public int? CoreCpu { get; init; }

    public WaitStrategyKind WaitStrategy { get; init; } = WaitStrategyKind.Yielding;

    /// <summary>Stop after this long (null: until the venue ends the data or Ctrl+C).</summary>
    public TimeSpan? Duration { get; init; }
}

/// <summary>
/// Wires a live run: WebSocket receive threads and the snapshot control thread (<see cref="MarketDataClient"/>) →
/// multi-producer inbound ring → (core ∥ journal writer), both consumers gating the producers; prints the feed's
/// counters and latencies at the end, then replays the journal through a fresh core and compares, as a file run does.
/// </summary>
/// <remarks>
/// <code>
///  Binance / simulator ─► receive threads (decode, claim, publish) ─┐                                      ┌─► core ─► outbound ring ─► DIR/outbound/
///  REST snapshots     ─► control thread  (decode, claim, publish) ─┴─► [ inbound ring, multi-producer ] ─┴─► journal (JournalWriter, mmap) ─► DIR/
/// </code>
/// The journal holds the events in ring order, whichever thread published them, so the replay sees exactly what the
/// live core saw: the same SessionHeader, Symbol, MarketEvent and RunSummary records as a file run's journal.
/// </remarks>
internal static class LiveSession
{
    public static int Run(LiveSessionOptions options, TextWriter output)
    {
        var stopwatch = Stopwatch.StartNew();
        var symbols = new SymbolTable();
        // The buffers do not own their streams: the files are closed here, after the buffers' final flush.
        using var bookStream = options.BookOut is null ? null : File.Create(options.BookOut);
        using var signalStream = options.SignalsOut is null ? null : File.Create(options.SignalsOut);
        using var bookFile = bookStream is null ? null : new Utf8OutputBuffer(bookStream);
        using var signalFile = signalStream is null ? null : new Utf8OutputBuffer(signalStream);
        var book = bookFile is null ? null : new BookJsonSink(bookFile, symbols, 20, 0);
        var signals = signalFile is null ? null : new SignalCsvSink(signalFile, symbols);
        signals?.WriteHeader();
        var clientOptions = new MarketDataClientOptions
        {
            Venue = options.Venue,
            Symbols = options.Symbols,
            Streams = options.Streams,
            StreamBaseAddress = options.Endpoint,
            FinishOnRecordingEnd = options.FinishOnRecordingEnd,
        };

        // The journal's header and outbound ring take a file session's options: no files, the venue's sync rule.
        var session = new SessionOptions
        {
            Market = clientOptions.Market,
            Files = [],
            JournalDirectory = options.JournalDirectory,
            WaitStrategy = options.WaitStrategy,
            Sink = new BothSinks(book, signals),
        };
        using var pipeline = new CoreJournalPipeline(session, symbols, ProducerType.Multi);
        var core = pipeline.Core;

        foreach (var symbol in options.Symbols)
        {
            symbols.GetOrAdd(symbol.Trim().ToUpperInvariant());
        }

        symbols.Freeze(); // receive threads only look symbols up
        using var client = new MarketDataClient(clientOptions, pipeline.Ring, symbols); // publishes nothing before Start
        core.SnapshotRequester = client; // a gap only the core sees is answered by a fresh snapshot
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            client.Stop();
        };
        Console.CancelKeyPress += cancel;
        try
        {
            pipeline.Start();
            output.WriteLine($"streams: {string.Join(' ', client.StreamUris)}");
            client.Start();
            while (!client.WaitForCompletion(TimeSpan.FromMilliseconds(500)))
            {
                if (options.Duration is { } duration && stopwatch.Elapsed > duration)
                {
                    client.Stop();
                }
            }
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
        }

        // Every producer has stopped: drain both consumers, stop them, then finish the journals (each step bounded by
        // the session's drain timeout; a timeout is an error, not a shorter journal).
        pipeline.DrainAndStop();
        pipeline.Complete();
        var journalRecords = pipeline.Writer?.RecordCount ?? 0;
        var journalBytes = pipeline.Writer?.BytesWritten ?? 0;
        var faults = pipeline.CoreProcessor.FaultCount + (pipeline.JournalProcessor?.FaultCount ?? 0) + pipeline.OutboundFaults;
        pipeline.Dispose(); // the journal is closed before it is replayed below
        ReplayResult? replay = null;
        book?.WriteFinal(core);
        bookFile?.Flush();
        signalFile?.Flush();
        Report(output, client, core, symbols, stopwatch.Elapsed);
        if (options.JournalDirectory is { } journalDirectory)
        {
            output.WriteLine($"journal: {journalDirectory} ({journalRecords:N0} records, {journalBytes:N0} bytes; signals in {Path.Combine(journalDirectory, JournalDescriptor.OutboundDirectoryName)})");
            output.WriteLine();
            replay = JournalReplay.Run(journalDirectory);
            RunReport.PrintReplay(replay, output);
        }

        var lossy = core.DecodeErrors > 0 || faults > 0;
        foreach (var state in core.Symbols)
        {
            lossy |= state.SyncState != BookSyncState.Live;
        }

        var ended = client.Completion is MarketDataClientCompletion.RecordingEnded or MarketDataClientCompletion.Stopped;
        return ended && !lossy && (replay is null || replay.Identical) ? OptiFlowCommand.Success : OptiFlowCommand.DataErrors;
    }

    private static void Report(TextWriter output, MarketDataClient client, MarketCore core, SymbolTable symbols, TimeSpan elapsed)
    {
        output.WriteLine($"ended: {client.Completion} after {elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"frames {client.Frames:N0}, decode errors {client.DecodeErrors}, not decoded {client.IgnoredFrames}, connects {client.Connects}, drops {client.Drops}, stalls {client.Stalls}, closes {client.Closes}, serverShutdown {client.ServerShutdowns}, renewals before 24 h {client.Renewals}");
        output.WriteLine($"snapshot weight used (X-MBX-USED-WEIGHT-1M) {client.Snapshots.UsedWeight1M}, 429s {client.Snapshots.TooManyRequests}, 418s {client.Snapshots.Bans}, resyncs the core asked for {client.CoreResyncRequests}");
        foreach (var counters in client.Counters)
        {
            output.WriteLine("  " + MarketDataClient.Describe(counters));
        }

        foreach (var state in core.Symbols)
        {
            output.WriteLine($"  {symbols.NameOf(state.SymbolId)} book: {state.SyncState}, applied {state.Applied:N0}, core gaps {state.Gaps}, u {state.LastAppliedUpdateId}");
        }

        var publish = client.MergedPublishLatency();
        RunReport.PrintLatency(output, publish, core.PickupLatency, core.ReceiveToCoreLatency, core.HandlingLatency);
        output.WriteLine("  ('frame received -> published' is the receive thread's decode into claimed slots plus the publish)");
        output.WriteLine($"receive thread steady-state allocation: {client.ReceiveSteadyStateAllocatedBytes} bytes over {client.ReceiveSteadyStateFrames:N0} frames ({client.ReceiveSteadyStateCollections} GCs in the window)");
    }

    private sealed class BothSinks(BookJsonSink? book, SignalCsvSink? signals) : ISignalSink
    {
        public void OnSignal(in SignalEvent signal, OrderBook book1)
        {
            book?.OnSignal(in signal, book1);
            signals?.OnSignal(in signal, book1);
        }
    }
}
