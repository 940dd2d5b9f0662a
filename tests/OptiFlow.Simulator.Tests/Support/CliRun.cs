using NUnit.Framework;
using OptiFlow.Cli;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>What one in-process <c>optiflow</c> command line produced.</summary>
internal sealed record CliResult(int Exit, string Output, string Error)
{
    /// <summary>Standard error's lines.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The last line on standard error (the run's one-line summary of a failure), or empty.</summary>
    public string LastErrorLine => ErrorLines.LastOrDefault() ?? "";
}

/// <summary>Runs <see cref="OptiFlowCommand.Run"/> (the public entry point) on a worker thread, bounded in time: a run
/// that does not finish fails the test instead of hanging it.</summary>
internal static class CliRun
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var run = Task.Run(() => OptiFlowCommand.Run(args, output, error));
        if (await Task.WhenAny(run, Task.Delay(Bound)) != run)
        {
            Assert.Fail($"optiflow {string.Join(' ', args)} did not finish within {Bound.TotalSeconds:0} s; output so far:\n{output}\n{error}");
        }

        var result = new CliResult(await run, output.ToString(), error.ToString());
        await TestContext.Out.WriteLineAsync($"$ optiflow {string.Join(' ', args)}\nexit {result.Exit}\n--- stdout\n{result.Output}--- stderr\n{result.Error}");
        return result;
    }
}
