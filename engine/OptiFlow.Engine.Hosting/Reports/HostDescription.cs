using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Affinity;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>What a report says about the machine and the build: read once, after the run, from /proc and the assembly.</summary>
internal static class HostDescription
{
    /// <summary>The engine's informational version (without the commit) and the git commit, or "unknown".</summary>
    public static (string Version, string Commit) Build()
    {
        var informational = typeof(HostDescription).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return ("unknown", "unknown");
        }

        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, "unknown") : (informational[..plus], informational[(plus + 1)..]);
    }

    /// <summary>The first "model name" of /proc/cpuinfo, or "unknown".</summary>
    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return "unknown";
    }

    /// <summary>/proc/version's first line, or the runtime's OS description.</summary>
    public static string Kernel()
    {
        try
        {
            return File.ReadLines("/proc/version").FirstOrDefault()?.Trim() ?? RuntimeInformation.OSDescription;
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    /// <summary>The process CPU mask as a list ("0-3,6"), from sched_getaffinity, else /proc/self/status, else "unknown".</summary>
    public static string ProcessCpus()
    {
        try
        {
            return CpuAffinity.FormatList(CpuAffinity.GetAllowedCpus());
        }
        catch (CpuAffinityException)
        {
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                {
                    return line["Cpus_allowed_list:".Length..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return "unknown";
    }

    /// <summary>The GC's mode and its configuration variables (GC.GetConfigurationVariables), sorted by name.</summary>
    public static (bool Server, bool Concurrent, string LatencyMode, IReadOnlyList<KeyValuePair<string, object>> Settings) Gc()
    {
        var settings = GC.GetConfigurationVariables().OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var concurrent = settings.FirstOrDefault(p => p.Key == "ConcurrentGC").Value is bool c ? c
            : AppContext.GetData("System.GC.Concurrent") is bool d && d;
        return (GCSettings.IsServerGC, concurrent, GCSettings.LatencyMode.ToString(), settings);
    }
}
