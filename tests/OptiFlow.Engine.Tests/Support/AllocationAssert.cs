namespace OptiFlow.Engine.Tests.Support;

/// <summary>Asserts that a hot-path call allocates nothing on the current thread (STYLE "Tests").</summary>
/// <remarks>
/// Same contract as <c>OptiFlow.Testing.AllocationAssert</c>; kept local so this project depends on the engine alone
/// while the shared testing project is being reworked.
/// </remarks>
internal static class AllocationAssert
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmUpRuns"/> times, then once more measuring; fails unless 0 bytes.</summary>
    public static void ShouldNotAllocate(Action action, int warmUpRuns = 3)
    {
        for (var i = 0; i < warmUpRuns; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "bytes allocated on the current thread after warm-up");
    }
}
