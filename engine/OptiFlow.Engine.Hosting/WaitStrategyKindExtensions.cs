using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Hosting;

/// <summary>Turns a <see cref="WaitStrategyKind"/> into a strategy instance, and parses its command-line name.</summary>
/// <remarks>Stateless: thread-safe. <see cref="Create(WaitStrategyKind)"/> allocates one strategy (wiring time).</remarks>
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
        WaitStrategyKind.Batching => new BatchingWaitStrategy(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown wait strategy."),
    };

    /// <summary>The batch a session's <see cref="WaitStrategyKind.Batching"/> consumer waits for, at most: 1,024 events
    /// (a quarter of a smaller ring). Larger batches mean fewer wake-ups, smaller ones less of the ring in flight
    /// (perf/ARCHIVE.md, "Whole run vs its slowest stage": 16 clearly cost more CPU than 256 to 4,096).</summary>
    public const int SessionBatchSize = 1024;

    /// <summary>A new strategy of this kind for a consumer of a ring of <paramref name="ringSize"/> slots: as
    /// <see cref="Create(WaitStrategyKind)"/>, except that a batching strategy waits for
    /// min(<see cref="SessionBatchSize"/>, a quarter of the ring) events, so a whole batch always fits behind the
    /// slowest consumer.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="ringSize">The ring's slot count (positive).</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value, or <paramref name="ringSize"/> is not positive.</exception>
    public static IWaitStrategy Create(this WaitStrategyKind kind, int ringSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ringSize, 1);
        return kind == WaitStrategyKind.Batching
            ? new BatchingWaitStrategy(Math.Clamp(ringSize / 4, 1, SessionBatchSize), BatchingWaitStrategy.DefaultMaxWait)
            : kind.Create();
    }

    /// <summary>Parses a command-line name: <c>yielding</c>, <c>blocking</c>, <c>sleeping</c>, <c>busy-spin</c>, <c>batching</c> (any case).</summary>
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
            case "batching":
                kind = WaitStrategyKind.Batching;
                return true;
            default:
                kind = WaitStrategyKind.Yielding;
                return false;
        }
    }
}
