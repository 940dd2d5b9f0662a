namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>What <see cref="SpotUniverseGenerator"/> generates: the seed, the number of frames, the universe's size, the
/// timing, the spreads, the random walk and the injected mispricings.</summary>
/// <remarks>An immutable options bag; <see cref="Validate"/> checks every value (the generator calls it).</remarks>
public sealed class SpotUniverseGeneratorOptions
{
    /// <summary>The seed: the same seed, exchangeInfo and options give the same recording, byte for byte.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of bookTicker frames (lines) to write; at least 1. Default 20,000.</summary>
    public int FrameCount { get; init; } = 20_000;

    /// <summary>
    /// Most symbols to use, or null for every TRADING symbol that is part of at least one asset triangle. A smaller
    /// universe is the symbols among the most connected assets (see <see cref="SpotUniverseGenerator"/>).
    /// </summary>
    public int? MaxSymbols { get; init; }

    /// <summary>Local timestamp of the first frame, ns since the Unix epoch. Default 2024-01-01T00:00:00Z.</summary>
    public long StartTimestampNs { get; init; } = 1_704_067_200_000_000_000;

    /// <summary>Local time between consecutive frames, ns; at least 1. Default 100,000 ns (10,000 frames per second).</summary>
    public long FrameSpacingNs { get; init; } = 100_000;

    /// <summary>Number of mispricings to inject; 0 for none. Default 10.</summary>
    public int MispricingCount { get; init; } = 10;

    /// <summary>
    /// Size of each mispricing: the mispriced symbol's bid and ask are both moved by this many basis points (up when
    /// rich, down when cheap). To show a positive edge through a triangle it must exceed three taker fees
    /// (<see cref="TakerFeeBps"/>) plus the three legs' half-spreads. Default 60 bps.
    /// </summary>
    public double MispricingBps { get; init; } = 60;

    /// <summary>
    /// How long a mispricing lasts, in frames: injected at frame n, the symbol's fair quote is written again at frame
    /// n + this (and any frame of the symbol in between is shifted too). At least 1. Default 50.
    /// </summary>
    public int MispricingFrames { get; init; } = 50;

    /// <summary>Smallest spread, in ticks; at least 1. Default 1.</summary>
    public int MinSpreadTicks { get; init; } = 1;

    /// <summary>Largest spread, in ticks; at least <see cref="MinSpreadTicks"/>. Each symbol draws its spread once. Default 3.</summary>
    public int MaxSpreadTicks { get; init; } = 3;

    /// <summary>
    /// Volatility of every asset's value: the standard deviation of its log-value's change per frame, in basis points
    /// (the walk is sampled lazily, when a symbol of the asset is written). Default 0.02 bps per frame.
    /// </summary>
    public double StepBps { get; init; } = 0.02;

    /// <summary>
    /// Taker fee per leg, in basis points, used to state each triangle's edge in the sidecar and to choose mispriced
    /// symbols that show a positive edge after fees. Default 10 bps (Binance spot's base rate).
    /// </summary>
    public double TakerFeeBps { get; init; } = 10;

    /// <summary>
    /// Price targeted for every symbol, in ticks: the initial asset values are the least-squares fit of
    /// price ≈ tickSize × this over the symbol graph. Default 10,000 (Binance's ticks are about 10⁻⁴..10⁻⁵ of price).
    /// </summary>
    public long TargetPriceTicks { get; init; } = 10_000;

    /// <summary>A symbol whose fitted price is below this many ticks is left out (its quotes would be too coarse). Default 1,000.</summary>
    public long MinPriceTicks { get; init; } = 1_000;

    /// <summary>A symbol whose fitted price is above this many ticks is left out. Default 10,000,000.</summary>
    public long MaxPriceTicks { get; init; } = 10_000_000;

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range (the message names it).</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FrameCount, 1, nameof(FrameCount));
        if (MaxSymbols is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 3, nameof(MaxSymbols));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(StartTimestampNs, nameof(StartTimestampNs));
        ArgumentOutOfRangeException.ThrowIfLessThan(FrameSpacingNs, 1, nameof(FrameSpacingNs));
        ArgumentOutOfRangeException.ThrowIfNegative(MispricingCount, nameof(MispricingCount));
        if (!(MispricingBps > 0 && MispricingBps < 5_000))
        {
            throw new ArgumentOutOfRangeException(nameof(MispricingBps), MispricingBps, "Must be above 0 and below 5,000 bps.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MispricingFrames, 1, nameof(MispricingFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSpreadTicks, 1, nameof(MinSpreadTicks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSpreadTicks, MinSpreadTicks, nameof(MaxSpreadTicks));
        if (!(StepBps >= 0 && StepBps <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(StepBps), StepBps, "Must be 0 to 100 bps per frame.");
        }

        if (!(TakerFeeBps >= 0 && TakerFeeBps < 1_000))
        {
            throw new ArgumentOutOfRangeException(nameof(TakerFeeBps), TakerFeeBps, "Must be 0 to 1,000 bps.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinPriceTicks, 1, nameof(MinPriceTicks));
        ArgumentOutOfRangeException.ThrowIfLessThan(TargetPriceTicks, MinPriceTicks, nameof(TargetPriceTicks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPriceTicks, TargetPriceTicks, nameof(MaxPriceTicks));
        if (MispricingCount > 0 && (long)MispricingCount * (MispricingFrames + 1) > FrameCount / 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MispricingCount),
                MispricingCount,
                $"{MispricingCount} mispricings of {MispricingFrames} frames do not fit in the second half of {FrameCount} frames.");
        }
    }
}
