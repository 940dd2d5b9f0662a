using Microsoft.Extensions.Logging;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// Settings of a <see cref="BinanceOrderVenue"/>: which market, where its WebSocket API (and, for USDⓈ-M, its user-data
/// route) is, the credentials, timing and the bounds of its tables.
/// </summary>
/// <remarks>
/// <para>Point it at a loopback server with <see cref="ApiUri"/> (e.g. <c>ws://127.0.0.1:5005/ws-api/v3</c>) and, for
/// futures, <see cref="FuturesUserDataUri"/> (e.g. <c>ws://127.0.0.1:5005/private/ws</c>; the venue appends
/// <c>?listenKey=…</c>). The defaults are Binance's production endpoints (binance.md §1, §5.1, §7.2).</para>
/// <para>An immutable record of settings: thread-safe to read; the venue reads it once at construction.</para>
/// </remarks>
public sealed record OrderVenueOptions
{
    /// <summary>Binance spot WebSocket API (binance.md §5.1).</summary>
    public static readonly Uri SpotApiUri = new("wss://ws-api.binance.com:443/ws-api/v3");

    /// <summary>Binance USDⓈ-M WebSocket API (binance.md §5.1).</summary>
    public static readonly Uri FuturesApiUri = new("wss://ws-fapi.binance.com/ws-fapi/v1");

    /// <summary>Binance USDⓈ-M private user-data route (binance.md §7.2); <c>?listenKey=…</c> is appended.</summary>
    public static readonly Uri FuturesPrivateUri = new("wss://fstream.binance.com/private/ws");

    /// <summary><see cref="Market.Spot"/> (<c>ws-api/v3</c>) or <see cref="Market.Futures"/> (USDⓈ-M <c>ws-fapi/v1</c>).</summary>
    public required Market Market { get; init; }

    /// <summary>The API key and its secret. The venue creates its signers from them; it never logs them (only <see cref="ApiCredentials.KeyId"/>).</summary>
    public required ApiCredentials Credentials { get; init; }

    /// <summary>The symbols the engine trades (frozen); names are sent as <c>symbol</c> and events are mapped back by name.</summary>
    public required SymbolTable Symbols { get; init; }

    /// <summary>The WebSocket API endpoint; null: <see cref="SpotApiUri"/> or <see cref="FuturesApiUri"/> by <see cref="Market"/>.</summary>
    public Uri? ApiUri { get; init; }

    /// <summary>USDⓈ-M only: the private user-data route without query; null: <see cref="FuturesPrivateUri"/>.</summary>
    public Uri? FuturesUserDataUri { get; init; }

    /// <summary>Prefix of every <c>newClientOrderId</c> (<c>prefix + id</c>, binance.md §5.4); events whose client order id
    /// lacks it are counted as foreign and ignored. Characters of <c>[.A-Z:/a-z0-9_-]</c>.</summary>
    public string ClientOrderIdPrefix { get; init; } = "of-";

    /// <summary><c>recvWindow</c>, ms (binance.md §5.7); 0 omits it (the venue uses 5000).</summary>
    public int RecvWindowMs { get; init; } = 5000;

    /// <summary>Ed25519 keys: once <c>session.logon</c> succeeded, send orders without <c>apiKey</c> and <c>signature</c>
    /// (binance.md §5.5; saves the Ed25519 signing, tens of µs, per order). False: sign every request as HMAC/RSA keys do.</summary>
    public bool OmitSignatureAfterLogon { get; init; } = true;

    /// <summary>How long a request may wait for its response before its outcome counts as unknown and is reconciled with <c>order.status</c> (binance.md §8.2).</summary>
    /// <remarks>Above spot's 10 s matching-engine timeout, so that its <c>-1007</c> usually arrives first (binance.md §5.1).</remarks>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>How long a reconciliation waits before it asks again after an <c>order.status</c> query that failed or went unanswered.</summary>
    public TimeSpan ReconcileRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long <see cref="BinanceOrderVenue.Start"/> waits for connect, time sync, logon and the user-data subscription.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>TCP connect plus WebSocket upgrade bound, per attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Nothing received for this long ends the connection as stalled (Binance pings every 20 s on spot, every 3 min on futures; binance.md §5.1).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>First reconnect delay (before jitter); doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="BinanceOrderVenue.Poll"/> refreshes the server-time offset with the <c>time</c> method (binance.md §5.7).</summary>
    public TimeSpan TimeSyncInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>USDⓈ-M only: how often the listenKey is kept alive with <c>userDataStream.ping</c> (it expires 60 min after the last one; binance.md §7.2).</summary>
    public TimeSpan ListenKeyKeepAliveInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Back-off after a 429 whose error carries no <c>retryAfter</c> (binance.md §6.1).</summary>
    public TimeSpan DefaultRetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests in flight at once (a power of two): the request table's size. A send finding its slot still busy is refused (<see cref="Engine.Gateway.VenueSendStatus.NotConnected"/>).</summary>
    public int MaxInFlight { get; init; } = 4096;

    /// <summary>Orders tracked for de-duplication of acks and fills (a power of two; direct-mapped by client order id).</summary>
    public int OrderTableSize { get; init; } = 16384;

    /// <summary>Initial capacity of the set of client order ids sent in this session (duplicate refusal); it grows, allocating, past this.</summary>
    public int ExpectedOrdersPerSession { get; init; } = 1 << 16;

    /// <summary>Accepts the server's TLS certificate (tests: a self-signed one); null: the platform's validation.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TrustedServerCertificate { get; init; }

    /// <summary>Where connection events go (on the connection threads, never per message); null: none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The API endpoint in effect.</summary>
    public Uri EffectiveApiUri => ApiUri ?? (Market == Market.Spot ? SpotApiUri : FuturesApiUri);

    /// <summary>The USDⓈ-M user-data route in effect.</summary>
    public Uri EffectiveFuturesUserDataUri => FuturesUserDataUri ?? FuturesPrivateUri;
}
