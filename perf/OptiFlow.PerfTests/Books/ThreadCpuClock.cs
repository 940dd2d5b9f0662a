using System.Runtime.InteropServices;

namespace OptiFlow.PerfTests.Books;

/// <summary>
/// The calling thread's CPU time (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): on a loaded machine it leaves out the
/// time the thread waited for a CPU, which wall-clock time includes.
/// </summary>
/// <remarks>Linux only (NaN elsewhere or on failure); resolution in nanoseconds; allocation-free.</remarks>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID in <linux/time.h>

    /// <summary>CPU time of the calling thread since it started, in seconds; NaN when unavailable.</summary>
    public static double ReadSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        return ClockGetTime(ThreadCpuTimeId, out var time) == 0 ? time.Seconds + (time.Nanoseconds * 1e-9) : double.NaN;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
