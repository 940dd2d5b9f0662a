using System.Diagnostics;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests;

/// <summary><c>optiflow run --venue</c> as a process of its own stops cleanly on SIGTERM: the session drains, the report
/// and the feed's verdict are written, the journal is replayed, and the exit code is the run's (here 4: the feed sent
/// nothing), not a signal's death.</summary>
[TestFixture]
[NonParallelizable]
public sealed class LiveSignalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ShouldWriteTheReportAndExit4_WhenSigtermStopsALiveRunThatReceivedNothing()
    {
        // Arrange
        using var directory = new TempDirectory("live-sigterm");
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.SilentWebSocket);
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "optiflow"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--venue", "sim", "--endpoint", server.Endpoint, "--symbols", "btcusdt", "--journal", directory.File("journal") })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        BoundedWait.Until(() => server.Upgraded > 0 || process.HasExited, Bound, () => "the run never connected");

        // Act: the shell's own kill (no /bin/kill needed).
        using (var kill = Process.Start("/bin/sh", ["-c", $"kill -TERM {process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]))
        {
            await kill.WaitForExitAsync();
        }

        var exited = process.WaitForExit(Bound);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        // Assert
        var (stdout, stderr) = (await output, await error);
        await TestContext.Out.WriteLineAsync($"exit {(exited ? process.ExitCode : -1)}\n{stdout}\n{stderr}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exited, Is.True, "stopped within the bound");
            Assert.That(process.ExitCode, Is.EqualTo(OptiFlowCommand.VenueFailure));
            Assert.That(stdout, Does.Contain("ended: Stopped"));
            Assert.That(stdout, Does.Contain("stopped by SIGTERM"));
            Assert.That(stdout, Does.Contain("replay verdict: IDENTICAL"));
            Assert.That(stderr, Does.Contain($"optiflow: {server.Endpoint}/stream: received nothing in "));
        }
    }
}
