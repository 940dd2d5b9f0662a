using Microsoft.Extensions.Logging;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>What a <see cref="MarketDataClient"/> subscribes to, where, and how it reacts to trouble.</summary>
/// <remarks>Read once when the client is created; not thread-safe to mutate afterwards.</remarks>
public sealed class MarketDataClientOptions
{
    /// <summary>The venue: decides default endpoints, routes and the book-sync rule.</summary>
    public required BinanceVenue Venue { get; init; }

    /// <summary>Symbols in any case (<c>btcusdt</c>); stream names use lower case (binance.md §2.1).</summary>
    public required IReadOnlyList<string> Symbols { get; init; }

    /// <summary>Stream suffixes subscribed for every symbol, e.g. <c>bookTicker</c>, <c>depth@100ms</c>, <c>depth@0ms</c>,
    /// <c>aggTrade</c>, <c>trade</c> (binance.md §2.4–2.7). Default: bookTicker, depth@100ms, aggTrade.</summary>
    public IReadOnlyList<string> Streams { get; init; } = ["bookTicker", "depth@100ms", "aggTrade"];

    /// <summary>Overrides the stream base address (<c>ws://127.0.0.1:PORT</c> for the simulator, or a testnet).</summary>
    public Uri? StreamBaseAddress { get; init; }

    /// <summary>Overrides the REST base address; derived from <see cref="StreamBaseAddress"/> (ws→http, wss→https) when only that is set.</summary>
    public Uri? RestBaseAddress { get; init; }

    /// <summary>Whether USDⓈ-M streams go to <c>/public</c> (bookTicker, depth) and <c>/market</c> (the rest) on two
    /// connections (binance.md §2.2 `[F-SPLIT]`); null: on for <see cref="BinanceVenue.UsdmFutures"/> without an endpoint override.</summary>
    public bool? SplitFuturesRoutes { get; init; }

    /// <summary>Snapshot depth per side (spot up to 5000, futures 1000; binance.md §3.3 weights).</summary>
    public int SnapshotLimit { get; init; } = 1000;

    /// <summary>No frame for this long means the connection is stalled: it is aborted and replaced. Binance streams
    /// depth every 100–1000 ms, so 30 s of silence is a dead connection.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound on the WebSocket handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A server certificate to accept for <c>wss</c>/<c>https</c> even when the system trust store does not (a pinned
    /// certificate: matched by its SHA-256 thumbprint), for a loopback simulator or a private gateway with a self-signed
    /// certificate. Null (the default): only certificates the system trusts, with a matching host name, are accepted.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TrustedServerCertificate { get; init; }

    /// <summary>The TLS validation the client applies to streams and REST: system trust, or the pinned <see cref="TrustedServerCertificate"/>. Pure: thread-safe; allocates the two hashes it compares (once per TLS handshake).</summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <param name="errors">What the system's validation found.</param>
    /// <returns>Whether to accept it.</returns>
    public bool AcceptServerCertificate(System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Net.Security.SslPolicyErrors errors)
    {
        if (errors == System.Net.Security.SslPolicyErrors.None)
        {
            return true;
        }

        return TrustedServerCertificate is { } pinned && certificate is not null
            && certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pinned.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    /// <summary>Reconnect proactively before Binance's 24-hour disconnection (binance.md §2.1), measured on
    /// <see cref="TimeProvider"/> after each frame; counted as <see cref="MarketDataClient.Renewals"/>.</summary>
    public TimeSpan MaxConnectionAge { get; init; } = TimeSpan.FromHours(23.5);

    /// <summary>First reconnect delay (before jitter).</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Random fraction of each reconnect delay (0..1).</summary>
    public double ReconnectJitter { get; init; } = 0.5;

    /// <summary>
    /// Failed connection attempts in a row after which a connection gives up and the client finishes with
    /// <see cref="MarketDataClientCompletion.Failed"/> (<see cref="MarketDataClient.Failure"/> says why). An attempt fails
    /// when it does not connect (refused, DNS, TLS, timeout, not a WebSocket) or when the connection ends before
    /// delivering one decodable frame (a server that upgrades and then closes, stalls, breaks the protocol or sends a
    /// message over <see cref="MaxMessageSize"/>); a connection that delivered data starts the count again. Default 10:
    /// with the default back-off (1 s doubling to 60 s, up to half of it jitter) about 2 to 4 minutes of trying. 0: never
    /// give up (retry until stopped).
    /// </summary>
    public int MaxConsecutiveFailedAttempts { get; init; } = DefaultMaxConsecutiveFailedAttempts;

    /// <summary>The default of <see cref="MaxConsecutiveFailedAttempts"/>: 10.</summary>
    public const int DefaultMaxConsecutiveFailedAttempts = 10;

    /// <summary>
    /// Largest WebSocket message accepted, in bytes, summed over its fragments (RFC 6455 §5.4). A longer one, whatever
    /// length its frame header announces, closes the connection with 1009 (message too big), is counted
    /// (<see cref="MarketDataClient.OversizedMessages"/>) and the client reconnects; the receive buffer never grows past
    /// it. Default 4 MiB: the per-symbol streams send at most a few KB per message, an all-market array such as
    /// <c>!ticker@arr</c> some hundreds of KB (estimated: ~2,000 symbols × ~300 B); REST snapshots (5,000 levels a side,
    /// ~250 KB) do not come over the socket, but their bodies are bounded by this too. At least 4,096.
    /// </summary>
    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>The default of <see cref="MaxMessageSize"/>: 4 MiB.</summary>
    public const int DefaultMaxMessageSize = 4 << 20;

    /// <summary>A symbol with no frame for this long, while its connections are up, is reported
    /// <see cref="SymbolFeedState.Silent"/> (stale) by <see cref="MarketDataClient.FeedStatusOf"/>. Default 30 s, the
    /// default <see cref="ReceiveTimeout"/>.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where the client logs each failed connection attempt with its cause, each lost connection, each reconnect and
    /// each failed snapshot request; null (the default) logs nothing. Called on the client's control thread (and, for
    /// what is still queued at the end, on the thread that calls <see cref="MarketDataClient.WaitForCompletion"/>), never
    /// on a receive thread: the receive threads queue the event (cold path, between connections) and the control thread
    /// formats and writes it, so a slow logger delays nothing but other log lines.
    /// </summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Sees every complete message received and every snapshot published at a (re)sync, raw (a recorder); null (the
    /// default) for none. Called on the receive threads and the control thread: see <see cref="IRawFeedSink"/>.
    /// </summary>
    public IRawFeedSink? RawFeed { get; init; }

    /// <summary>Connection attempts allowed per <see cref="ConnectionAttemptWindow"/> (spot: 300 per 5 min per IP, binance.md §2.1).</summary>
    public int MaxConnectionAttempts { get; init; } = 300;

    /// <summary>The window of <see cref="MaxConnectionAttempts"/>.</summary>
    public TimeSpan ConnectionAttemptWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Finish (instead of reconnecting) when the server closes normally saying the recording ended: the
    /// simulator's end of data. Against Binance a close is always followed by a reconnect.</summary>
    public bool FinishOnRecordingEnd { get; init; }

    /// <summary>Client-initiated ping interval; zero leaves keep-alive to the server's pings, which are answered with
    /// pongs carrying the ping's payload (binance.md §2.1).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.Zero;

    /// <summary>HTTP timeout of one snapshot request.</summary>
    public TimeSpan SnapshotTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Frames after which a receive thread's steady-state allocation window opens.</summary>
    public long SteadyStateAfterFrames { get; init; } = 2000;

    /// <summary>The clock for back-off, rate limits and connection age (a fake one in tests); the receive timeout and
    /// the reconnect delays are waited in real time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The book-sync rule: spot <c>U</c> chaining, or futures <c>pu</c> chaining.</summary>
    public Market Market => Venue == BinanceVenue.Spot ? Market.Spot : Market.Futures;

    /// <summary>The stream base address in use.</summary>
    public Uri EffectiveStreamBase => StreamBaseAddress ?? new Uri(Venue switch
    {
        BinanceVenue.Spot => "wss://stream.binance.com:9443",
        BinanceVenue.UsdmFutures => "wss://fstream.binance.com",
        _ => "wss://dstream.binance.com",
    });

    /// <summary>The REST base address in use.</summary>
    public Uri EffectiveRestBase
    {
        get
        {
            if (RestBaseAddress is { } rest)
            {
                return rest;
            }

            if (StreamBaseAddress is { } stream)
            {
                var builder = new UriBuilder(stream) { Scheme = stream.Scheme == "wss" ? "https" : "http", Path = "/" };
                return builder.Uri;
            }

            return new Uri(Venue switch
            {
                BinanceVenue.Spot => "https://api.binance.com",
                BinanceVenue.UsdmFutures => "https://fapi.binance.com",
                _ => "https://dapi.binance.com",
            });
        }
    }

    /// <summary>The REST depth path of the venue (binance.md §3.3).</summary>
    public string DepthPath => Venue switch
    {
        BinanceVenue.Spot => "/api/v3/depth",
        BinanceVenue.UsdmFutures => "/fapi/v1/depth",
        _ => "/dapi/v1/depth",
    };

    /// <summary>Whether the futures split routes are used.</summary>
    public bool UsesSplitRoutes => SplitFuturesRoutes ?? (Venue == BinanceVenue.UsdmFutures && StreamBaseAddress is null);
}
