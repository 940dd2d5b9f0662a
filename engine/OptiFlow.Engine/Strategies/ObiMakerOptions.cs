namespace OptiFlow.Engine.Strategies;

/// <summary>Configuration of the <see cref="ObiMaker"/>.</summary>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record ObiMakerOptions
{
    /// <summary>The signal it reads (default <see cref="ImbalanceMeasure.Obi5"/>).</summary>
    public ImbalanceMeasure Measure { get; init; } = ImbalanceMeasure.Obi5;

    /// <summary>Quote a bid when the imbalance is at or above +threshold, an ask at or below −threshold; in (0, 1] (default 0.5).</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Quantity of each quote, 10⁻⁸ base units (default 0.001).</summary>
    public long Quantity { get; init; } = Model.FixedPoint.Scale / 1_000;

    /// <summary>Symbols it quotes (names); empty for every symbol with a synced book.</summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>Its limits.</summary>
    public StrategyLimits Limits { get; init; } = new();

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(Threshold > 0 && Threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The OBI threshold must be in (0, 1].");
        }

        if (!Enum.IsDefined(Measure))
        {
            throw new ArgumentOutOfRangeException(nameof(Measure), Measure, "Unknown imbalance measure.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Quantity, nameof(Quantity));
        ArgumentNullException.ThrowIfNull(Limits);
        Limits.Validate();
    }
}
