using System.Globalization;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// A live run whose feed sends nothing idles cheaply by default: the engine's own threads (core, journal, outbound
/// consumers, receive and control threads) together use under a quarter of one CPU while connected to a WebSocket
/// that stays silent. Under the old default (every consumer yielding) they took 194% of the 2-core box, and still
/// over half a CPU on a box loaded by other work; blocking and sleeping consumers take a few percent (tuning.md).
/// </summary>
/// <remarks>Reads the threads' CPU time from <c>/proc/self/task/*/stat</c> (Linux); skipped elsewhere. Counts only the
/// threads the run starts (named <c>optiflow-…</c>), so the test runner's own work does not count.</remarks>
[TestFixture]
[NonParallelizable]
public sealed class LiveIdleCpuTests
{
    [Test]
    public async Task ShouldUseUnderAQuarterOfOneCpu_WhenLiveFeedSendsNothing()
    {
        // Arrange
        if (!Directory.Exists("/proc/self/task"))
        {
            Assert.Ignore("needs Linux /proc to read per-thread CPU time");
        }

        using var directory = new TempDirectory("live-idle");
        await using var server = RawLoopbackServer.Start(RawLoopbackServer.Behaviour.SilentWebSocket);
        var before = EngineThreadTicks().Keys.ToHashSet();
        var run = CliRun.RunAsync("run", "--venue", "sim", "--endpoint", server.Endpoint, "--symbols", "btcusdt", "--seconds", "10", "--journal", directory.File("journal"));
        BoundedWait.Until(() => server.Accepted > 0, TimeSpan.FromSeconds(30), () => "the run never connected");

        // Act: a window of idle time after the start-up (JIT, journal files, the connect).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var start = EngineThreadTicks();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var end = EngineThreadTicks();
        var window = clock.Elapsed;
        var result = await run;

        // Assert
        var ticks = end.Where(t => !before.Contains(t.Key)).Sum(t => t.Value - start.GetValueOrDefault(t.Key));
        var cpuShare = ticks / 100.0 / window.TotalSeconds;
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"engine threads used {cpuShare:P1} of one CPU over {window.TotalSeconds:0.0} s idle"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.VenueFailure), "nothing was received");
            Assert.That(result.Output, Does.Contain("wait strategies: core Blocking, journal Sleeping, outbound Sleeping"));
            Assert.That(cpuShare, Is.LessThan(0.25), "idle CPU of the engine's threads, as a share of one CPU");
        }
    }

    [Test]
    public async Task ShouldKeepTheChosenStrategy_WhenWaitStrategyIsGiven()
    {
        // Arrange
        using var directory = new TempDirectory("live-wait");

        // Act
        var result = await CliRun.RunAsync(
            "run", "--venue", "sim", "--endpoint", $"ws://127.0.0.1:{RawLoopbackServer.ClosedPort()}", "--symbols", "btcusdt",
            "--max-failed-attempts", "1", "--wait-strategy", "yielding", "--journal-wait-strategy", "blocking", "--journal", directory.File("journal"));

        // Assert
        Assert.That(result.Output, Does.Contain("wait strategies: core Yielding, journal Blocking, outbound Blocking"));
    }

    /// <summary>CPU ticks (utime + stime, 1/100 s) of every live thread named <c>optiflow-…</c>, by thread id.</summary>
    private static Dictionary<int, long> EngineThreadTicks()
    {
        var ticks = new Dictionary<int, long>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (!stat[(open + 1)..close].StartsWith("optiflow-", StringComparison.Ordinal))
                {
                    continue;
                }

                // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
                var fields = stat[(close + 2)..].Split(' ');
                ticks[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return ticks;
    }
}
