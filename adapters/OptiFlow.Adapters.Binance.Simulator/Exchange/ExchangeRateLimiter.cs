using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// Fixed calendar-interval counters (binance.md §6.1 "Accounting"): <c>REQUEST_WEIGHT</c> per minute (shared by the REST
/// depth endpoint and the WebSocket API, one loopback IP) and <c>ORDERS</c> per 10 s and per day (spot) or minute (USDⓈ-M).
/// </summary>
/// <remarks>Thread-safe (one lock). Allocation-free except <see cref="RateLimitsOf"/>.</remarks>
internal sealed class ExchangeRateLimiter
{
    private readonly object _sync = new();
    private readonly int _weightLimit;
    private readonly int _orders10sLimit;
    private readonly int _ordersLongLimit;
    private readonly long _longIntervalMs;
    private readonly string _longInterval;
    private long _weightWindow = -1;
    private long _weightUsed;
    private long _orders10sWindow = -1;
    private long _orders10s;
    private long _ordersLongWindow = -1;
    private long _ordersLong;

    public ExchangeRateLimiter(Market market, ExchangeLimits limits)
    {
        _weightLimit = limits.RequestWeightPerMinute;
        _orders10sLimit = limits.OrdersPer10Seconds ?? (market == Market.Spot ? 50 : 300);
        (_ordersLongLimit, _longIntervalMs, _longInterval) = market == Market.Spot
            ? (limits.OrdersPerDay, 86_400_000L, "DAY")
            : (limits.OrdersPerMinute, 60_000L, "MINUTE");
    }

    /// <summary>Adds weight unconditionally (REST, handshakes); returns the minute's count.</summary>
    public long AddWeight(int weight, long nowMs)
    {
        lock (_sync)
        {
            Roll(nowMs);
            _weightUsed += weight;
            return _weightUsed;
        }
    }

    /// <summary>Charges <paramref name="weight"/> unless the minute's limit is already used up; false (and <paramref name="retryAfterMs"/>, the next minute) when refused.</summary>
    public bool TryWeight(int weight, long nowMs, out long retryAfterMs)
    {
        lock (_sync)
        {
            Roll(nowMs);
            retryAfterMs = ((nowMs / 60_000) + 1) * 60_000;
            if (_weightUsed + weight > _weightLimit)
            {
                return false;
            }

            _weightUsed += weight;
            return true;
        }
    }

    /// <summary>Counts one new order unless a limit is used up; false with the governing limit's text and reset time when refused.</summary>
    public bool TryOrder(long nowMs, out string limitText, out long retryAfterMs)
    {
        lock (_sync)
        {
            Roll(nowMs);
            if (_orders10s >= _orders10sLimit)
            {
                limitText = $"{_orders10sLimit} orders per 10 SECOND";
                retryAfterMs = ((nowMs / 10_000) + 1) * 10_000;
                return false;
            }

            if (_ordersLong >= _ordersLongLimit)
            {
                limitText = $"{_ordersLongLimit} orders per 1 {_longInterval}";
                retryAfterMs = ((nowMs / _longIntervalMs) + 1) * _longIntervalMs;
                return false;
            }

            _orders10s++;
            _ordersLong++;
            limitText = "";
            retryAfterMs = 0;
            return true;
        }
    }

    /// <summary>The weight limit per minute.</summary>
    public int WeightLimit => _weightLimit;

    /// <summary>The <c>rateLimits</c> entries (§6.3): REQUEST_WEIGHT, plus the ORDERS counts when <paramref name="withOrders"/>.</summary>
    public RateLimitCount[] RateLimitsOf(long nowMs, bool withOrders)
    {
        lock (_sync)
        {
            Roll(nowMs);
            var weight = new RateLimitCount("REQUEST_WEIGHT", "MINUTE", 1, _weightLimit, _weightUsed);
            return withOrders
                ? [weight, new RateLimitCount("ORDERS", "SECOND", 10, _orders10sLimit, _orders10s), new RateLimitCount("ORDERS", _longInterval, 1, _ordersLongLimit, _ordersLong)]
                : [weight];
        }
    }

    private void Roll(long nowMs)
    {
        var minute = nowMs / 60_000;
        if (minute != _weightWindow)
        {
            _weightWindow = minute;
            _weightUsed = 0;
        }

        var tenSeconds = nowMs / 10_000;
        if (tenSeconds != _orders10sWindow)
        {
            _orders10sWindow = tenSeconds;
            _orders10s = 0;
        }

        var longWindow = nowMs / _longIntervalMs;
        if (longWindow != _ordersLongWindow)
        {
            _ordersLongWindow = longWindow;
            _ordersLong = 0;
        }
    }
}

/// <summary>One <c>rateLimits</c> entry of a WebSocket API response (binance.md §6.3).</summary>
internal readonly record struct RateLimitCount(string Type, string Interval, int IntervalNum, long Limit, long Count);
