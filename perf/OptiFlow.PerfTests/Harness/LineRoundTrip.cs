using System.Diagnostics;
using OptiFlow.Engine;

namespace OptiFlow.PerfTests.Harness;

/// <summary>
/// Measures the round trip of a cache line between the CPUs of a run's first two threads: one thread publishes a
/// counter in one padded <see cref="Sequence"/>, the other echoes it in a second, <see cref="RoundTrips"/> times.
/// It is the physical floor under every cross-thread hand-off, and on a virtual machine it moves when the host moves
/// the virtual CPUs (~170 ns round trip when they share a core complex on the EPYC VMs here, ~550 ns when not), so
/// the harness measures it just before every run and records it beside the run's rate.
/// </summary>
/// <remarks>Takes ~4–15 ms. Both threads spin; each spin is bounded by <see cref="Timeout"/>, after which the
/// measurement is abandoned and reported as <see cref="double.NaN"/> (a descheduled thread, not a hang).</remarks>
internal static class LineRoundTrip
{
    /// <summary>Round trips per measurement.</summary>
    public const int RoundTrips = 20_000;

    /// <summary>The longest a measurement may take before it is abandoned.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The mean round trip in ns between <paramref name="plan"/>'s thread 0 and thread 1 (pinned as the plan pins
    /// them, or left to the scheduler when it does not); NaN if it did not finish within <see cref="Timeout"/>, or when
    /// the plan puts both threads on one CPU.
    /// </summary>
    public static double MeasureNs(ThreadPlan plan)
    {
        if (plan.CpuFor(0) is { } timerCpu && plan.CpuFor(1) == timerCpu)
        {
            return double.NaN; // one CPU for both threads (--cpus N): no line crosses, and each spin waits for a time slice
        }

        var ping = new Sequence(0);
        var pong = new Sequence(0);
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        var abandoned = 0;
        var result = double.NaN;
        var echo = plan.Start(1, "round-trip-echo", () =>
        {
            for (long expected = 1; expected <= RoundTrips; expected++)
            {
                if (!SpinUntil(ping, expected, deadline, ref abandoned))
                {
                    return;
                }

                pong.SetValue(expected);
            }
        });
        var timer = plan.Start(0, "round-trip-timer", () =>
        {
            var start = Stopwatch.GetTimestamp();
            for (long value = 1; value <= RoundTrips; value++)
            {
                ping.SetValue(value);
                if (!SpinUntil(pong, value, deadline, ref abandoned))
                {
                    return;
                }
            }

            result = Stopwatch.GetElapsedTime(start).TotalNanoseconds / RoundTrips;
        });
        timer.Join();
        echo.Join();
        return result;
    }

    private static bool SpinUntil(Sequence sequence, long value, long deadline, ref int abandoned)
    {
        var spins = 0;
        while (sequence.Value != value)
        {
            if (++spins == 1024)
            {
                spins = 0;
                if (Volatile.Read(ref abandoned) != 0 || Stopwatch.GetTimestamp() > deadline)
                {
                    Volatile.Write(ref abandoned, 1);
                    return false;
                }
            }
        }

        return true;
    }
}
