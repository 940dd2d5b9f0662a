using System.Diagnostics;

namespace OptiFlow.Replay.Tests.Support;

/// <summary>Runs the real <c>optiflow</c> executable (beside the test assembly) as a child process, bounded in time.</summary>
internal static class OptiflowProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "optiflow");

    /// <summary>Starts <c>sh -c</c> with the script; <c>$OPTIFLOW</c> names the executable.</summary>
    public static Process StartShell(string script)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["OPTIFLOW"] = Executable;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
    }

    /// <summary>Runs a shell script to its end (at most <paramref name="timeout"/>, then kills it and fails).</summary>
    public static (int Exit, string Output, string Error) RunShell(string script, TimeSpan timeout)
    {
        using var process = StartShell(script);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{script}' did not finish within {timeout.TotalSeconds:0} s");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
