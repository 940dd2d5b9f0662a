using OptiFlow.Engine.Telemetry;

namespace OptiFlow.PerfTests.Harness;

/// <summary>A round-trip latency test: records every round trip into a histogram.</summary>
internal interface ILatencyTest
{
    string Topology { get; }

    string Implementation { get; }

    long Iterations { get; }

    /// <summary>Runs once; records round trips (ns) into <paramref name="histogram"/>; returns a failure or null.</summary>
    string? Run(ThreadPlan plan, long iterations, LatencyHistogram histogram);
}
