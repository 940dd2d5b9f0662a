using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Affinity;

/// <summary>
/// Pins the calling thread to CPUs with Linux <c>sched_setaffinity(0, …)</c> (the runtime has no managed affinity
/// API), and reads the allowed set back.
/// </summary>
/// <remarks>
/// Pinning is done from inside the thread being pinned. Under <c>taskset</c> the process mask is the allowed set: a
/// request outside it is a <see cref="CpuAffinityException"/> naming the allowed CPUs, never a silent no-op.
/// Allocates a small array per call (cold path: once per thread start).
/// </remarks>
public static partial class CpuAffinity
{
    private const int MaskBytes = 128; // 1024 CPUs, as glibc's cpu_set_t.

    /// <summary>The CPUs the calling thread may run on.</summary>
    /// <returns>CPU numbers in ascending order.</returns>
    /// <exception cref="CpuAffinityException">On a platform without <c>sched_getaffinity</c>, or when the call fails.</exception>
    public static int[] GetAllowedCpus()
    {
        EnsureLinux();
        var mask = new byte[MaskBytes];
        if (SchedGetAffinity(0, (nuint)mask.Length, mask) != 0)
        {
            throw new CpuAffinityException($"sched_getaffinity failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        var cpus = new List<int>();
        for (var cpu = 0; cpu < MaskBytes * 8; cpu++)
        {
            if ((mask[cpu >> 3] & (1 << (cpu & 7))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return [.. cpus];
    }

    /// <summary>Pins the calling thread to one CPU.</summary>
    /// <param name="cpu">CPU number, as in <c>taskset -c</c>.</param>
    /// <exception cref="CpuAffinityException">When the CPU is not in the allowed set or the platform cannot pin.</exception>
    public static void PinCurrentThread(int cpu) => PinCurrentThread([cpu]);

    /// <summary>Pins the calling thread to a set of CPUs.</summary>
    /// <param name="cpus">CPU numbers; all must be in the allowed set.</param>
    /// <exception cref="CpuAffinityException">When a CPU is not allowed or the platform cannot pin.</exception>
    public static void PinCurrentThread(IReadOnlyCollection<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        var allowed = GetAllowedCpus();
        var mask = new byte[MaskBytes];
        foreach (var cpu in cpus)
        {
            if (Array.IndexOf(allowed, cpu) < 0)
            {
                throw new CpuAffinityException(
                    $"Cannot pin to CPU {cpu}: this process may only run on CPUs {FormatList(allowed)} (see taskset/cgroup limits).");
            }

            mask[cpu >> 3] |= (byte)(1 << (cpu & 7));
        }

        if (SchedSetAffinity(0, (nuint)mask.Length, mask) != 0)
        {
            throw new CpuAffinityException($"sched_setaffinity to CPUs {FormatList([.. cpus])} failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Formats CPUs as a <c>taskset</c>-style list (<c>0-3,6</c>).</summary>
    /// <param name="cpus">Ascending CPU numbers.</param>
    /// <returns>The list.</returns>
    public static string FormatList(int[] cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        var parts = new List<string>();
        for (var i = 0; i < cpus.Length; i++)
        {
            var start = cpus[i];
            while (i + 1 < cpus.Length && cpus[i + 1] == cpus[i] + 1)
            {
                i++;
            }

            parts.Add(start == cpus[i] ? $"{start}" : $"{start}-{cpus[i]}");
        }

        return string.Join(',', parts);
    }

    private static void EnsureLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new CpuAffinityException("CPU pinning uses sched_setaffinity and is only supported on Linux.");
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, byte[] mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nuint size, byte[] mask);
}
