using NUnit.Framework;

namespace OptiFlow.Testing;

/// <summary>Asserts that a hot-path call allocates nothing on the current thread (STYLE "Tests").</summary>
public static class AllocationAssert
{
    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="warmUpRuns"/> times (JIT tiers, lazy statics, buffer growth),
    /// then once more measuring <see cref="GC.GetAllocatedBytesForCurrentThread"/>; fails when the delta is not 0.
    /// </summary>
    /// <param name="action">The call under test; build its closure before calling this method.</param>
    /// <param name="warmUpRuns">Runs before measuring.</param>
    /// <returns>The allocated bytes (always 0 when the assertion passes).</returns>
    public static long ShouldNotAllocate(Action action, int warmUpRuns = 2)
    {
        ArgumentNullException.ThrowIfNull(action);
        for (var i = 0; i < warmUpRuns; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "bytes allocated on the current thread after warm-up");
        return allocated;
    }
}
