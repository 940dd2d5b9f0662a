using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Net.WebSockets;
using System.Text;
using OptiFlow.Adapters.Binance.Streaming;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow record</c>: writes what a combined stream sends in the hftbacktest line format (local ns timestamp, space,
/// raw frame), plus each symbol's REST depth snapshot as a bare body line, so the file replays like hftbacktest's.
/// </summary>
internal static class RecordCommand
{
    public static Command Build(TextWriter output)
    {
        var venue = new Option<string>("--venue") { Description = "binance-spot, binance-futures or sim", Required = true };
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols, e.g. btcusdt,ethusdt", Required = true };
        var streams = new Option<string?>("--streams") { Description = "Comma-separated stream suffixes (default bookTicker,depth@100ms,aggTrade)" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Stream base address override (ws://127.0.0.1:PORT for the simulator)" };
        var outFile = new Option<string>("--out") { Description = "Output file (.gz compresses)", Required = true };
        var duration = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: until the stream closes or Ctrl+C)" };
        var command = new Command("record", "Record a venue's combined stream in the hftbacktest line format: <local ns> <frame>.")
        {
            venue, symbols, streams, endpoint, outFile, duration,
        };
        command.SetAction(parse =>
        {
            var (venueValue, endpointValue) = LiveVenue(parse.GetValue(venue), parse.GetValue(endpoint));
            var symbolList = SplitList(parse.GetValue(symbols));
            var options = new MarketDataClientOptions
            {
                Venue = venueValue,
                Symbols = symbolList,
                Streams = SplitList(parse.GetValue(streams) ?? "bookTicker,depth@100ms,aggTrade"),
                StreamBaseAddress = endpointValue,
                SplitFuturesRoutes = false,
            };
            var path = parse.GetValue(outFile)!;
            if (Directory.Exists(path))
            {
                throw new UsageException($"--out is a directory, not a file: {path}");
            }

            // Opened before connecting: an unwritable path fails at once (exit 5, the OS error named), not after data came.
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot create {path}: {e.Message}", e);
            }

            // SIGINT or SIGTERM stop the recording cleanly: the last whole line is kept, the gzip trailer written.
            using var signals = new StopSignals();
            long lines;
            using (file)
            {
                using Stream sink = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
                lines = Record(options, symbolList, sink, path, parse.GetValue(duration) is { } s ? TimeSpan.FromSeconds(s) : null, signals.Token);
            }

            var stopped = signals.Received is { } signal ? $" (stopped by {signal})" : "";
            output.WriteLine($"record: {lines:N0} lines written to {path}{stopped}");
            return Success;
        });
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

    private static long Record(MarketDataClientOptions options, IReadOnlyList<string> symbols, Stream sink, string path, TimeSpan? duration, CancellationToken stop)
    {
        long lines = 0;
        var started = DateTime.UtcNow;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var snapshots = new DepthSnapshotClient(http, options.EffectiveRestBase, options.DepthPath);
        var names = new List<string>();
        foreach (var symbol in symbols)
        {
            foreach (var stream in options.Streams)
            {
                names.Add(symbol.ToLowerInvariant() + "@" + stream);
            }
        }

        var uri = new UriBuilder(options.EffectiveStreamBase) { Path = options.EffectiveStreamBase.AbsolutePath.TrimEnd('/') + "/stream", Query = "streams=" + string.Join('/', names) }.Uri;
        using var socket = new ClientWebSocket();
        try
        {
            socket.ConnectAsync(uri, stop).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            throw new IOException($"cannot connect to {uri}: {e.Message}", e);
        }

        var fetched = false;
        var buffer = new byte[1 << 16];
        var length = 0;
        while (!stop.IsCancellationRequested && (duration is null || DateTime.UtcNow - started < duration))
        {
            if (!fetched)
            {
                // After the first frame: the diffs are flowing, fetch each snapshot (binance.md §3.1 step 2).
                foreach (var symbol in symbols)
                {
                    var fetch = snapshots.FetchAsync(symbol.ToUpperInvariant(), options.SnapshotLimit, CancellationToken.None).GetAwaiter().GetResult();
                    if (fetch.Body is not null)
                    {
                        WriteLine(sink, path, fetch.Body);
                        lines++;
                    }
                }

                fetched = true;
            }

            ValueWebSocketReceiveResult result;
            try
            {
                result = socket.ReceiveAsync(buffer.AsMemory(length), stop).AsTask().GetAwaiter().GetResult();
            }
            catch (WebSocketException)
            {
                break;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                if (length == buffer.Length)
                {
                    // A message is bounded (MaxMessageSize, as the live client bounds it): a frame that announces more
                    // is closed with 1009 and ends the recording with what was whole before it.
                    if (buffer.Length >= options.MaxMessageSize)
                    {
                        try
                        {
                            socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", CancellationToken.None).Wait(TimeSpan.FromSeconds(2), CancellationToken.None);
                        }
                        catch (Exception e) when (e is WebSocketException or AggregateException or OperationCanceledException)
                        {
                            // The close is a courtesy: the recording ends either way.
                        }

                        throw new VenueFailureException(
                            $"{uri}: a message longer than {options.MaxMessageSize:N0} bytes (MaxMessageSize) arrived: closed with 1009 message too big; the {lines:N0} whole lines before it are in {path}");
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, options.MaxMessageSize));
                }

                continue;
            }

            WriteLine(sink, path, buffer.AsSpan(0, length));
            lines++;
            length = 0;
        }

        return lines;
    }

    private static void WriteLine(Stream sink, string path, ReadOnlySpan<byte> frame)
    {
        var stamp = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        try
        {
            sink.Write(Encoding.ASCII.GetBytes(stamp.ToString(CultureInfo.InvariantCulture) + " "));
            sink.Write(frame);
            sink.WriteByte((byte)'\n');
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {path}: {e.Message}", e);
        }
    }
}
