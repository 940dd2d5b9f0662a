namespace OptiFlow.Cli.Session;

/// <summary>The consumers' wait strategy, as chosen on the command line.</summary>
internal enum WaitStrategyKind
{
    /// <summary>Spin, then yield (default).</summary>
    Yielding,

    /// <summary>Lock and condition.</summary>
    Blocking,

    /// <summary>Spin, yield, then sleep 1 ms.</summary>
    Sleeping,

    /// <summary>Busy-spin: only for consumers pinned to isolated cores.</summary>
    BusySpin,
}
