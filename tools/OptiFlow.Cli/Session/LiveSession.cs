using System.Diagnostics;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Cli.Output;
using OptiFlow.Cli.Replay;
using OptiFlow.Engine;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
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
        var ring = new RingBuffer<MarketEvent>(session.RingSize, RecordingSession.CreateWaitStrategy(options.WaitStrategy), ProducerType.Multi);
        using var outbound = OutboundJournal.Start(session);
        var core = new MarketCore(symbols.Capacity, outbound?.Sink ?? session.Sink, measureLatency: true);
        using var processor = new BatchEventProcessor<MarketEvent, CoreEventHandler>(ring, ring.Sequencer.NewBarrier(), new CoreEventHandler(core));

        // Interns the symbols; publishes nothing before Start.
        using var client = new MarketDataClient(clientOptions, ring, symbols);
        core.SnapshotRequester = client; // a gap only the core sees is answered by a fresh snapshot
        JournalWriter? writer = null;
        BatchEventProcessor<MarketEvent, JournalEventHandler>? journal = null;
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            client.Stop();
        };
        Console.CancelKeyPress += cancel;
        try
        {
            if (options.JournalDirectory is { } directory)
            {
                writer = new JournalWriter(directory, new JournalOptions { SegmentSize = session.JournalSegmentSize, Overwrite = true, Durability = session.JournalDurability });
                JournalSessionHeader.Write(writer, session, symbols);
                journal = new BatchEventProcessor<MarketEvent, JournalEventHandler>(
                    ring, ring.Sequencer.NewBarrier(), new JournalEventHandler(writer, session.SteadyStateAfter, symbols));
                ring.Sequencer.SetGatingSequences(processor.Sequence, journal.Sequence);
            }
            else
            {
                ring.Sequencer.SetGatingSequences(processor.Sequence);
            }

            processor.Start("optiflow-core", options.CoreCpu);
            journal?.Start("optiflow-journal");
            output.WriteLine($"streams: {string.Join(' ', client.StreamUris)}");
            client.Start();
            while (!client.WaitForCompletion(TimeSpan.FromMilliseconds(500)))
            {
                if (options.Duration is { } duration && stopwatch.Elapsed > duration)
                {
                    client.Stop();
                }
            }

            // Every producer has stopped: drain both consumers (bounded), then stop them.
            var target = ring.Cursor.Value;
            var drain = Stopwatch.StartNew();
            while ((processor.Sequence.Value < target || (journal is not null && journal.Sequence.Value < target)) && drain.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(1);
            }
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
            processor.Halt();
            journal?.Halt();
            processor.Join(TimeSpan.FromSeconds(10));
            journal?.Join(TimeSpan.FromSeconds(10));
        }

        ReplayResult? replay = null;
        long journalRecords = 0;
        long journalBytes = 0;
        try
        {
            outbound?.Complete(session.DrainTimeout);
            if (writer is not null)
            {
                writer.AppendBlob(JournalRecordType.RunSummary, RunSummary.From(core, symbols).ToUtf8());
                writer.Flush();
                journalRecords = writer.RecordCount;
                journalBytes = writer.BytesWritten;
            }
        }
        finally
        {
            journal?.Dispose();
            writer?.Dispose();
        }

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

        var lossy = core.DecodeErrors > 0 || processor.FaultCount > 0 || (journal?.FaultCount ?? 0) > 0 || (outbound?.Faults ?? 0) > 0;
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
