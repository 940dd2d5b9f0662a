namespace OptiFlow.Engine.Hosting;

/// <summary>What <see cref="TradeFlowRun.Run{TSink}"/> read and computed.</summary>
/// <remarks>Immutable after the run; thread-safe to read.</remarks>
public sealed record TradeFlowResult
{
    /// <summary>Frames read from the recording.</summary>
    public long Frames { get; init; }

    /// <summary><c>trade</c> events fed to the buckets.</summary>
    public long Trades { get; init; }

    /// <summary><c>trade</c> events skipped because their execution type <c>X</c> was not <c>MARKET</c> (<see cref="Model.MarketEventFlags.NonMarketTrade"/>).</summary>
    public long NonMarketTrades { get; init; }

    /// <summary><c>aggTrade</c> events skipped (see <see cref="TradeFlowRun"/> for why).</summary>
    public long AggTrades { get; init; }

    /// <summary>Frames that failed to decode (or lines without a timestamp prefix).</summary>
    public long DecodeErrors { get; init; }

    /// <summary>Input files whose gzip data was damaged or cut (reading went on with the next file).</summary>
    public long DamagedInputs { get; init; }

    /// <summary>Buckets completed, every symbol (including the first <c>N − 1</c> of each, which print no row).</summary>
    public long Buckets { get; init; }

    /// <summary>Rows reported: buckets from each symbol's <c>N</c>-th on.</summary>
    public long Rows { get; init; }

    /// <summary>Symbols with at least one trade fed.</summary>
    public int Symbols { get; init; }
}
