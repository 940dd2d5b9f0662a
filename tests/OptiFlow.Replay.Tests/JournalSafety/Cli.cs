using System.Diagnostics;
using System.Globalization;
using System.Text;
using OptiFlow.Cli;

namespace OptiFlow.Replay.Tests.JournalSafety;

/// <summary>What one <c>optiflow</c> command printed and returned.</summary>
/// <param name="Exit">The exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record CliResult(int Exit, string Output, string Error)
{
    /// <summary>Both streams, for failure messages.</summary>
    public override string ToString() => $"exit {Exit}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs <c>optiflow</c> as a user does: in-process through <see cref="OptiFlowCommand.Run"/>, or as a child
/// process (optionally inside a <c>sh -c</c> wrapper that sets limits or mounts), always bounded.</summary>
internal static class Cli
{
    private static readonly TimeSpan ChildBound = TimeSpan.FromSeconds(120);

    /// <summary>One command in this process.</summary>
    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = OptiFlowCommand.Run(args, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>The command that starts the tool in a child: the .NET host and <c>optiflow.dll</c>.</summary>
    public static (string Host, string Dll) Command =>
        (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "optiflow.dll"));

    /// <summary>
    /// Runs <paramref name="script"/> with <c>sh -c</c> (after <paramref name="wrapper"/>, e.g. <c>unshare --mount</c>),
    /// where the shell function <c>optiflow</c> runs the tool and <c>"$1"</c>, <c>"$2"</c>, … are
    /// <paramref name="args"/>. Killed and failed after two minutes.
    /// </summary>
    /// <returns>The result; null when the wrapper program cannot be started here.</returns>
    public static CliResult? Shell(string script, string[] wrapper, params string[] args)
    {
        var (host, dll) = Command;
        var program = wrapper.Length > 0 ? wrapper[0] : "sh";
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in wrapper.Skip(1).Concat(wrapper.Length > 0 ? ["sh"] : []))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("optiflow() { \"$OPTIFLOW_HOST\" \"$OPTIFLOW_DLL\" \"$@\"; }\n" + script);
        start.ArgumentList.Add("optiflow-test");
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OPTIFLOW_HOST"] = host;
        start.Environment["OPTIFLOW_DLL"] = dll;
        Process child;
        try
        {
            child = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using (child)
        {
            var output = child.StandardOutput.ReadToEndAsync();
            var error = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(ChildBound))
            {
                child.Kill(entireProcessTree: true);
                NUnit.Framework.Assert.Fail($"the child did not finish within {ChildBound.TotalSeconds:0} s: {script}");
            }

            child.WaitForExit();
            return new CliResult(child.ExitCode, output.Result, error.Result);
        }
    }

    /// <summary>The value after <paramref name="prefix"/> on the line that starts with it, in <paramref name="text"/>.</summary>
    public static string? Field(string text, string prefix)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..].Trim();
            }
        }

        return null;
    }

    /// <summary>SHA-256 of every file under <paramref name="directory"/> (relative path → hex), to prove nothing changed.</summary>
    public static SortedDictionary<string, string> Snapshot(string directory)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(directory, file)] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
        }

        return files;
    }
}

/// <summary>Points <c>XDG_STATE_HOME</c> (the default journal location's root) at a test folder for the length of a test.</summary>
/// <remarks>This assembly's tests do not run in parallel, so the process-wide variable is safe to change.</remarks>
internal sealed class StateHome : IDisposable
{
    private const string Variable = "XDG_STATE_HOME";
    private readonly string? _previous;

    public StateHome(string path)
    {
        _previous = Environment.GetEnvironmentVariable(Variable);
        Path = path;
        Environment.SetEnvironmentVariable(Variable, path);
    }

    /// <summary>The state home; default journals go to <c>PATH/optiflow/</c>.</summary>
    public string Path { get; }

    /// <summary>The private root inside it.</summary>
    public string Root => System.IO.Path.Combine(Path, "optiflow");

    /// <summary>Every entry under <see cref="Root"/> (empty when it does not exist).</summary>
    public string[] Entries => Directory.Exists(Root) ? Directory.GetFileSystemEntries(Root) : [];

    public void Dispose() => Environment.SetEnvironmentVariable(Variable, _previous);
}
