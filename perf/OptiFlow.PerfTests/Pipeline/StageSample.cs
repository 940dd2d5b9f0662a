namespace OptiFlow.PerfTests.Pipeline;

/// <summary>One timed run of one stage: wall time, the work done (ring events and recording frames), the garbage
/// collections that happened inside the timed window, the share of CPU time the host stole meanwhile, and the CPU time
/// the whole process used in the window (every thread: the stage's, its helpers', the JIT's).</summary>
/// <param name="Seconds">Wall time of the timed window (monotonic clock).</param>
/// <param name="Events">Ring events handled (one per slot: a depth message is one event per level).</param>
/// <param name="Frames">Recording frames (WebSocket frames and REST bodies) those events came from.</param>
/// <param name="Gen0">Generation-0 collections inside the window.</param>
/// <param name="Gen1">Generation-1 collections inside the window.</param>
/// <param name="Gen2">Generation-2 collections inside the window.</param>
/// <param name="StealPercent">Share of all CPUs' time stolen by the hypervisor during the window (NaN when unknown).</param>
/// <param name="CpuSeconds">User + system CPU time of the whole process during the window (<see cref="Environment.CpuUsage"/>):
/// the sum of the work of every thread, which two CPUs must share; above the wall time when several threads ran.</param>
/// <param name="JitSeconds">Time the JIT spent compiling during the window, on every thread
/// (<see cref="System.Runtime.JitInfo.GetCompilationTime(bool)"/>): mostly its background thread tiering methods up, which
/// takes a CPU from a stage that uses both (perf/ARCHIVE.md, "Replay: the JIT's tier-up and the session records").</param>
internal readonly record struct StageSample(double Seconds, long Events, long Frames, int Gen0, int Gen1, int Gen2, double StealPercent, double CpuSeconds, double JitSeconds)
{
    /// <summary>Runs with less JIT time than this in their window count as JIT-free (<see cref="StageRuns.JitFree"/>).</summary>
    public const double JitFreeSeconds = 0.0005;

    /// <summary>Events per second.</summary>
    public double EventsPerSecond => Events / Seconds;

    /// <summary>Frames per second.</summary>
    public double FramesPerSecond => Frames / Seconds;
}
