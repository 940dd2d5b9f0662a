using System.Runtime.InteropServices;

namespace OptiFlow.PerfTests.Harness;

/// <summary>The machine a figure was measured on: CPU model (from /proc/cpuinfo), logical cores, OS, runtime.</summary>
internal sealed record MachineInfo(string CpuModel, int LogicalCores, string AllowedCpus, string Os, string Runtime)
{
    public static MachineInfo Read()
    {
        var model = "unknown";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                model = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var allowed = OperatingSystem.IsLinux()
            ? OptiFlow.Engine.Affinity.CpuAffinity.FormatList(OptiFlow.Engine.Affinity.CpuAffinity.GetAllowedCpus())
            : "n/a";
        return new MachineInfo(model, Environment.ProcessorCount, allowed, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() =>
        $"{CpuModel}, {LogicalCores} logical cores (allowed: {AllowedCpus}), {Os}, {Runtime}";
}
