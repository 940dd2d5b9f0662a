using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Output;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>What <c>optiflow run --venue …</c> was given, before parsing.</summary>
internal sealed record LiveRunRequest(string Venue, string? Market, string? Symbols, string? Streams, string? Endpoint, string? BookOut, string? SignalsOut, double? Seconds);

/// <summary>
/// <c>optiflow run --venue …</c>: parses the live options, runs a live <see cref="EngineSession"/> (its printers as
/// outbound consumers), prints the feed's counters and latencies, then replays the journal and prints the verdict.
/// </summary>
internal static class LiveRun
{
    public static int Run(TextWriter output, LiveRunRequest request, EngineOptions engine)
    {
        var (venue, uri) = RecordCommand.LiveVenue(request.Venue, request.Endpoint);
        var isSim = request.Venue.Equals("sim", StringComparison.OrdinalIgnoreCase);
        if (isSim && request.Market is { } m && ParseMarket(m) == Market.Spot)
        {
            venue = BinanceVenue.Spot;
        }

        var symbolList = RecordCommand.SplitList(request.Symbols);
        if (symbolList.Length == 0)
        {
            throw new UsageException("--venue needs --symbols, e.g. --symbols btcusdt,ethusdt");
        }

        var client = new MarketDataClientOptions
        {
            Venue = venue,
            Symbols = symbolList,
            Streams = RecordCommand.SplitList(request.Streams ?? (isSim ? "bookTicker,depth@100ms,trade,aggTrade" : "bookTicker,depth@100ms,aggTrade")),
            StreamBaseAddress = uri,
            FinishOnRecordingEnd = isSim,
        };

        // The files are closed here, after the printers' final flush (the buffers do not own their streams).
        using var bookStream = request.BookOut is null ? null : File.Create(request.BookOut);
        using var signalStream = request.SignalsOut is null ? null : File.Create(request.SignalsOut);
        using var bookBuffer = bookStream is null ? null : new Utf8OutputBuffer(bookStream);
        using var signalBuffer = signalStream is null ? null : new Utf8OutputBuffer(signalStream);
        var symbols = EngineSession.SymbolsFor(client);
        var book = bookBuffer is null ? null : new BookJsonPrinter(bookBuffer, symbols, 20, 0);
        var signals = signalBuffer is null ? null : new SignalCsvPrinter(signalBuffer, symbols);
        var handlers = new List<IEventHandler<OutboundEvent>>();
        if (book is not null)
        {
            handlers.Add(book);
        }

        if (signals is not null)
        {
            handlers.Add(signals);
        }

        var options = new EngineOptions
        {
            JournalDirectory = engine.JournalDirectory,
            JournalOverwrite = engine.JournalOverwrite,
            CoreCpu = engine.CoreCpu,
            CoreWaitStrategy = engine.CoreWaitStrategy,
            JournalWaitStrategy = engine.JournalWaitStrategy,
            OutboundHandlers = handlers,
            BookViews = book?.Policy,
        };
        SessionResult result;
        MarketDataClientCompletion completion;
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using (var session = EngineSession.ForLive(client, options, symbols))
        {
            Console.CancelKeyPress += onCancel;
            try
            {
                session.Start();
                output.WriteLine($"streams: {string.Join(' ', session.Client!.StreamUris)}");
                completion = session.RunLive(request.Seconds is { } s ? TimeSpan.FromSeconds(s) : null, cancel.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }

            result = session.Stop();
            book?.WriteFinal(result.Core);
            bookBuffer?.ThrowIfFailed(request.BookOut!);
            signalBuffer?.ThrowIfFailed(request.SignalsOut!);
            RunReport.PrintLive(output, session.Client!, result);
        }

        result.ThrowIfJournalFailed(); // exit 5 with the file and errno; the journal keeps what it committed

        ReplayResult? replay = null;
        if (options.JournalDirectory is { } journal)
        {
            output.WriteLine($"journal: {journal} ({result.JournalRecords:N0} records, {result.JournalBytes:N0} bytes; signals in {Path.Combine(journal, JournalDescriptor.OutboundDirectoryName)})");
            output.WriteLine();
            replay = JournalReplayer.Replay(journal);
            RunReport.PrintReplay(replay, output);
        }

        var lossy = result.Core.DecodeErrors > 0 || result.CoreFaults + result.JournalFaults + result.OutboundFaults > 0;
        foreach (var state in result.Core.Symbols)
        {
            lossy |= state.SyncState != BookSyncState.Live;
        }

        var ended = completion is MarketDataClientCompletion.RecordingEnded or MarketDataClientCompletion.Stopped;
        return ended && !lossy && (replay is null || replay.Identical) ? Success : DataErrors;
    }
}
