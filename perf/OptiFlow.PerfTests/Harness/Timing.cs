using System.Diagnostics;

namespace OptiFlow.PerfTests.Harness;

/// <summary>Starts producer threads, waits (bounded) for every consumer's last event, and returns the elapsed time.</summary>
internal static class Timing
{
    /// <summary>Bound on one run: only a hang or a lost event reaches it, and the run then fails.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <returns>Elapsed seconds, or null when a consumer did not finish within <see cref="RunTimeout"/>.</returns>
    public static double? Run(ThreadPlan plan, int firstProducerThread, Action[] producers, params ManualResetEventSlim[] done)
    {
        var threads = new Thread[producers.Length];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < producers.Length; i++)
        {
            threads[i] = plan.Start(firstProducerThread + i, $"producer-{i}", producers[i]);
        }

        foreach (var signal in done)
        {
            if (!signal.Wait(RunTimeout))
            {
                return null;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        foreach (var thread in threads)
        {
            thread.Join(RunTimeout);
        }

        return elapsed;
    }

    public static ThroughputRun TimedOut(long events) => new(events, double.NaN, 0, $"timed out after {RunTimeout.TotalSeconds} s");
}
