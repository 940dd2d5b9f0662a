using System.Diagnostics;
using NUnit.Framework;

namespace OptiFlow.Testing;

/// <summary>Waits for a condition without busy-spinning; fails the test with a message at the timeout.</summary>
public static class BoundedWait
{
    public static void Until(Func<bool> condition, TimeSpan timeout, Func<string> failureMessage)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s: {failureMessage()}");
            }

            Thread.Sleep(1);
        }
    }
}
