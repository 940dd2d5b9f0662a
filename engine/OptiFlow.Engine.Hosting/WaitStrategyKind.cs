namespace OptiFlow.Engine.Hosting;

/// <summary>How a consumer thread waits for its next event (each consumer has its own: see <see cref="EngineOptions"/>).</summary>
/// <remarks>tuning.md compares their idle CPU and wake-up latency. Values are stable names for options and journals.</remarks>
public enum WaitStrategyKind
{
    /// <summary>Spin briefly, then yield the CPU (<see cref="WaitStrategies.YieldingWaitStrategy"/>): low latency, burns a CPU while idle.</summary>
    Yielding,

    /// <summary>Lock and condition (<see cref="WaitStrategies.BlockingWaitStrategy"/>): idle costs nothing; producers signal on publish.</summary>
    Blocking,

    /// <summary>Spin, yield, then sleep (<see cref="WaitStrategies.SleepingWaitStrategy"/>): cheap when idle, slower to wake.</summary>
    Sleeping,

    /// <summary>Busy-spin (<see cref="WaitStrategies.BusySpinWaitStrategy"/>): lowest latency; only for a consumer pinned to an isolated core.</summary>
    BusySpin,

    /// <summary>Park until a batch is published, at most ~1 ms (<see cref="WaitStrategies.BatchingWaitStrategy"/>): no CPU
    /// while waiting, one wake-up per batch; events wait for their batch. For file runs (throughput), never a live core.</summary>
    Batching,
}
