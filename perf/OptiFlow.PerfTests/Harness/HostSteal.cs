using System.Globalization;
using System.Runtime.InteropServices;

namespace OptiFlow.PerfTests.Harness;

/// <summary>
/// The CPU time the hypervisor took from this virtual machine ("steal"), read from the aggregate <c>cpu</c> line of
/// <c>/proc/stat</c> (its 8th value, in clock ticks of <c>sysconf(_SC_CLK_TCK)</c>, usually 10 ms). On a shared VM a
/// run that lost CPU time to the host measures the host, not the ring: the harness records the stolen share of every
/// run beside its rate so such runs can be recognised.
/// </summary>
/// <remarks>Linux only; elsewhere, or when <c>/proc/stat</c> cannot be read, readings are <see cref="double.NaN"/>. The resolution is one clock tick summed over all CPUs, so a run of a few
/// hundred milliseconds reads in steps of ~1% of two CPUs.</remarks>
internal static partial class HostSteal
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK in glibc's <bits/confname.h>
    private static readonly double SecondsPerTick = ReadSecondsPerTick();

    /// <summary>Stolen CPU time since boot, summed over all CPUs, in seconds; NaN when unavailable.</summary>
    public static double ReadSeconds()
    {
        if (!OperatingSystem.IsLinux() || double.IsNaN(SecondsPerTick))
        {
            return double.NaN;
        }

        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            var ticks = line is null ? -1 : ParseCpuLine(line);
            return ticks < 0 ? double.NaN : ticks * SecondsPerTick;
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>
    /// The share of all CPUs' time stolen between two readings over <paramref name="wallSeconds"/>, in percent
    /// (0–100); NaN when either reading is unavailable or the interval is empty.
    /// </summary>
    public static double Percent(double before, double after, double wallSeconds) =>
        double.IsNaN(before) || double.IsNaN(after) || !(wallSeconds > 0)
            ? double.NaN
            : 100 * (after - before) / (wallSeconds * Environment.ProcessorCount);

    /// <summary>
    /// The steal value, in ticks, of a <c>/proc/stat</c> aggregate line
    /// (<c>cpu user nice system idle iowait irq softirq steal ...</c>); -1 when the line has no steal field.
    /// </summary>
    public static long ParseCpuLine(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 8 && fields[0] == "cpu" && long.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out var steal)
            ? steal
            : -1;
    }

    private static double ReadSecondsPerTick()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        try
        {
            var ticks = SysConf(ClockTicksName);
            return ticks > 0 ? 1.0 / ticks : double.NaN;
        }
        catch (DllNotFoundException)
        {
            return double.NaN;
        }
        catch (EntryPointNotFoundException)
        {
            return double.NaN;
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
