using OptiFlow.Engine.Risk;

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
public readonly record struct RateLimit(string RateLimitType, string Interval, int IntervalNum, long Limit)
{
    /// <summary>
    /// The engine-neutral rule the gateway's <see cref="RateBudget"/> enforces: <c>ORDERS</c> and <c>REQUEST_WEIGHT</c> with a
    /// known interval and positive number and limit (binance.md §4.4). Others (<c>RAW_REQUESTS</c>, a REST-only count;
    /// <c>CONNECTIONS</c>) give null.
    /// </summary>
    /// <returns>The rule, or null.</returns>
    /// <remarks>Allocation-free; never throws.</remarks>
    public RateLimitRule? ToRule()
    {
        RateLimitKind kind;
        switch (RateLimitType)
        {
            case "ORDERS":
                kind = RateLimitKind.Orders;
                break;
            case "REQUEST_WEIGHT":
                kind = RateLimitKind.RequestWeight;
                break;
            default:
                return null;
        }

        var unit = IntervalMs(Interval);
        return unit > 0 && IntervalNum > 0 && Limit > 0 ? new RateLimitRule(kind, unit * IntervalNum, Limit) : null;
    }

    /// <summary>The length of one <c>interval</c> unit, ms (binance.md §4.4: <c>S</c>, <c>M</c>, <c>H</c>, <c>D</c>).</summary>
    /// <param name="interval"><c>SECOND</c>, <c>MINUTE</c>, <c>HOUR</c> or <c>DAY</c>.</param>
    /// <returns>Milliseconds; 0 for anything else.</returns>
    public static long IntervalMs(string interval) => interval switch
    {
        "SECOND" => RateLimitRule.SecondMs,
        "MINUTE" => RateLimitRule.MinuteMs,
        "HOUR" => RateLimitRule.HourMs,
        "DAY" => RateLimitRule.DayMs,
        _ => 0,
    };
}
