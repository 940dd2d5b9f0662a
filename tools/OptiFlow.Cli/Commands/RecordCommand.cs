using System.CommandLine;
using System.Globalization;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Hosting;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow record</c>: records a venue's streams for hftbacktest, as its collector does: one gzip file per symbol per
/// UTC day in a directory (<c>&lt;symbol&gt;_&lt;yyyymmdd&gt;.gz</c>), each line the local ns timestamp, a space and the
/// raw frame, and the REST depth snapshot of every (re)sync as a bare body line (<see cref="DailyRecordingWriter"/>).
/// </summary>
/// <remarks>
/// The feed is the engine's own: a live <see cref="EngineSession"/> whose <see cref="MarketDataClient"/> reconnects with
/// back-off, resyncs each book after a reconnect or a gap (the core asks too) and hands every frame and every accepted
/// snapshot to the writer (<see cref="MarketDataClientOptions.RawFeed"/>). Exit codes: 0 recorded; 1 lines were lost
/// (the writer's queue was full, or frames named no recorded symbol), each count on standard error; 2 bad usage (an
/// <c>--out</c> that is a file, an unknown venue) or a directory refused before anything was written (another recorder
/// in it, a damaged day file to append to); 4 the venue failed (a connection gave up, or nothing arrived); 5 the OS
/// refused a file (the line names it).
/// </remarks>
internal static class RecordCommand
{
    /// <summary>What hftbacktest's collector subscribes (its spot list; on USDⓈ-M it takes <c>depth@0ms</c>).</summary>
    private const string DefaultStreams = "trade,bookTicker,depth@100ms";

    public static Command Build(TextWriter output, TextWriter error)
    {
        var venue = new Option<string>("--venue") { Description = "binance-spot, binance-futures or sim", Required = true };
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols, e.g. btcusdt,ethusdt", Required = true };
        var streams = new Option<string?>("--streams") { Description = $"Comma-separated stream suffixes (default {DefaultStreams}, as hftbacktest's collector)" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Stream base address override (ws://127.0.0.1:PORT for the simulator)" };
        var outDirectory = new Option<string>("--out") { Description = "Directory of the day files <symbol>_<yyyymmdd>.gz (created when missing; a restart appends)", Required = true };
        var duration = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: until the venue ends the stream, or Ctrl+C)" };
        var maxFailedAttempts = new Option<int?>("--max-failed-attempts")
        {
            Description = "Give up (exit 4) after this many failed connection attempts in a row (default 10; 0: never give up)",
        };
        var command = new Command("record", "Record a venue's streams for hftbacktest: DIR/<symbol>_<yyyymmdd>.gz per UTC day, lines '<local ns> <frame>', a snapshot after each resync.")
        {
            venue, symbols, streams, endpoint, outDirectory, duration, maxFailedAttempts,
        };
        command.SetAction(parse => Record(
            output,
            error,
            parse.GetValue(venue),
            parse.GetValue(symbols),
            parse.GetValue(streams),
            parse.GetValue(endpoint),
            parse.GetValue(outDirectory)!,
            parse.GetValue(duration),
            parse.GetValue(maxFailedAttempts)));
        return command;
    }

    internal static (BinanceVenue Venue, Uri? Endpoint) LiveVenue(string? venue, string? endpoint)
    {
        var uri = endpoint is null ? null : Uri.TryCreate(endpoint, UriKind.Absolute, out var u) ? u : throw new UsageException($"--endpoint is not an absolute URL: {endpoint}");
        return venue?.ToLowerInvariant() switch
        {
            "binance-spot" => (BinanceVenue.Spot, uri),
            "binance-futures" => (BinanceVenue.UsdmFutures, uri),
            "sim" => (BinanceVenue.UsdmFutures, uri ?? throw new UsageException("--venue sim needs --endpoint ws://127.0.0.1:PORT (see optiflow simulate)")),
            _ => throw new UsageException($"--venue must be binance-spot, binance-futures or sim, not '{venue}'"),
        };
    }

    internal static string[] SplitList(string? text) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Record(TextWriter output, TextWriter error, string? venueName, string? symbolText, string? streamText, string? endpoint, string directory, double? seconds, int? maxFailedAttempts)
    {
        var (venue, uri) = LiveVenue(venueName, endpoint);
        var symbolList = SplitList(symbolText);
        if (symbolList.Length == 0)
        {
            throw new UsageException("--symbols needs at least one symbol, e.g. --symbols btcusdt,ethusdt");
        }

        var streamList = SplitList(streamText ?? DefaultStreams);
        if (streamList.Length == 0)
        {
            throw new UsageException($"--streams needs at least one stream suffix, e.g. --streams {DefaultStreams}");
        }

        if (seconds is <= 0)
        {
            throw new UsageException($"--seconds must be positive, not {seconds?.ToString(CultureInfo.InvariantCulture)}");
        }

        if (maxFailedAttempts is < 0)
        {
            throw new UsageException($"--max-failed-attempts must be 0 (never give up) or more, not {maxFailedAttempts}");
        }

        if (File.Exists(directory))
        {
            throw new UsageException($"--out is a file, not a directory: {directory} (record writes <symbol>_<yyyymmdd>.gz files into a directory)");
        }

        // The directory, its lock and today's files before connecting: a refused directory fails at once (exit 2, or 5
        // with the OS error), not after data came.
        DailyRecordingWriter writer;
        try
        {
            writer = new DailyRecordingWriter(directory, symbolList);
        }
        catch (RecordingDirectoryException e)
        {
            throw new UsageException(e.Message);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--symbols: {e.Message}");
        }

        var log = new TextWriterLogger(error);
        var isSim = venueName!.Equals("sim", StringComparison.OrdinalIgnoreCase);
        var client = new MarketDataClientOptions
        {
            Venue = venue,
            Symbols = symbolList,
            Streams = streamList,
            StreamBaseAddress = uri,
            FinishOnRecordingEnd = isSim,
            MaxConsecutiveFailedAttempts = maxFailedAttempts ?? MarketDataClientOptions.DefaultMaxConsecutiveFailedAttempts,
            Logger = log,
            RawFeed = writer,
        };

        LiveFeedResult live;
        MarketDataClient feed;
        using (writer)
        {
            // SIGINT or SIGTERM stop the recording cleanly: every queued line is written, every gzip member finished.
            using var signals = new StopSignals();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, writer.Failed);
            using (var session = EngineSession.ForLive(client))
            {
                session.Start();
                output.WriteLine($"recording {string.Join(' ', session.Client!.StreamUris)} into {directory}");
                session.RunLive(seconds is { } s ? TimeSpan.FromSeconds(s) : null, stop.Token);
                var result = session.Stop();
                live = result.Live!;
                feed = session.Client!;
            }

            if (!writer.Complete(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"record: the writer did not finish within 30 s; the last lines of {directory} may be missing");
            }

            if (writer.Failure is { } failure)
            {
                // Exit 5 with the file and the OS error; every line written before it is in its file.
                throw failure;
            }

            foreach (var file in writer.Files)
            {
                var appended = file.Appended ? " (appended to the existing file)" : "";
                output.WriteLine($"record: {file.Path}: {file.Lines:N0} lines, {file.Snapshots:N0} snapshots{appended}");
            }

            output.WriteLine($"record: {writer.Frames:N0} frames and {writer.Snapshots:N0} snapshots received; {writer.Dropped:N0} dropped (queue full), {writer.Unattributed:N0} naming no recorded symbol");
            output.WriteLine($"feed: {feed.Connects:N0} connects, {feed.Drops:N0} drops, {feed.Stalls:N0} stalls, {feed.Closes:N0} closes, {feed.Counters.Sum(c => c.Resyncs):N0} resyncs, {feed.Counters.Sum(c => c.Gaps):N0} gaps");
            if (signals.Received is { } signal)
            {
                output.WriteLine($"stopped by {signal}");
            }

            if (live.Completion == MarketDataClientCompletion.Failed && live.Failure is { } gaveUp)
            {
                log.WriteLine($"{gaveUp.Endpoint}: the feed is down: {gaveUp.Attempt} connection attempts in a row failed (--max-failed-attempts); last error: {gaveUp.Cause}");
                return VenueFailure;
            }

            if (live.ReceivedNothing)
            {
                var last = live.LastFailure is { } l ? $"; last error: {l.Cause}" : "";
                log.WriteLine($"{string.Join(' ', live.Endpoints)}: received nothing ({live.Connects} connects, {live.FailedAttempts} failed attempts{last})");
                return VenueFailure;
            }

            var lossy = false;
            if (writer.Dropped > 0)
            {
                log.WriteLine($"record: {writer.Dropped:N0} frames or snapshots dropped: the writer's queue ({DailyRecordingOptions.DefaultQueueCapacity:N0} messages) was full (a slow disk?)");
                lossy = true;
            }

            if (writer.Unattributed > 0)
            {
                log.WriteLine($"record: {writer.Unattributed:N0} frames named no recorded symbol in their stream and were not written");
                lossy = true;
            }

            return lossy ? DataErrors : Success;
        }
    }
}
