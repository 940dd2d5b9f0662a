using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Hosting;

/// <summary>Turns a <see cref="WaitStrategyKind"/> into a strategy instance, and parses its command-line name.</summary>
/// <remarks>Stateless: thread-safe. <see cref="Create"/> allocates one strategy (wiring time).</remarks>
public static class WaitStrategyKindExtensions
{
    /// <summary>A new strategy of this kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static IWaitStrategy Create(this WaitStrategyKind kind) => kind switch
    {
        WaitStrategyKind.Yielding => new YieldingWaitStrategy(),
        WaitStrategyKind.Blocking => new BlockingWaitStrategy(),
        WaitStrategyKind.Sleeping => new SleepingWaitStrategy(),
        WaitStrategyKind.BusySpin => new BusySpinWaitStrategy(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown wait strategy."),
    };

    /// <summary>Parses a command-line name: <c>yielding</c>, <c>blocking</c>, <c>sleeping</c>, <c>busy-spin</c> (any case).</summary>
    /// <param name="value">The name.</param>
    /// <param name="kind">The kind, when recognised.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? value, out WaitStrategyKind kind)
    {
        switch (value?.ToLowerInvariant())
        {
            case "yielding":
                kind = WaitStrategyKind.Yielding;
                return true;
            case "blocking":
                kind = WaitStrategyKind.Blocking;
                return true;
            case "sleeping":
                kind = WaitStrategyKind.Sleeping;
                return true;
            case "busy-spin" or "busyspin":
                kind = WaitStrategyKind.BusySpin;
                return true;
            default:
                kind = WaitStrategyKind.Yielding;
                return false;
        }
    }
}
