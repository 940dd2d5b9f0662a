namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// Delay before reconnect attempt N: exponential (<c>initial · 2^(N−1)</c>, capped at <c>max</c>) with jitter, so a
/// fleet of clients dropped together does not reconnect in lock step.
/// </summary>
/// <remarks>Jitter: the delay is drawn uniformly from <c>[d·(1−jitter), d]</c>. Combine with
/// <see cref="ConnectionAttemptLimiter"/> for Binance's attempt limit (binance.md §2.1: 300 per 5 min per IP).
/// Thread-safe (<see cref="Random.Shared"/> or the caller's random used from one thread). Allocation-free.</remarks>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _jitter;
    private readonly Random _random;

    /// <summary>Creates a policy.</summary>
    /// <param name="initial">Delay before the first retry (before jitter); above zero.</param>
    /// <param name="max">Largest delay; at least <paramref name="initial"/>.</param>
    /// <param name="jitter">Fraction of the delay that is random, 0 to 1.</param>
    /// <param name="random">Random source (a seeded one in tests); <see cref="Random.Shared"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">On a non-positive initial, max below initial, or jitter outside 0..1.</exception>
    public ReconnectBackoff(TimeSpan initial, TimeSpan max, double jitter = 0.5, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1.0);
        _initial = initial;
        _max = max;
        _jitter = jitter;
        _random = random ?? Random.Shared;
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> (1 = first retry after a drop).</summary>
    /// <param name="attempt">1-based attempt number; values below 1 are treated as 1.</param>
    /// <returns>A delay within <c>[ceiling·(1−jitter), ceiling]</c>, ceiling = <see cref="Ceiling"/>.</returns>
    public TimeSpan Delay(int attempt)
    {
        var ceiling = Ceiling(attempt);
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        var factor = 1 - (_jitter * _random.NextDouble());
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)(ceiling.Ticks * factor));
    }

    /// <summary>The delay before jitter: <c>min(max, initial · 2^(attempt−1))</c>.</summary>
    /// <param name="attempt">1-based attempt number.</param>
    /// <returns>The un-jittered delay.</returns>
    public TimeSpan Ceiling(int attempt)
    {
        var shift = Math.Clamp(attempt - 1, 0, 30);
        var ticks = _initial.Ticks * (double)(1L << shift);
        return ticks >= _max.Ticks ? _max : TimeSpan.FromTicks((long)ticks);
    }
}
