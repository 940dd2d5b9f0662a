namespace OptiFlow.Engine.Matching;

/// <summary>Configuration of a <see cref="MatchingEngine"/>: fees, order-entry latency and fixed capacities.</summary>
/// <remarks>Read once by the engine's constructor; not thread-safe to mutate while one is being built.</remarks>
public sealed class MatchingOptions
{
    /// <summary>Maker fee in basis points (spot default 10 = 0.1 %; futures 2 = 0.02 %); negative for a rebate. Default 0.</summary>
    public decimal MakerFeeBasisPoints { get; init; }

    /// <summary>Taker fee in basis points (spot default 10; futures 5). Default 0.</summary>
    public decimal TakerFeeBasisPoints { get; init; }

    /// <summary>
    /// Order-entry latency in event-time ms: a command becomes active <c>EventTimeMs + OrderEntryLatencyMs</c>, at the
    /// first market event at or after that time (or <see cref="MatchingEngine.AdvanceTo"/>). 0 (default) = active on submit.
    /// </summary>
    public long OrderEntryLatencyMs { get; init; }

    /// <summary>Open (resting) orders the engine can hold over all symbols; more are rejected. Default 4,096.</summary>
    public int MaxOpenOrders { get; init; } = 4096;

    /// <summary>Commands waiting out the entry latency; more are rejected. Default 4,096.</summary>
    public int MaxPendingCommands { get; init; } = 4096;

    /// <summary>Initial price levels per book side. Default 1,024 (grows on overflow, a counted cold path).</summary>
    public int BookCapacity { get; init; } = 1024;
}
