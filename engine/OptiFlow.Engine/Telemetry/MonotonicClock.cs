using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Telemetry;

/// <summary>The monotonic clock every latency stamp uses: <see cref="Stopwatch"/> ticks converted to ns.</summary>
/// <remarks>On Linux the Stopwatch frequency is 10⁹, so the conversion is exact and free. Thread-safe, allocation-free.</remarks>
public static class MonotonicClock
{
    private static readonly bool IsNanosecondClock = Stopwatch.Frequency == 1_000_000_000;
    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Current monotonic time in ns (arbitrary origin; compare only with other readings of this clock).</summary>
    public static long NowNs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var ticks = Stopwatch.GetTimestamp();
            return IsNanosecondClock ? ticks : (long)(ticks * NsPerTick);
        }
    }
}
