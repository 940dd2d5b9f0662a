namespace OptiFlow.Engine.Hosting;

/// <summary>Which thread journals the inbound ring's events (<see cref="EngineOptions.JournalPlacement"/>).</summary>
public enum JournalPlacement
{
    /// <summary>
    /// <see cref="CoreThread"/> for a file run (a recording session without trading) on a machine with fewer CPUs than
    /// its three busy threads (<see cref="Environment.ProcessorCount"/> &lt; 3, which follows taskset and cgroup limits)
    /// when neither <see cref="EngineOptions.JournalCpu"/> nor <see cref="EngineOptions.JournalLinger"/> asks for a
    /// journal thread; <see cref="OwnThread"/> otherwise. <see cref="EngineSession.JournalOnCoreThread"/> says which.
    /// </summary>
    Auto,

    /// <summary>The journal has its own consumer thread, <c>optiflow-journal</c>, beside the core (ARCHITECTURE.md).</summary>
    OwnThread,

    /// <summary>
    /// The core's thread journals each batch right after the core has handled it, from the same ring slots (still
    /// its own until the batch's sequence is released, and still in its cache): one thread fewer, and no second
    /// consumer reading every slot from another CPU. For throughput on two CPUs, where a file run's producer, core
    /// and journal threads would otherwise share them (perf/README.md, "Issue 20 at a glance"). The core's latency
    /// stamps do not count the journal's work, but the next batch waits for it: not for live or trading sessions
    /// that care about the core's pick-up latency.
    /// </summary>
    CoreThread,
}
