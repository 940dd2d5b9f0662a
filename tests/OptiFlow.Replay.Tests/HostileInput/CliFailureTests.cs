using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Cli;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests.HostileInput;

/// <summary>
/// Failures of the machine rather than the data end as one line naming the path or endpoint and the OS error, with
/// the README's exit code, never a stack trace: anything unexpected is exit 3; stdout that fails, a port in use, an
/// unwritable output are exit 5; misuse is exit 2; SIGINT and SIGTERM stop long-running verbs cleanly.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CliFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static string Demo => OptiFlowCommand.DemoRecording;

    [Test]
    public void ShouldEndWithExit3AndOneLine_WhenSomethingUnexpectedThrows()
    {
        // Arrange: standard output that throws something no verb handles.
        using var temp = new TempDirectory("unexpected");
        var error = new StringWriter();

        // Act
        var exit = OptiFlowCommand.Run(["demo", "--journal", temp.File("journal")], new ThrowingWriter(), error);

        // Assert
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.EngineFailure));
        Assert.That(lines, Has.Length.EqualTo(1), error.ToString());
        Assert.That(lines[0], Is.EqualTo("optiflow: internal error: InvalidOperationException: the writer broke (test)"));
    }

    [Test]
    public void ShouldExit5NamingStandardOutput_WhenStdoutIsFull()
    {
        // Act: the real executable with its standard output on /dev/full.
        var (exit, _, error) = OptiflowProcess.RunShell($"exec \"$OPTIFLOW\" book --market futures '{Demo}' > /dev/full", Bound);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.IoFailure), error);
        Assert.That(error.Trim(), Is.EqualTo("optiflow: I/O error: cannot write standard output: No space left on device"));
    }

    [Test]
    public void ShouldExit5NamingTheEndpoint_WhenSimulatePortIsInUse()
    {
        // Arrange
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var error = new StringWriter();

        // Act
        var exit = OptiFlowCommand.Run(["simulate", "--data", Demo, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], new StringWriter(), error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.IoFailure), error.ToString());
        Assert.That(error.ToString(), Does.StartWith($"optiflow: I/O error: cannot listen on 127.0.0.1:{port}: ").And.Contain("address already in use"));
    }

    [TestCase("70000")]
    [TestCase("-1")]
    public void ShouldExit2_WhenSimulatePortIsOutOfRange(string port)
    {
        // Arrange
        var error = new StringWriter();

        // Act
        var exit = OptiFlowCommand.Run(["simulate", "--data", Demo, "--port", port], new StringWriter(), error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(error.ToString(), Does.Contain("--port must be 0 (any free port) to 65535"));
    }

    [Test]
    public void ShouldExit2_WhenRecordOutIsAFile()
    {
        // Arrange: record writes day files into a directory.
        using var temp = new TempDirectory("record-dir");
        var path = temp.File("out.gz");
        File.WriteAllText(path, "");
        var error = new StringWriter();

        // Act
        var exit = OptiFlowCommand.Run(["record", "--venue", "sim", "--endpoint", "ws://127.0.0.1:9", "--symbols", "btcusdt", "--out", path], new StringWriter(), error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(error.ToString(), Does.Contain($"--out is a file, not a directory: {path}"));
    }

    [Test]
    public void ShouldExit5NamingThePath_WhenRecordOutCannotBeCreated()
    {
        // Arrange: a directory under a file; nothing connects before the output directory and its files are open.
        using var temp = new TempDirectory("record-missing");
        var file = temp.File("a-file");
        File.WriteAllText(file, "");
        var path = Path.Combine(file, "out");
        var error = new StringWriter();

        // Act
        var exit = OptiFlowCommand.Run(["record", "--venue", "sim", "--endpoint", "ws://127.0.0.1:9", "--symbols", "btcusdt", "--out", path], new StringWriter(), error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.IoFailure));
        Assert.That(error.ToString(), Does.StartWith($"optiflow: I/O error: cannot create {path}: "));
    }

    [Test]
    public void ShouldStopCleanlyAndPrintItsStatistics_WhenSimulateGetsSigterm()
    {
        // Arrange: the simulator at its original pace waits for a client that never comes.
        using var process = OptiflowProcess.StartShell($"exec \"$OPTIFLOW\" simulate --data '{Demo}' --port 0");
        var first = process.StandardOutput.ReadLineAsync();
        Assert.That(first.Wait(Bound), Is.True, "the simulator did not start");
        Assert.That(first.Result, Does.StartWith("simulator: streams ws://127.0.0.1:"));

        // Act
        Signal(process, "TERM");
        var rest = process.StandardOutput.ReadToEndAsync();
        var exited = process.WaitForExit(Bound);

        // Assert
        Assert.That(exited, Is.True, "SIGTERM did not stop the simulator");
        Assert.That(process.ExitCode, Is.EqualTo(OptiFlowCommand.Success), process.StandardError.ReadToEnd());
        Assert.That(rest.Result, Does.Contain("simulator: ").And.Contain("frames read"));
    }

    [Test]
    public async Task ShouldWriteACompleteGzip_WhenRecordGetsSigint()
    {
        // Arrange: a simulator in this process, the recorder as a child process writing .gz.
        await using var simulator = new BinanceSimulator(new SimulatorOptions { Files = [Demo], Market = Market.Futures, Pace = SimulatorPace.Times(5) });
        await simulator.StartAsync();
        using var temp = new TempDirectory("record-signal");
        var path = temp.File("out");
        using var process = OptiflowProcess.StartShell($"exec \"$OPTIFLOW\" record --venue sim --endpoint {simulator.StreamBaseAddress} --symbols btcusdt --out '{path}'");
        var clock = Stopwatch.StartNew();
        // 1,000 frames sent (~1.5 s at this pace) for the > 100 lines asserted below: a frame sent is in the recorder's
        // socket, not yet written, and the child starts cold.
        while (simulator.Statistics.Sent < 1000 && clock.Elapsed < Bound && !process.HasExited)
        {
            Thread.Sleep(20);
        }

        Assert.That(simulator.Statistics.Sent, Is.GreaterThanOrEqualTo(1000), "the recorder received frames");

        // Act
        Signal(process, "INT");
        var output = process.StandardOutput.ReadToEndAsync();
        var exited = process.WaitForExit(Bound);

        // Assert: the gzip stream is whole (a missing trailer throws on reading to the end).
        Assert.That(exited, Is.True, "SIGINT did not stop the recorder");
        Assert.That(process.ExitCode, Is.EqualTo(OptiFlowCommand.Success), process.StandardError.ReadToEnd());
        Assert.That(output.Result, Does.Contain("lines, ").And.Contain("stopped by SIGINT"));
        var lines = 0;
        foreach (var day in Directory.GetFiles(path, "btcusdt_*.gz"))
        {
            using var gzip = new GZipStream(File.OpenRead(day), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            while (reader.ReadLine() is { } line)
            {
                lines++;
                Assert.That(line, Does.Match("^[0-9]+ \\{"), "every line whole: a local timestamp and a frame");
            }
        }

        Assert.That(lines, Is.GreaterThan(100));
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {process.Id}");
        kill.WaitForExit();
    }

    /// <summary>A writer whose every write throws an exception no verb expects.</summary>
    private sealed class ThrowingWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("the writer broke (test)");

        public override void Write(string? value) => throw new InvalidOperationException("the writer broke (test)");

        public override void WriteLine(string? value) => throw new InvalidOperationException("the writer broke (test)");
    }
}
