using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>
/// <c>optiflow simulate</c> as a child process (the real executable beside the test assembly), so a test can kill it
/// mid-run (SIGKILL: no close frame, the port closed) as a user's simulator or a venue's server dies.
/// </summary>
internal sealed partial class SimulatorProcess : IDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"ws://127.0.0.1:{Port}";

    /// <summary>Starts the simulator on an ephemeral port and waits (bounded) for its first line, which names the port.</summary>
    public static SimulatorProcess Start(string recording, string pace, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "optiflow"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "simulate", "--data", recording, "--port", "0", "--pace", pace })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start optiflow simulate");
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(timeout) || line.Result is not { } text || PortPattern().Match(text) is not { Success: true } match)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new TimeoutException($"optiflow simulate did not report its port within {timeout.TotalSeconds:0} s");
        }

        return new SimulatorProcess(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Whether a client holds an established TCP connection to the simulator's port (from /proc/net/tcp and tcp6).</summary>
    public bool HasEstablishedClient()
    {
        var port = Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);

        // The client's socket is dual-mode (IPv6 with IPv4-mapped addresses): look in both tables.
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.Exists("/proc/net/tcp6") ? File.ReadLines("/proc/net/tcp6").Skip(1) : []))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // local_address rem_address st: the client's side has the simulator's port as its remote port, state 01.
            if (fields.Length > 3 && fields[2].EndsWith(":" + port, StringComparison.Ordinal) && fields[3] == "01")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>SIGKILL: the process dies without closing anything; the kernel resets its connections.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"ws://127\.0\.0\.1:(\d+)")]
    private static partial Regex PortPattern();
}
