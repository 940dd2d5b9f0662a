namespace OptiFlow.Engine.Strategies;

/// <summary>Configuration of the <see cref="TriangleTaker"/>.</summary>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record TriangleTakerOptions
{
    /// <summary>The least edge it trades, bps after fees (default 5). It sees only the opportunities the triangle
    /// evaluator emits, so a threshold below the evaluator's own changes nothing.</summary>
    public double MinEdgeBps { get; init; } = 5;

    /// <summary>Its limits: <see cref="StrategyLimits.MaxOpenOrders"/> counts IOC legs sent within the last
    /// <see cref="StrategyLimits.CooldownMs"/> (a cycle is three), <see cref="StrategyLimits.MaxNotional"/> caps each leg's
    /// notional in its own quote asset, and the cool-down applies per triangle. Default: one cycle in flight.</summary>
    public StrategyLimits Limits { get; init; } = new() { MaxOpenOrders = 3 };

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!double.IsFinite(MinEdgeBps))
        {
            throw new ArgumentOutOfRangeException(nameof(MinEdgeBps), MinEdgeBps, "The taker's minimum edge must be a finite number of bps.");
        }

        ArgumentNullException.ThrowIfNull(Limits);
        Limits.Validate();
        if (Limits.MaxOpenOrders < TriangleTaker.LegsPerCycle)
        {
            throw new ArgumentOutOfRangeException(nameof(Limits), Limits.MaxOpenOrders, $"MaxOpenOrders must allow one cycle ({TriangleTaker.LegsPerCycle} legs).");
        }
    }
}
