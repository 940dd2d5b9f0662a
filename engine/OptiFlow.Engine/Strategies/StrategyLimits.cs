namespace OptiFlow.Engine.Strategies;

/// <summary>A strategy's own limits, checked before it emits a new order (the order gateway's pre-trade risk comes after, and is separate).</summary>
/// <remarks>Immutable: thread-safe. When the session trades (<see cref="Orders.OrderLedgerOptions.Trading"/>), open orders
/// and open notional are the core's ledger's (<see cref="Orders.OrderLedger.OpenOrders"/>,
/// <see cref="Orders.OrderLedger.OpenNotional"/>): an order is open from its New until the report that closes it. Without
/// a gateway nothing closes an order, so a strategy counts it open from its New until its own Cancel (maker) or until its
/// cool-down passed (IOC taker legs).</remarks>
public sealed record StrategyLimits
{
    /// <summary>Most orders open at once, across symbols (default 4).</summary>
    public int MaxOpenOrders { get; init; } = 4;

    /// <summary>Most notional open at once, Σ price × quantity over open orders, in 10⁻⁸ quote units (default 1,000 quote units).</summary>
    public long MaxNotional { get; init; } = 1_000 * Model.FixedPoint.Scale;

    /// <summary>Least time between two new orders (or two cycles) of the strategy on one symbol, ms of event time (default 1,000 ms).</summary>
    public long CooldownMs { get; init; } = 1_000;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, or <see cref="MaxOpenOrders"/> is 0.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOpenOrders, nameof(MaxOpenOrders));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxNotional, nameof(MaxNotional));
        ArgumentOutOfRangeException.ThrowIfNegative(CooldownMs, nameof(CooldownMs));
    }
}
