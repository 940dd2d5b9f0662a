using System.Diagnostics;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>
/// Times one stage's window: <see cref="Start"/> first collects the garbage of the set-up (so a collection it caused does
/// not land inside the window), then reads the GC counts, the host's steal counter, the process's CPU time, the JIT's
/// compilation time (every thread: <see cref="System.Runtime.JitInfo"/>) and, last, the monotonic clock;
/// <see cref="Stop"/> reads them again.
/// </summary>
internal readonly struct StageClock
{
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly int _gen2;
    private readonly double _stealSeconds;
    private readonly TimeSpan _cpu;
    private readonly long _startTicks;
    private readonly TimeSpan _jit;

    private StageClock(int gen0, int gen1, int gen2, double stealSeconds, TimeSpan cpu, TimeSpan jit, long startTicks)
    {
        _jit = jit;
        _gen0 = gen0;
        _gen1 = gen1;
        _gen2 = gen2;
        _stealSeconds = stealSeconds;
        _cpu = cpu;
        _startTicks = startTicks;
    }

    /// <summary>Collects, then starts the window (the clock is read last).</summary>
    public static StageClock Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new StageClock(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), HostSteal.ReadSeconds(), Environment.CpuUsage.TotalTime, System.Runtime.JitInfo.GetCompilationTime(currentThread: false), Stopwatch.GetTimestamp());
    }

    /// <summary>Ends the window (the clock is read first).</summary>
    /// <param name="events">Ring events the stage handled.</param>
    /// <param name="frames">Recording frames they came from.</param>
    public StageSample Stop(long events, long frames)
    {
        var seconds = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - _cpu).TotalSeconds;
        var jit = (System.Runtime.JitInfo.GetCompilationTime(currentThread: false) - _jit).TotalSeconds;
        var steal = HostSteal.Percent(_stealSeconds, HostSteal.ReadSeconds(), seconds);
        return new StageSample(seconds, events, frames, GC.CollectionCount(0) - _gen0, GC.CollectionCount(1) - _gen1, GC.CollectionCount(2) - _gen2, steal, cpu, jit);
    }
}
