namespace OptiFlow.Engine.Risk;

/// <summary>What a rate limit counts (exchangeInfo <c>rateLimitType</c>, binance.md §4.4, §6.3).</summary>
public enum RateLimitKind : byte
{
    /// <summary><c>ORDERS</c>: new orders (per account; binance.md §6.1, §6.2).</summary>
    Orders = 0,

    /// <summary><c>REQUEST_WEIGHT</c>: request weight (per IP; binance.md §6.1, §6.2).</summary>
    RequestWeight = 1,
}
