namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>One <c>rateLimits</c> entry of a response (binance.md §6.3): kind, window length and current count.</summary>
internal struct RateLimitUsage
{
    public bool IsKnown;
    public bool IsOrders;
    public long IntervalMs;
    public long Count;
}
