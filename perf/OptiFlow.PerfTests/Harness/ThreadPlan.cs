using OptiFlow.Engine.Affinity;

namespace OptiFlow.PerfTests.Harness;

/// <summary>
/// Assigns the threads of a test to the CPUs given with <c>--cpus</c>, round-robin (thread k gets
/// <c>cpus[k % count]</c>); with no list, nothing is pinned. Degrades gracefully on a 2-core box: four threads on
/// two CPUs simply share them.
/// </summary>
internal sealed class ThreadPlan(int[]? cpus)
{
    public int? CpuFor(int threadIndex) => cpus is null ? null : cpus[threadIndex % cpus.Length];

    /// <summary>Starts a thread that pins itself (when planned) and runs <paramref name="body"/>.</summary>
    public Thread Start(int threadIndex, string name, Action body)
    {
        var cpu = CpuFor(threadIndex);
        var thread = new Thread(() =>
        {
            if (cpu is { } c)
            {
                CpuAffinity.PinCurrentThread(c);
            }

            body();
        })
        {
            Name = name,
            IsBackground = true,
        };
        thread.Start();
        return thread;
    }
}
