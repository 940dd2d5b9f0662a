namespace OptiFlow.Engine.Risk;

/// <summary>
/// One rate limit as <see cref="RateBudget"/> enforces it: at most <paramref name="Limit"/> units of
/// <paramref name="Kind"/> per fixed window of <paramref name="IntervalMs"/> (exchangeInfo <c>rateLimits</c>, binance.md §4.4;
/// e.g. <c>ORDERS</c> SECOND×10 50 is <c>(Orders, 10_000, 50)</c>). Load from exchangeInfo, never hard-code (§4.4).
/// </summary>
/// <param name="Kind">What is counted.</param>
/// <param name="IntervalMs">Window length, ms (<c>intervalNum</c> × the <c>interval</c> unit); positive.</param>
/// <param name="Limit">Most units per window; positive.</param>
/// <remarks>Immutable; thread-safe; no allocation.</remarks>
public readonly record struct RateLimitRule(RateLimitKind Kind, long IntervalMs, long Limit)
{
    /// <summary>One second, ms.</summary>
    public const long SecondMs = 1_000;

    /// <summary>One minute, ms.</summary>
    public const long MinuteMs = 60 * SecondMs;

    /// <summary>One hour, ms.</summary>
    public const long HourMs = 60 * MinuteMs;

    /// <summary>One day, ms (a DAY window resets at 00:00 UTC, binance.md §6.1).</summary>
    public const long DayMs = 24 * HourMs;
}
