using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>What one <see cref="BinanceSimulator"/> serves and how.</summary>
/// <remarks>Read once at <see cref="BinanceSimulator.StartAsync"/>; not thread-safe to mutate afterwards.</remarks>
public sealed class SimulatorOptions
{
    /// <summary>Recording files, read in order as one session (any format the engine reads).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Line format of <see cref="Files"/>; detected when <see cref="RecordingFormat.Auto"/>.</summary>
    public RecordingFormat Format { get; init; } = RecordingFormat.Auto;

    /// <summary>The recording's market: decides the book-sync rule and the snapshot's shape (futures add <c>E</c>, <c>T</c>).</summary>
    public Market Market { get; init; } = Market.Futures;

    /// <summary>TCP port on 127.0.0.1; 0 picks a free (ephemeral) port, see <see cref="BinanceSimulator.Port"/>.</summary>
    public int Port { get; init; }

    /// <summary>Replay pace.</summary>
    public SimulatorPace Pace { get; init; } = SimulatorPace.Max;

    /// <summary>Scripted faults (<see cref="SimulatorFault.ParseScript"/>).</summary>
    public IReadOnlyList<SimulatorFault> Faults { get; init; } = [];

    /// <summary>How long a depth snapshot request may wait for the replayed book to be known before a 503.</summary>
    public TimeSpan SnapshotWaitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the feed waits at a symbol's first recorded snapshot for a connected client's snapshot request (so a
    /// client that connected at the start syncs at exactly the recorded point), at any pace; a paced replay's schedule
    /// resumes after the wait.
    /// </summary>
    public TimeSpan SnapshotRendezvousTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// At <see cref="SimulatorPace.Max"/>, how long the feed pauses after answering any snapshot request, so the client
    /// can publish it before the diffs that follow (sent far faster than the venue's pace) overflow the core's pending
    /// buffer. Real Binance streams at its own pace and has no such pause.
    /// </summary>
    public TimeSpan SnapshotSettle { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Frames queued per connection before the feed waits for it (back-pressure); at least 16.</summary>
    public int ConnectionQueueCapacity { get; init; } = 1024;

    /// <summary>Whether to cut snapshots to the request's <c>limit</c> as Binance does; off by default so a networked run
    /// ends with exactly the file run's books (the replayed book can hold more levels than any limit).</summary>
    public bool HonourDepthLimit { get; init; }

    /// <summary>
    /// When set, Kestrel serves TLS with this certificate (it must carry its private key): streams on <c>wss://</c>, REST
    /// on <c>https://</c>, as Binance does. Null (the default) serves plain <c>ws://</c> / <c>http://</c>.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>Server WebSocket ping interval (spot sends one every 20 s, binance.md §2.1).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Test API keys the WebSocket API accepts (<c>/ws-api/v3</c> spot, <c>/ws-fapi/v1</c> USDⓈ-M; binance.md §5): HMAC
    /// secrets, RSA or Ed25519 public keys (<see cref="SimulatorApiKey"/>). Empty: every signed request is refused with
    /// <c>-2015</c>. Secrets are never logged.
    /// </summary>
    public IReadOnlyList<SimulatorApiKey> ApiKeys { get; init; } = [];

    /// <summary>
    /// Order-entry latency: the wall-clock delay between a WebSocket API request's arrival and its effect on the matching
    /// engine (and so before its response and user data events). Requests of one connection keep their arrival order.
    /// Default 0.
    /// </summary>
    public TimeSpan OrderEntryLatency { get; init; } = TimeSpan.Zero;

    /// <summary>Scripted order faults (<see cref="OrderFault.ParseScript"/>), keyed by the N-th <c>order.place</c> or a client order id.</summary>
    public IReadOnlyList<OrderFault> OrderFaults { get; init; } = [];

    /// <summary>Rate limits of the WebSocket API (binance.md §6); the weight limit also covers the REST depth endpoint.</summary>
    public ExchangeLimits Limits { get; init; } = new();

    /// <summary>Maker fee in basis points charged on fills (quote asset); default 0.</summary>
    public decimal MakerFeeBasisPoints { get; init; }

    /// <summary>Taker fee in basis points charged on fills (quote asset); default 0.</summary>
    public decimal TakerFeeBasisPoints { get; init; }

    /// <summary>USDⓈ-M wallet balance reported in <c>ACCOUNT_UPDATE</c> before commissions, 10⁻⁸ quote units; default 100,000.</summary>
    public long WalletBalance { get; init; } = 100_000 * Engine.Model.FixedPoint.Scale;
}
