using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>What every WebSocket API session of one simulator shares: options, keys, the exchange, limits, faults and counters.</summary>
/// <remarks>Thread-safe: immutable apart from <see cref="Interlocked"/> counters and the ban time.</remarks>
internal sealed class WsApiContext
{
    private long _orderPlaceCount;
    private long _bannedUntilMs;

    public WsApiContext(SimulatorOptions options, SimulatedExchange exchange, ExchangeRateLimiter limiter, ExchangeStatistics statistics)
    {
        Options = options;
        Exchange = exchange;
        Limiter = limiter;
        Statistics = statistics;
        foreach (var key in options.ApiKeys)
        {
            Keys[key.ApiKey] = key;
        }
    }

    public SimulatorOptions Options { get; }

    public Market Market => Options.Market;

    public SimulatedExchange Exchange { get; }

    public ExchangeRateLimiter Limiter { get; }

    public ExchangeStatistics Statistics { get; }

    public Dictionary<string, SimulatorApiKey> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts one <c>order.place</c> on arrival; returns its 1-based ordinal.</summary>
    public long NextOrderPlaceOrdinal() => Interlocked.Increment(ref _orderPlaceCount);

    /// <summary>When a scripted ban lifts, ms since the Unix epoch (0: not banned).</summary>
    public long BannedUntilMs => Interlocked.Read(ref _bannedUntilMs);

    public void BanUntil(long untilMs) => Interlocked.Exchange(ref _bannedUntilMs, untilMs);
}
