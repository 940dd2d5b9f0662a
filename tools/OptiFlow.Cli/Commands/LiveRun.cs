using System.Globalization;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Cli.Operations;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Output;
using OptiFlow.Engine.Hosting.Reports;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>What <c>optiflow run --venue …</c> was given, before parsing.</summary>
internal sealed record LiveRunRequest(string Venue, string? Market, string? Symbols, string? Streams, string? Endpoint, string? BookOut, string? SignalsOut, double? Seconds, int? MaxFailedAttempts = null, string? Report = null);

/// <summary>
/// <c>optiflow run --venue …</c>: parses the live options, runs a live <see cref="EngineSession"/> (its printers as
/// outbound consumers), prints the feed's counters, each book with its feed, and the latencies, then replays the
/// journal and prints the verdict; with <c>--report DIR</c> it samples <c>latency.hlog</c> during the run and writes the
/// report after the replay, whatever the feed did.
/// </summary>
/// <remarks>
/// Standard error carries the log (<c>--log-level</c>: the client's connections, each failed attempt and lost connection
/// with its cause; the status line every <c>--status-interval</c>) and, when the feed failed, one last line naming the
/// endpoint and the last OS or protocol error. <c>--metrics-port</c> serves the session's metrics while it runs. Exit codes: 0 every book live and the
/// replay identical; 1 data errors (decode errors, faults, a book not synced or silent, a replay that differs); 4 the
/// venue failed (<see cref="VenueFailure"/>: the client gave up, nothing was received, or a feed was down at the end).
/// </remarks>
internal static class LiveRun
{
    public static int Run(TextWriter output, TextWriter error, LiveRunRequest request, EngineOptions engine, OperationsSettings settings)
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

        if (request.MaxFailedAttempts is < 0)
        {
            throw new UsageException($"--max-failed-attempts must be 0 (never give up) or more, not {request.MaxFailedAttempts}");
        }

        if (request.Seconds is <= 0)
        {
            throw new UsageException($"--seconds must be positive, not {request.Seconds?.ToString(CultureInfo.InvariantCulture)}");
        }

        // The log (--log-level) and the metrics endpoint (--metrics-port, bound here: a port in use creates nothing).
        using var operations = RunOperations.Start(settings, error);
        var client = new MarketDataClientOptions
        {
            Venue = venue,
            Symbols = symbolList,
            Streams = RecordCommand.SplitList(request.Streams ?? (isSim ? "bookTicker,depth@100ms,trade,aggTrade" : "bookTicker,depth@100ms,aggTrade")),
            StreamBaseAddress = uri,
            FinishOnRecordingEnd = isSim,
            MaxConsecutiveFailedAttempts = request.MaxFailedAttempts ?? MarketDataClientOptions.DefaultMaxConsecutiveFailedAttempts,
            Logger = operations.Loggers.CreateLogger("optiflow.live"),
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
            OutboundWaitStrategy = engine.OutboundWaitStrategy,
            OutboundHandlers = handlers,
            BookViews = book?.Policy,
            Evaluators = engine.Evaluators,
            Trading = engine.Trading,
        };
        SessionResult result;
        LatencyIntervalRecorder? intervals = null;

        // SIGINT or SIGTERM stop the feed cleanly: the session drains, the summary is written, the journal replayed.
        using (var stop = new StopSignals())
        using (var session = EngineSession.ForLive(client, options, symbols))
        {
            session.Start();
            // --report: latency.hlog, one interval per second, sampled by its own control thread; closed once the session stopped.
            intervals = request.Report is null ? null : LatencyIntervalRecorder.Start(session, request.Report);
            output.WriteLine($"streams: {string.Join(' ', session.Client!.StreamUris)}");
            using (operations.WatchLive(session))
            {
                try
                {
                    session.RunLive(request.Seconds is { } s ? TimeSpan.FromSeconds(s) : null, stop.Token);
                    result = session.Stop();
                    intervals?.Stop();
                }
                catch
                {
                    intervals?.Dispose();
                    throw;
                }
            }

            book?.WriteFinal(result.Core);
            bookBuffer?.ThrowIfFailed(request.BookOut!);
            signalBuffer?.ThrowIfFailed(request.SignalsOut!);
            RunReport.PrintLive(output, session.Client!, result);
            if (stop.Received is { } signal)
            {
                output.WriteLine($"stopped by {signal}");
            }
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

        if (request.Report is { } report)
        {
            // Written whatever the feed did: a report of a failed feed is evidence too.
            using (intervals)
            {
                var path = SessionReport.Write(report, "run", result, replay, intervals);
                output.WriteLine($"report: {path} (latency distributions in {Path.Combine(report, SessionReport.LatencyFolder)}, per second in {Path.Combine(report, LatencyIntervalRecorder.FileName)}, plots in {Path.Combine(report, SessionReport.PageFileName)})");
            }
        }

        var live = result.Live!;
        if (FeedFailure(live, result.Elapsed) is { } failure)
        {
            // The last line on standard error: the endpoint and the last OS or protocol error.
            operations.Error.WriteLine($"optiflow: {failure}");
            return VenueFailure;
        }

        var lossy = result.Core.DecodeErrors > 0 || result.CoreFaults + result.JournalFaults + result.OutboundFaults > 0;
        foreach (var bookStatus in live.Books)
        {
            if (!bookStatus.IsLive)
            {
                operations.Error.WriteLine($"optiflow: {bookStatus.Symbol}: book {bookStatus.State}: {bookStatus.Reason}");
                lossy = true;
            }
        }

        return !lossy && (replay is null || replay.Identical) ? Success : DataErrors;
    }

    /// <summary>The one-line summary of a failed feed (endpoint and last error), or null when the feed did its job.</summary>
    private static string? FeedFailure(LiveFeedResult live, TimeSpan elapsed)
    {
        if (live.Completion == MarketDataClientCompletion.Failed && live.Failure is { } gaveUp)
        {
            return $"{gaveUp.Endpoint}: the feed is down: {gaveUp.Attempt} connection attempts in a row failed (--max-failed-attempts); last error: {gaveUp.Cause}";
        }

        var last = live.LastFailure is { } l ? $"; last error: {l.Cause}" : "";
        if (live.ReceivedNothing)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{string.Join(' ', live.Endpoints)}: received nothing in {elapsed.TotalSeconds:0.0} s ({live.Connects} connects, {live.FailedAttempts} failed attempts{last})");
        }

        foreach (var book in live.Books)
        {
            if (book.Feed.State is SymbolFeedState.Down or SymbolFeedState.NeverReceived)
            {
                var endpoint = book.Feed.LastFailure?.Endpoint.ToString() ?? string.Join(' ', live.Endpoints);
                return $"{endpoint}: the feed of {book.Symbol} is down at the end of the run: {book.Reason}";
            }
        }

        return null;
    }
}
