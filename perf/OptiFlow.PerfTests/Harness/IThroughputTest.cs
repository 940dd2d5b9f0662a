namespace OptiFlow.PerfTests.Harness;

/// <summary>One implementation of one topology, run several times by the harness.</summary>
internal interface IThroughputTest
{
    /// <summary>The topology, shared by a ring test and its baselines (e.g. <c>OneToOne.Long</c>).</summary>
    string Topology { get; }

    /// <summary>The implementation: <c>Ring</c>, <c>Channel</c>, <c>ConcurrentQueue</c>.</summary>
    string Implementation { get; }

    /// <summary>Events moved per run (before <c>--scale</c>).</summary>
    long Events { get; }

    /// <summary>Runs once with <paramref name="events"/> events; checks its own result.</summary>
    ThroughputRun Run(ThreadPlan plan, long events);
}
