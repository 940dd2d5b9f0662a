using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests.Operations;

/// <summary>
/// The operations options as a user meets them: <c>--log-level</c> takes the five levels and refuses anything else
/// (exit 2, one line naming the option), the other values are checked before anything runs, and a metrics port in use
/// ends <c>run</c> and <c>replay</c> with exit 5 and one line, before anything is created.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OperationsOptionsTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TempDirectory("ops-options");

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [TestCase("trace")]
    [TestCase("debug")]
    [TestCase("information")]
    [TestCase("warning")]
    [TestCase("error")]
    [TestCase("Warning")]
    public async Task ShouldAcceptTheLogLevel_WhenItIsOneOfTheFive(string level)
    {
        // Act: a replay of a missing journal fails after the options were parsed, so an accepted level reaches that error.
        var result = await CliRun.RunAsync("replay", _directory.File("missing"), "--log-level", level);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(result.LastErrorLine, Does.StartWith("optiflow: journal directory not found: "), "the level was accepted");
        }
    }

    [TestCase("verbose")]
    [TestCase("info")]
    [TestCase("critical")]
    [TestCase("")]
    public async Task ShouldRefuseTheLogLevel_WhenItIsNotOneOfTheFive(string level)
    {
        // Act
        var result = await CliRun.RunAsync("run", "--market", "futures", "--log-level", level, "--journal", _directory.File("journal"), DemoRecording.Path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(result.LastErrorLine, Is.EqualTo($"optiflow: --log-level must be trace, debug, information, warning or error, not '{level}'"));
            Assert.That(Directory.Exists(_directory.File("journal")), Is.False, "a refusal creates nothing");
        }
    }

    [TestCase("--progress", "sometimes", "optiflow: --progress must be auto, always or never, not 'sometimes'")]
    [TestCase("--metrics-port", "70000", "optiflow: --metrics-port must be 0 (any free port) to 65535, not 70000")]
    [TestCase("--metrics-address", "localhost", "optiflow: --metrics-address must be an IP address such as 127.0.0.1 or ::1, not 'localhost'")]
    public async Task ShouldRefuseTheValue_WhenAnOperationsOptionIsMalformed(string option, string value, string line)
    {
        // Act
        var result = await CliRun.RunAsync("run", "--market", "futures", option, value, "--journal", _directory.File("journal"), DemoRecording.Path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(result.LastErrorLine, Is.EqualTo(line));
        }
    }

    [Test]
    public async Task ShouldRefuseProgress_WhenTheRunIsLive()
    {
        // Act
        var result = await CliRun.RunAsync("run", "--venue", "sim", "--endpoint", "ws://127.0.0.1:9", "--symbols", "btcusdt", "--progress", "always", "--journal", _directory.File("journal"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(result.LastErrorLine, Is.EqualTo("optiflow: --progress is for runs on FILE and replays; a live run (--venue) shows --status-interval instead"));
            Assert.That(Directory.Exists(_directory.File("journal")), Is.False, "a refusal creates nothing");
        }
    }

    [Test]
    public async Task ShouldExit5WithOneLine_WhenTheMetricsPortIsInUseOnARun()
    {
        // Arrange
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        // Act
        var result = await CliRun.RunAsync("run", "--market", "futures", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--journal", _directory.File("journal"), DemoRecording.Path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.IoFailure));
            Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.Error);
            Assert.That(result.LastErrorLine, Does.StartWith($"optiflow: I/O error: --metrics-port: cannot listen on 127.0.0.1:{port}: ").And.Contain("address already in use"));
            Assert.That(result.Output, Is.Empty, "nothing ran");
            Assert.That(Directory.Exists(_directory.File("journal")), Is.False, "nothing was created");
        }
    }

    [Test]
    public async Task ShouldExit5WithOneLine_WhenTheMetricsPortIsInUseOnAReplay()
    {
        // Arrange
        var journal = _directory.File("journal");
        var run = await CliRun.RunAsync("run", "--market", "futures", "--journal", journal, DemoRecording.Path);
        Assert.That(run.Exit, Is.EqualTo(OptiFlowCommand.Success), run.Error);
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        // Act
        var result = await CliRun.RunAsync("replay", journal, "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--output", _directory.File("out"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.IoFailure));
            Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.Error);
            Assert.That(result.LastErrorLine, Does.StartWith($"optiflow: I/O error: --metrics-port: cannot listen on 127.0.0.1:{port}: "));
            Assert.That(Directory.Exists(_directory.File("out")), Is.False, "nothing was created");
        }
    }
}
