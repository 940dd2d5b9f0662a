using System.Diagnostics;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Cli.Output;
using OptiFlow.Engine;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.WaitStrategies;

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

    public int? CoreCpu { get; init; }

    public WaitStrategyKind WaitStrategy { get; init; } = WaitStrategyKind.Yielding;

    /// <summary>Stop after this long (null: until the venue ends the data or Ctrl+C).</summary>
    public TimeSpan? Duration { get; init; }
}

/// <summary>
/// Wires a live run: WebSocket receive threads and the snapshot control thread (<see cref="MarketDataClient"/>) →
/// multi-producer inbound ring → core; prints the feed's counters and latencies at the end.
/// </summary>
/// <remarks>
/// <code>
///  Binance / simulator ─► receive threads (decode, claim, publish) ─┐
///  REST snapshots     ─► control thread  (decode, claim, publish) ─┴─► [ inbound ring, multi-producer ] ─► core
/// </code>
/// The journal is not wired here yet (file runs journal; see the issue 7 hand-off).
/// </remarks>
internal static class LiveSession
{
    public static int Run(LiveSessionOptions options, TextWriter output)
    {
        var stopwatch = Stopwatch.StartNew();
        var symbols = new SymbolTable();
        var ring = new RingBuffer<MarketEvent>(1 << 16, RecordingSession.CreateWaitStrategy(options.WaitStrategy), ProducerType.Multi);
        using var bookFile = options.BookOut is null ? null : new Utf8OutputBuffer(File.Create(options.BookOut));
        using var signalFile = options.SignalsOut is null ? null : new Utf8OutputBuffer(File.Create(options.SignalsOut));
        var book = bookFile is null ? null : new BookJsonSink(bookFile, symbols, 20, 0);
        var signals = signalFile is null ? null : new SignalCsvSink(signalFile, symbols);
        signals?.WriteHeader();
        var core = new MarketCore(symbols.Capacity, new BothSinks(book, signals), measureLatency: true);
        using var processor = new BatchEventProcessor<MarketEvent, CoreEventHandler>(ring, ring.Sequencer.NewBarrier(), new CoreEventHandler(core));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("optiflow-core", options.CoreCpu);
        var clientOptions = new MarketDataClientOptions
        {
            Venue = options.Venue,
            Symbols = options.Symbols,
            Streams = options.Streams,
            StreamBaseAddress = options.Endpoint,
            FinishOnRecordingEnd = options.FinishOnRecordingEnd,
        };
        using var client = new MarketDataClient(clientOptions, ring, symbols);
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            client.Stop();
        };
        Console.CancelKeyPress += cancel;
        try
        {
            output.WriteLine($"streams: {string.Join(' ', client.StreamUris)}");
            client.Start();
            while (!client.WaitForCompletion(TimeSpan.FromMilliseconds(500)))
            {
                if (options.Duration is { } duration && stopwatch.Elapsed > duration)
                {
                    client.Stop();
                }
            }

            var target = ring.Cursor.Value;
            var drain = Stopwatch.StartNew();
            while (processor.Sequence.Value < target && drain.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(1);
            }
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
            processor.Halt();
            processor.Join(TimeSpan.FromSeconds(10));
        }

        book?.WriteFinal(core);
        bookFile?.Flush();
        signalFile?.Flush();
        Report(output, client, core, symbols, stopwatch.Elapsed);
        var lossy = core.DecodeErrors > 0;
        foreach (var state in core.Symbols)
        {
            lossy |= state.SyncState != BookSyncState.Live;
        }

        return client.Completion == MarketDataClientCompletion.RecordingEnded && !lossy || client.Completion == MarketDataClientCompletion.Stopped && !lossy
            ? OptiFlowCommand.Success
            : OptiFlowCommand.DataErrors;
    }

    private static void Report(TextWriter output, MarketDataClient client, MarketCore core, SymbolTable symbols, TimeSpan elapsed)
    {
        output.WriteLine($"ended: {client.Completion} after {elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"frames {client.Frames:N0}, decode errors {client.DecodeErrors}, not decoded {client.IgnoredFrames}, connects {client.Connects}, drops {client.Drops}, stalls {client.Stalls}, closes {client.Closes}, serverShutdown {client.ServerShutdowns}");
        output.WriteLine($"snapshot weight used (X-MBX-USED-WEIGHT-1M) {client.Snapshots.UsedWeight1M}, 429s {client.Snapshots.TooManyRequests}, 418s {client.Snapshots.Bans}");
        foreach (var counters in client.Counters)
        {
            output.WriteLine("  " + MarketDataClient.Describe(counters));
        }

        foreach (var state in core.Symbols)
        {
            output.WriteLine($"  {symbols.NameOf(state.SymbolId)} book: {state.SyncState}, applied {state.Applied:N0}, core gaps {state.Gaps}, u {state.LastAppliedUpdateId}");
        }

        var publish = client.MergedPublishLatency();
        output.WriteLine($"latency frame received -> published: p50 {publish.ValueAtPercentile(50):N0} ns, p99 {publish.ValueAtPercentile(99):N0} ns, max {publish.Max:N0} ns");
        output.WriteLine($"latency published -> core picked up: p50 {core.PickupLatency.ValueAtPercentile(50):N0} ns, p99 {core.PickupLatency.ValueAtPercentile(99):N0} ns");
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
