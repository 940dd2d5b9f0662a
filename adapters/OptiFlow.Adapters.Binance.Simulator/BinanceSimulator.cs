using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// A loopback Binance: Kestrel on 127.0.0.1 serving a recording as combined market streams over WebSocket, the REST
/// depth snapshot consistent with the replayed stream, and a minimal exchangeInfo, with scripted faults.
/// </summary>
/// <remarks>
/// <para>Routes (binance.md §1, §2.1, §2.2, §3.3): <c>/stream?streams=a/b</c> (spot and legacy), <c>/public/stream</c>
/// (USDⓈ-M bookTicker and depth) and <c>/market/stream</c> (USDⓈ-M trade and aggTrade) `[F-SPLIT]`; <c>/ws/&lt;stream&gt;</c>
/// for one stream; <c>GET /api/v3/depth</c>, <c>/fapi/v1/depth</c>, <c>/dapi/v1/depth</c> with <c>symbol</c> and
/// <c>limit</c>, answering <c>X-MBX-USED-WEIGHT-1M</c> (weights of `[S-REST]`/`[CJS]`); <c>GET /api/v3/exchangeInfo</c>,
/// <c>/fapi/v1/exchangeInfo</c>. A depth subscription matches the recording's depth frames of that symbol whatever the
/// speed suffix (<c>@depth@100ms</c> receives recorded <c>@depth@0ms</c> frames); frames are sent as recorded.</para>
/// <para>Timeline: one replay shared by every connection, started by the first connection. At <see cref="SimulatorPace.Max"/>
/// it runs as fast as the connected clients read and pauses while none is connected; paced replays keep time and frames
/// sent while nobody listens are lost, as on the venue. A snapshot request before the recording's first snapshot of the
/// symbol waits and is answered with that recorded body verbatim; later requests get the replayed book (all levels
/// unless <see cref="SimulatorOptions.HonourDepthLimit"/>). At the end of the data every stream is closed with
/// <c>1000 NormalClosure</c> and the reason <c>"recording ended"</c>.</para>
/// <para>Thread-safety: start and stop from one thread; statistics may be read from any. Allocates freely (not a hot path).
/// Errors: <see cref="IOException"/> when the port is taken.</para>
/// </remarks>
/// <example><code>
/// await using var sim = new BinanceSimulator(new SimulatorOptions { Files = [path], Market = Market.Futures });
/// await sim.StartAsync();
/// // connect to sim.StreamBaseAddress + "/stream?streams=btcusdt@depth@100ms"; GET sim.RestBaseAddress + "/fapi/v1/depth?symbol=BTCUSDT"
/// await sim.Completion;
/// </code></example>
public sealed class BinanceSimulator : IAsyncDisposable
{
    /// <summary>Close reason sent at the end of the data.</summary>
    public const string RecordingEndedReason = SimulatorConnection.RecordingEndedReason;

    private readonly SimulatorOptions _options;
    private readonly RecordingFeed _feed;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connectionTasks = [];
    private readonly SimulatedExchange _exchange;
    private readonly ExchangeRateLimiter _limiter;
    private readonly WsApiContext _wsApi;
    private WebApplication? _app;

    /// <summary>Creates a simulator; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">What to serve.</param>
    /// <remarks>Reads the recording once to intern its symbols (<see cref="Recording.RecordingSymbolScan"/>).</remarks>
    /// <exception cref="FileNotFoundException">A recording file does not exist.</exception>
    public BinanceSimulator(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _feed = new RecordingFeed(options, Statistics);
        _limiter = new ExchangeRateLimiter(options.Market, options.Limits);
        var matching = new MatchingOptions { MakerFeeBasisPoints = options.MakerFeeBasisPoints, TakerFeeBasisPoints = options.TakerFeeBasisPoints };
        _exchange = new SimulatedExchange(options.Market, _feed.Symbols, ExchangeStatistics, matching, options.WalletBalance);
        _feed.Exchange = _exchange;
        _wsApi = new WsApiContext(options, _exchange, _limiter, ExchangeStatistics);
    }

    /// <summary>Counters.</summary>
    public SimulatorStatistics Statistics { get; } = new();

    /// <summary>Counters of the simulated exchange (WebSocket API, orders, user data).</summary>
    public ExchangeStatistics ExchangeStatistics { get; } = new();

    /// <summary>
    /// The WebSocket API path of the simulator's market: <c>/ws-api/v3</c> (spot) or <c>/ws-fapi/v1</c> (USDⓈ-M), on
    /// <see cref="StreamBaseAddress"/>. USDⓈ-M user data: <c>/private/ws?listenKey=…</c> after <c>userDataStream.start</c>.
    /// </summary>
    public string TradingPath => _options.Market == Market.Spot ? "/ws-api/v3" : "/ws-fapi/v1";

    /// <summary>The simulated exchange (tests read its matching engine under its lock).</summary>
    internal SimulatedExchange Exchange => _exchange;

    /// <summary>
    /// Asks the replay to stop before its next frame takes effect on the simulated exchange (see
    /// <see cref="SimulatorFaultKind.Pause"/>); <see cref="WaitForFeedPausedAsync"/> tells when it has. Thread-safe.
    /// </summary>
    public void PauseFeed() => _feed.RequestPause();

    /// <summary>Lets a paused replay go on (after <see cref="PauseFeed"/> or a <see cref="SimulatorFaultKind.Pause"/> fault). Thread-safe.</summary>
    public void ResumeFeed() => _feed.Resume();

    /// <summary>Waits, at most <paramref name="timeout"/>, until the replay is parked by a pause.</summary>
    /// <param name="timeout">The bound.</param>
    /// <returns>True once parked; false on timeout (for instance when the data ended first).</returns>
    public Task<bool> WaitForFeedPausedAsync(TimeSpan timeout) => _feed.WaitUntilPausedAsync(timeout);

    /// <summary>The bound port (after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary><c>ws://127.0.0.1:PORT</c>.</summary>
    public Uri StreamBaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"{(_options.Certificate is null ? "ws" : "wss")}://127.0.0.1:{Port}"));

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public Uri RestBaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"{(_options.Certificate is null ? "http" : "https")}://127.0.0.1:{Port}"));

    /// <summary>Completes when the replay has reached the end of the data (streams are then closing).</summary>
    public Task Completion => _feed.Completion;

    /// <summary>Binds Kestrel to 127.0.0.1 (port 0: ephemeral) and starts serving; the replay starts with the first connection.</summary>
    /// <param name="cancellation">Cancels start-up.</param>
    /// <returns>A task that completes once listening.</returns>
    public async Task StartAsync(CancellationToken cancellation = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _options.Port, listen =>
        {
            if (_options.Certificate is { } certificate)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = _options.PingInterval });
        app.Map("/stream", context => ServeStreamAsync(context, StreamRoute.All));
        app.Map("/public/stream", context => ServeStreamAsync(context, StreamRoute.Public));
        app.Map("/market/stream", context => ServeStreamAsync(context, StreamRoute.Market));
        app.Map("/ws/{stream}", context => ServeStreamAsync(context, StreamRoute.All));
        app.MapGet("/api/v3/depth", context => ServeDepthAsync(context, Market.Spot));
        app.MapGet("/fapi/v1/depth", context => ServeDepthAsync(context, Market.Futures));
        app.MapGet("/dapi/v1/depth", context => ServeDepthAsync(context, Market.Futures));
        app.MapGet("/api/v3/exchangeInfo", ServeExchangeInfoAsync);
        app.MapGet("/fapi/v1/exchangeInfo", ServeExchangeInfoAsync);
        app.Map(TradingPath, ServeTradingAsync);
        if (_options.Market != Market.Spot)
        {
            app.Map("/private/ws", ServeUserDataAsync);
        }

        app.MapGet("/api/v3/ping", context => context.Response.WriteAsync("{}"));
        app.MapGet("/fapi/v1/ping", context => context.Response.WriteAsync("{}"));
        await app.StartAsync(cancellation);
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var address = addresses?.Addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no address.");
        Port = new Uri(address).Port;
        _feed.Start();
    }

    /// <summary>Stops the replay, closes every connection and stops Kestrel. Idempotent.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        _feed.Stop();
        await _stopping.CancelAsync();
        Task[] connections;
        lock (_connectionTasks)
        {
            connections = [.. _connectionTasks];
        }

        await Task.WhenAny(Task.WhenAll(connections), Task.Delay(TimeSpan.FromSeconds(5)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _app = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
        _feed.Dispose();
    }

    private enum StreamRoute
    {
        All,
        Public,
        Market,
    }

    private async Task ServeStreamAsync(HttpContext context, StreamRoute route)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var names = context.Request.RouteValues.TryGetValue("stream", out var single) && single is string one
            ? [one]
            : (context.Request.Query["streams"].ToString()).Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var streams = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var key = RecordingFeed.KeyOfStreamName(name);
            var highFrequency = key.EndsWith("@depth", StringComparison.OrdinalIgnoreCase) || key.EndsWith("@bookTicker", StringComparison.OrdinalIgnoreCase);
            if (route == StreamRoute.All || (route == StreamRoute.Public) == highFrequency)
            {
                streams.Add(key);
            }
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref Statistics.ConnectionsAccepted);
        var connection = new SimulatorConnection(context, socket, streams, _options.ConnectionQueueCapacity, Statistics);
        _feed.Add(connection);

        var run = connection.RunAsync(_stopping.Token);
        lock (_connectionTasks)
        {
            _connectionTasks.RemoveAll(t => t.IsCompleted);
            _connectionTasks.Add(run);
        }

        try
        {
            await run;
        }
        finally
        {
            _feed.Remove(connection);
        }
    }

    private async Task ServeDepthAsync(HttpContext context, Market route)
    {
        var ordinal = Interlocked.Increment(ref Statistics.DepthRequests);
        var symbol = context.Request.Query["symbol"].ToString();
        var limit = int.TryParse(context.Request.Query["limit"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : route == Market.Spot ? 100 : 500;
        var weight = route == Market.Spot
            ? limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250
            : limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
        context.Response.Headers["X-MBX-USED-WEIGHT-1M"] = AddWeight(weight).ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        foreach (var fault in _options.Faults)
        {
            if (fault.Ordinal == ordinal && fault.Kind is SimulatorFaultKind.TooManyRequests or SimulatorFaultKind.Banned)
            {
                Interlocked.Increment(ref Statistics.ThrottledRequests);
                Interlocked.Increment(ref Statistics.FaultsApplied);
                var banned = fault.Kind == SimulatorFaultKind.Banned;
                context.Response.StatusCode = banned ? 418 : StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = fault.Argument.ToString(CultureInfo.InvariantCulture);
                await context.Response.WriteAsync(banned
                    ? "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned.\"}"
                    : "{\"code\":-1003,\"msg\":\"Too many requests; current limit is 6000 request weight per 1 MINUTE.\"}");
                return;
            }
        }

        if (string.IsNullOrEmpty(symbol))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("{\"code\":-1102,\"msg\":\"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.\"}");
            return;
        }

        if (_feed.Ended && !_feed.Knows(symbol))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
            return;
        }

        var body = await _feed.GetSnapshotAsync(symbol, limit, context.RequestAborted);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("{\"code\":-1008,\"msg\":\"The simulator does not know this book yet.\"}");
            return;
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private long AddWeight(int weight) => _limiter.AddWeight(weight, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>The WebSocket API for trading (binance.md §5): one <see cref="WsApiSession"/> per connection.</summary>
    private async Task ServeTradingAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref ExchangeStatistics.ConnectionCount);
        AddWeight(_options.Market == Market.Spot ? 2 : 5); // handshake weight (§5.1)
        var session = new WsApiSession(context, socket, _wsApi);
        await TrackAsync(session.RunAsync(_stopping.Token));
    }

    /// <summary>USDⓈ-M user data (binance.md §7.2): <c>/private/ws?listenKey=…</c>; 400 for an unknown or expired key.</summary>
    private async Task ServeUserDataAsync(HttpContext context)
    {
        var listenKey = context.Request.Query["listenKey"].ToString();
        if (!context.WebSockets.IsWebSocketRequest || !_exchange.IsListenKeyActive(listenKey))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("{\"code\":-1125,\"msg\":\"This listenKey does not exist.\"}");
            return;
        }

        // Subscribed before the handshake answers: an order the client places the moment its connect returns is
        // already reported to this connection (its events queue until the socket is there).
        var connection = new UserDataConnection();
        _exchange.Subscribe(connection);
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            Interlocked.Increment(ref ExchangeStatistics.ConnectionCount);
            await TrackAsync(connection.RunAsync(socket, _stopping.Token));
        }
        finally
        {
            _exchange.Unsubscribe(connection);
        }
    }

    private async Task TrackAsync(Task run)
    {
        lock (_connectionTasks)
        {
            _connectionTasks.RemoveAll(t => t.IsCompleted);
            _connectionTasks.Add(run);
        }

        await run;
    }

    private async Task ServeExchangeInfoAsync(HttpContext context)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"timezone\":\"UTC\",\"serverTime\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()},");
        json.Append("\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":6000},");
        json.Append("{\"rateLimitType\":\"ORDERS\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":1200}],\"exchangeFilters\":[],\"symbols\":[");
        var symbols = _feed.Symbols;
        for (var i = 0; i < symbols.Count; i++)
        {
            var name = symbols.NameOf(i);
            var quote = SymbolAssets.QuoteOf(name);
            var baseAsset = SymbolAssets.BaseOf(name);
            json.Append(i == 0 ? "" : ",");
            json.Append(CultureInfo.InvariantCulture, $"{{\"symbol\":\"{name}\",\"status\":\"TRADING\",\"baseAsset\":\"{baseAsset}\",\"quoteAsset\":\"{quote}\",");
            json.Append("\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.00000001\",\"maxPrice\":\"10000000\",\"tickSize\":\"0.00000001\"},");
            json.Append("{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00000001\",\"maxQty\":\"92233720368\",\"stepSize\":\"0.00000001\"}]}");
        }

        json.Append("]}");
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToString());
    }
}
