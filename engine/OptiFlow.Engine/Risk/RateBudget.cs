namespace OptiFlow.Engine.Risk;

/// <summary>
/// The order and request-weight budgets of exchangeInfo's <c>rateLimits</c> (binance.md §4.4, §6), enforced locally so that no
/// limit is ever exceeded, plus the HTTP 429 back-off and 418 ban (binance.md §6.1).
/// </summary>
/// <remarks>
/// <para>
/// Windows are <b>fixed calendar intervals</b>, as Binance accounts them: "a 1 MINUTE limit resets each minute; 10 SECOND
/// resets at :00, :10, …; DAY resets at 00:00 UTC" (binance.md §6.1, "Accounting", <c>[S-REST]</c>). A window of
/// <c>IntervalMs</c> therefore starts at <c>now − now % IntervalMs</c> (ms since the Unix epoch, so DAY starts at 00:00 UTC).
/// The newest count a response reports (WS API <c>rateLimits[].count</c>, §6.3; REST <c>X-MBX-USED-WEIGHT-1M</c> /
/// <c>X-MBX-ORDER-COUNT-10S</c>, §6.1) replaces the local count of the window it names (<see cref="Observe"/>): Binance's
/// count is authoritative (spot fills decrement the unfilled-order count, §6.1).
/// </para>
/// <para>
/// Time is passed in (<c>nowMs</c>, ms since the Unix epoch); nothing here reads a clock, so decisions are deterministic and
/// replayable. Not thread-safe: one owner (the gateway thread). Allocation-free after construction; never throws after
/// construction.
/// </para>
/// </remarks>
public sealed class RateBudget
{
    private readonly RateLimitRule[] _rules;
    private readonly long[] _windowStartMs;
    private readonly long[] _counts;
    private long _backOffUntilMs;
    private long _bannedUntilMs;

    /// <summary>Creates a budget over <paramref name="rules"/>.</summary>
    /// <param name="rules">The limits; empty: no rate limit.</param>
    /// <exception cref="ArgumentException">An interval or limit is not positive.</exception>
    /// <remarks>Allocates its arrays once.</remarks>
    public RateBudget(ReadOnlySpan<RateLimitRule> rules)
    {
        foreach (var r in rules)
        {
            if (r.IntervalMs <= 0 || r.Limit <= 0)
            {
                throw new ArgumentException($"Rate limit {r} needs a positive interval and limit.", nameof(rules));
            }
        }

        _rules = rules.ToArray();
        _windowStartMs = new long[_rules.Length];
        _counts = new long[_rules.Length];
        Array.Fill(_windowStartMs, long.MinValue);
    }

    /// <summary>The limits enforced.</summary>
    public ReadOnlySpan<RateLimitRule> Rules => _rules;

    /// <summary>Until when (ms since the Unix epoch) a 429 back-off lasts; 0 when none was received.</summary>
    public long BackOffUntilMs => _backOffUntilMs;

    /// <summary>Until when (ms since the Unix epoch) a 418 ban lasts; 0 when none was received.</summary>
    public long BannedUntilMs => _bannedUntilMs;

    /// <summary>
    /// Whether requests may be sent at <paramref name="nowMs"/>: <see cref="RiskReason.IpBanned"/> during a 418 ban,
    /// <see cref="RiskReason.TooManyRequestsBackOff"/> during a 429 back-off, otherwise <see cref="RiskReason.Accepted"/>.
    /// </summary>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns>The blocking reason or <see cref="RiskReason.Accepted"/>.</returns>
    public RiskReason Blocked(long nowMs) =>
        nowMs < _bannedUntilMs ? RiskReason.IpBanned
        : nowMs < _backOffUntilMs ? RiskReason.TooManyRequestsBackOff
        : RiskReason.Accepted;

    /// <summary>
    /// Takes <paramref name="orders"/> order units and <paramref name="weight"/> weight units from every window, all or
    /// nothing: nothing is taken when any window would go over its limit, or when banned or backing off.
    /// </summary>
    /// <param name="orders">Order count of the request (1 for a new order; binance.md §6.2: <c>order.place</c> counts 1).</param>
    /// <param name="weight">Request weight of the request (0 for a successful spot <c>order.place</c> since 2026-04-02, §6.1).</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns><see cref="RiskReason.Accepted"/> when taken; otherwise the first limit in the way.</returns>
    public RiskReason TryConsume(int orders, int weight, long nowMs)
    {
        var blocked = Blocked(nowMs);
        if (blocked != RiskReason.Accepted)
        {
            return blocked;
        }

        for (var i = 0; i < _rules.Length; i++)
        {
            Roll(i, nowMs);
            var cost = Cost(i, orders, weight);
            if (cost > 0 && _counts[i] + cost > _rules[i].Limit)
            {
                return _rules[i].Kind == RateLimitKind.Orders ? RiskReason.OrderRateLimit : RiskReason.RequestWeightLimit;
            }
        }

        for (var i = 0; i < _rules.Length; i++)
        {
            _counts[i] += Cost(i, orders, weight);
        }

        return RiskReason.Accepted;
    }

    /// <summary>
    /// Replaces the local count of the window of <paramref name="kind"/> × <paramref name="intervalMs"/> that contains
    /// <paramref name="nowMs"/> with <paramref name="count"/>, as a response's <c>rateLimits</c> entry reports it (binance.md §6.3).
    /// An entry matching no configured rule is ignored.
    /// </summary>
    /// <param name="kind"><c>rateLimitType</c>.</param>
    /// <param name="intervalMs"><c>intervalNum</c> × <c>interval</c>, ms.</param>
    /// <param name="count"><c>count</c>, current usage.</param>
    /// <param name="nowMs">When the response was received, ms since the Unix epoch.</param>
    /// <returns>Whether a rule matched.</returns>
    public bool Observe(RateLimitKind kind, long intervalMs, long count, long nowMs)
    {
        var matched = false;
        for (var i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Kind == kind && _rules[i].IntervalMs == intervalMs)
            {
                Roll(i, nowMs);
                _counts[i] = Math.Max(0, count);
                matched = true;
            }
        }

        return matched;
    }

    /// <summary>
    /// HTTP 429 (spot <c>-1015</c> "Too many new orders"): nothing is sent before <paramref name="retryAtMs"/>
    /// (binance.md §6.1: back off; <c>Retry-After</c> seconds on REST, <c>retryAfter</c> on the WS API). Continuing
    /// earns a 418 ban.
    /// </summary>
    /// <param name="retryAtMs">When sending may resume, ms since the Unix epoch (receive time + <c>Retry-After</c> × 1000).</param>
    public void OnTooManyRequests(long retryAtMs) => _backOffUntilMs = Math.Max(_backOffUntilMs, retryAtMs);

    /// <summary>
    /// HTTP 418: the IP is banned until <paramref name="bannedUntilMs"/> (binance.md §6.1: WS API <c>error.data.retryAfter</c>
    /// is the epoch ms the ban lifts; bans escalate from 2 minutes to 3 days).
    /// </summary>
    /// <param name="bannedUntilMs">When the ban lifts, ms since the Unix epoch.</param>
    public void OnBanned(long bannedUntilMs) => _bannedUntilMs = Math.Max(_bannedUntilMs, bannedUntilMs);

    /// <summary>The count of the current window of rule <paramref name="ruleIndex"/> at <paramref name="nowMs"/>.</summary>
    /// <param name="ruleIndex">Index into <see cref="Rules"/>.</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns>Units used in the window.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="ruleIndex"/> is out of range.</exception>
    public long Count(int ruleIndex, long nowMs)
    {
        Roll(ruleIndex, nowMs);
        return _counts[ruleIndex];
    }

    private long Cost(int i, int orders, int weight) => _rules[i].Kind == RateLimitKind.Orders ? orders : weight;

    private void Roll(int i, long nowMs)
    {
        var interval = _rules[i].IntervalMs;
        var start = nowMs - (((nowMs % interval) + interval) % interval);
        if (start != _windowStartMs[i])
        {
            if (start < _windowStartMs[i])
            {
                return; // time went backwards: keep the newer window (deterministic, never under-counts)
            }

            _windowStartMs[i] = start;
            _counts[i] = 0;
        }
    }
}
