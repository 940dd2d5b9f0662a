namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>The simulated exchange's rate limits (binance.md §6), reported in every WebSocket API response's <c>rateLimits</c> (§6.3).</summary>
/// <remarks>
/// Accounting is by fixed calendar intervals, as Binance does (§6.1): the minute resets at :00, the 10 s window at :00,
/// :10, …, the day at 00:00 UTC. Weight is per IP (one loopback IP: shared by every connection and by the REST depth
/// endpoint); orders are per account (one account). Immutable; thread-safe.
/// </remarks>
public sealed class ExchangeLimits
{
    /// <summary><c>REQUEST_WEIGHT</c> per minute. Default 6000 (the limit the simulator's exchangeInfo publishes).</summary>
    public int RequestWeightPerMinute { get; init; } = 6000;

    /// <summary><c>ORDERS</c> per 10 s; null takes the market's default (spot 50, USDⓈ-M 300; §6.1, §6.2).</summary>
    public int? OrdersPer10Seconds { get; init; }

    /// <summary>Spot <c>ORDERS</c> per day (default 160,000); USDⓈ-M uses <see cref="OrdersPerMinute"/> instead.</summary>
    public int OrdersPerDay { get; init; } = 160_000;

    /// <summary>USDⓈ-M <c>ORDERS</c> per minute (default 1200).</summary>
    public int OrdersPerMinute { get; init; } = 1200;
}
