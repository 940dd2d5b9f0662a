using System.Runtime;
using NUnit.Framework;

namespace OptiFlow.Testing;

/// <summary>Runs a measured session inside a no-GC region, so steady-state allocation counts are true.</summary>
/// <remarks>
/// A collection triggered by another thread retires a thread's allocation context, and the unused rest of it (up to
/// ~8 KiB) is then counted as allocated by <see cref="GC.GetAllocatedBytesForCurrentThread"/>: no GC may run inside a
/// measured window, or the count lies.
/// </remarks>
public static class NoGcRegion
{
    /// <summary>Collects, starts a no-GC region of <paramref name="budgetBytes"/> (failing the test if it cannot), runs
    /// <paramref name="run"/>, and ends the region if it is still active.</summary>
    /// <typeparam name="T">The run's result.</typeparam>
    /// <param name="budgetBytes">Bytes every thread may allocate during the run (start-up included).</param>
    /// <param name="run">The run.</param>
    /// <returns>What <paramref name="run"/> returned.</returns>
    public static T Run<T>(long budgetBytes, Func<T> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(GC.TryStartNoGCRegion(budgetBytes), Is.True, "could not start a no-GC region");
        try
        {
            return run();
        }
        finally
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }
}
