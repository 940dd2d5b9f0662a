using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests.Operations;

/// <summary>
/// The progress line of file runs and replays: drawn in place (<c>\r</c>) on standard error when forced
/// (<c>--progress always</c>, standing in for a terminal), ending in the totals and then cleared; absent when standard
/// error is redirected (a pipe, or a test's writer), so scripts and tests see clean output.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProgressLineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private TempDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TempDirectory("progress");

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task ShouldDrawProgressLinesEndingInTheTotalsThenClear_WhenProgressIsForcedOnAFileRun()
    {
        // Act
        var result = await CliRun.RunAsync("run", "--market", "futures", "--progress", "always", "--journal", _directory.File("journal"), DemoRecording.Path);

        // Assert
        var run = Lines(result.Error, "run: ");
        var replay = Lines(result.Error, "replay: ");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.Success), result.Error);
            Assert.That(run, Is.Not.Empty, "at least the final line of the run");
            Assert.That(run.LastOrDefault(), Does.Match(@"^run: (\d+\.\d) of \1 MB \(100%\), 13,384 frames, [\d,]+ frames/s, elapsed [\d.:]+( s)?$"), "the run's last line is its total: every byte of the input, every frame");
            Assert.That(replay.LastOrDefault(), Does.Match(@"^replay: ([\d,]+) of \1 events \(100%\), [\d,]+ events/s, elapsed [\d.:]+( s)?$"), "the replay's last line is its total");
            Assert.That(Regex.Match(replay.LastOrDefault() ?? "", @"^replay: ([\d,]+)").Groups[1].Value, Is.EqualTo(Regex.Match(result.Output, @"replay of .*?: ([\d,]+) events").Groups[1].Value), "the total is the replay's event count");
            Assert.That(result.Error, Does.EndWith("\r"), "the line is cleared at the end");
            Assert.That(result.Error.Split('\r')[^2], Is.Empty.Or.Match(@"^ +$"), "cleared with spaces");
            Assert.That(result.Error.Replace("\r", "", StringComparison.Ordinal).Trim(), Does.Not.Contain("optiflow:"), "no log line on a clean run");
        }
    }

    [Test]
    public async Task ShouldDrawTheReplaysTotalFromTheRunSummary_WhenProgressIsForcedOnAReplay()
    {
        // Arrange
        var journal = _directory.File("journal");
        var run = await CliRun.RunAsync("run", "--market", "futures", "--journal", journal, DemoRecording.Path);
        Assert.That(run.Exit, Is.EqualTo(OptiFlowCommand.Success), run.Error);
        var events = Regex.Match(run.Output, @"replay of .*?: ([\d,]+) events").Groups[1].Value;

        // Act
        var result = await CliRun.RunAsync("replay", journal, "--progress", "always");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.Success), result.Error);
            Assert.That(events, Is.Not.Empty);
            Assert.That(Lines(result.Error, "replay: ").LastOrDefault(), Does.StartWith($"replay: {events} of {events} events (100%), "));
            Assert.That(result.Error, Does.EndWith("\r"));
        }
    }

    [Test]
    public async Task ShouldDrawNothing_WhenStandardErrorIsATestWriter()
    {
        // Act: --progress auto (the default) with standard error a StringWriter, not the process's terminal.
        var result = await CliRun.RunAsync("run", "--market", "futures", "--journal", _directory.File("journal"), DemoRecording.Path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.Success), result.Error);
            Assert.That(result.Error, Is.Empty);
        }
    }

    [Test]
    public async Task ShouldDrawNothing_WhenStandardErrorIsRedirectedToAPipe()
    {
        // Arrange: the built tool as a process, standard error a pipe.
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "optiflow"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--market", "futures", "--journal", _directory.File("journal"), DemoRecording.Path })
        {
            info.ArgumentList.Add(argument);
        }

        // Act
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit(Bound);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        // Assert
        var (stdout, stderr) = (await output, await error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exited, Is.True, "finished within the bound");
            Assert.That(process.ExitCode, Is.EqualTo(OptiFlowCommand.Success), stderr);
            Assert.That(stdout, Does.Contain("replay verdict: IDENTICAL"));
            Assert.That(stderr, Is.Empty, "no progress line into a pipe");
        }
    }

    [Test]
    public async Task ShouldRefuseStatusInterval_WhenTheRunIsOnFiles()
    {
        // Act
        var result = await CliRun.RunAsync("run", "--market", "futures", "--status-interval", "1", "--journal", _directory.File("journal"), DemoRecording.Path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(result.LastErrorLine, Is.EqualTo("optiflow: --status-interval is for live runs (--venue); a run on FILE shows --progress instead"));
            Assert.That(Directory.Exists(_directory.File("journal")), Is.False, "a refusal creates nothing");
        }
    }

    /// <summary>The progress lines drawn (the text between carriage returns) that start with <paramref name="prefix"/>.</summary>
    private static string[] Lines(string error, string prefix) =>
        [.. error.Split('\r').Select(s => s.TrimEnd(' ')).Where(s => s.StartsWith(prefix, StringComparison.Ordinal))];
}
