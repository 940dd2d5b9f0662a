namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// One entry of exchangeInfo <c>rateLimits</c> (binance.md §4.4, §6; <c>[S-ENUM]</c>, <c>[F-CD]</c>): e.g.
/// <c>REQUEST_WEIGHT</c> per 1 MINUTE 6000. Load these at start-up; never hard-code them (docs and live data disagree).
/// Immutable; thread-safe.
/// </summary>
/// <param name="RateLimitType"><c>REQUEST_WEIGHT</c>, <c>ORDERS</c> or <c>RAW_REQUESTS</c>.</param>
/// <param name="Interval"><c>SECOND</c>, <c>MINUTE</c>, <c>HOUR</c> or <c>DAY</c>.</param>
/// <param name="IntervalNum">Number of intervals in the window.</param>
/// <param name="Limit">Maximum in the window.</param>
public readonly record struct RateLimit(string RateLimitType, string Interval, int IntervalNum, long Limit);
