namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// Keeps connection attempts within Binance's limit: at most N in any sliding window (spot streams: 300 per 5 minutes
/// per IP, binance.md §2.1 `[S-WSS]`; futures: unverified, the same bound is used).
/// </summary>
/// <remarks>Time comes from a <see cref="TimeProvider"/> (a fake one in tests). Not thread-safe: one connection thread
/// per limiter, or an outer lock. Allocation-free after construction.</remarks>
public sealed class ConnectionAttemptLimiter
{
    private readonly DateTimeOffset[] _attempts;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private int _next;
    private int _count;

    /// <summary>Creates a limiter.</summary>
    /// <param name="maxAttempts">Attempts allowed per window; at least 1.</param>
    /// <param name="window">The sliding window.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public ConnectionAttemptLimiter(int maxAttempts, TimeSpan window, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _attempts = new DateTimeOffset[maxAttempts];
        _window = window;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long to wait before the next attempt keeps within the limit; zero when it may go now.</summary>
    /// <returns>The wait.</returns>
    public TimeSpan DelayBeforeNextAttempt()
    {
        if (_count < _attempts.Length)
        {
            return TimeSpan.Zero;
        }

        // The oldest of the last N attempts sits where the next one will be written.
        var free = _attempts[_next] + _window - _time.GetUtcNow();
        return free > TimeSpan.Zero ? free : TimeSpan.Zero;
    }

    /// <summary>Records an attempt made now.</summary>
    public void RecordAttempt()
    {
        _attempts[_next] = _time.GetUtcNow();
        _next = (_next + 1) % _attempts.Length;
        _count = Math.Min(_count + 1, _attempts.Length);
    }
}
