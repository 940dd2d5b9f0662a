using OptiFlow.Testing;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Simulator.Tests.Support;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// <c>optiflow run --venue sim</c> as a user runs it, in-process, against the simulator serving the demo recording on
/// an ephemeral loopback port: its <c>--book-out</c> and <c>--signals-out</c> equal what <c>optiflow book</c> and
/// <c>optiflow signals</c> print for the same file, it finishes cleanly at the simulator's "recording ended" close,
/// and its journal replays identically.
/// </summary>
/// <remarks>One live run (one-time set-up) serves every test here; each test checks one outcome of it.</remarks>
[TestFixture]
[NonParallelizable]
public sealed class LiveRunCommandTests
{
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(120);

    private TempDirectory _directory = null!;
    private int _exit;
    private string _output = "";
    private string _error = "";
    private long _connectionsAccepted;
    private long _framesSent;

    private string BookOut => _directory.File("book.jsonl");

    private string SignalsOut => _directory.File("signals.csv");

    private string Journal => _directory.File("journal");

    [OneTimeSetUp]
    public async Task RunLiveAgainstSimulator()
    {
        _directory = new TempDirectory("live-run");
        await using var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [DemoRecording.Path],
            Market = Market.Futures,
            // x20 (5 s), not max pace: at max pace the start-up snapshot can miss the diffs that follow it in a warm
            // process (see SimulatorFaultTests), and this fixture compares with the file run's applied counts.
            Pace = SimulatorPace.Times(20),
            // The feed waits at the recorded snapshot until the client has asked for it; on a loaded machine the client's
            // start-up can take longer than the default 5 s (CI saw it sync 1,126 depth messages late), and the wait ends
            // as soon as the request arrives.
            SnapshotRendezvousTimeout = TimeSpan.FromSeconds(60),
        });
        await simulator.StartAsync();
        var (output, error) = (new StringWriter(), new StringWriter());
        string[] args =
        [
            "run", "--venue", "sim", "--endpoint", simulator.StreamBaseAddress.ToString(), "--symbols", "btcusdt",
            "--book-out", BookOut, "--signals-out", SignalsOut, "--journal", Journal,
            // Warnings and errors only: a clean run then writes nothing on standard error (the default, information, adds the
            // status line every 5 s; OperationsCliTests covers it).
            "--log-level", "warning",
        ];
        var run = Task.Run(() => OptiFlowCommand.Run(args, output, error));
        if (await Task.WhenAny(run, Task.Delay(RunBound)) != run)
        {
            Assert.Fail($"optiflow run --venue sim did not finish within {RunBound.TotalSeconds:0} s; output so far:\n{output}\n{error}");
        }

        _exit = await run;
        _output = output.ToString();
        _error = error.ToString();
        _connectionsAccepted = simulator.Statistics.ConnectionsAccepted;
        _framesSent = simulator.Statistics.Sent;
        await TestContext.Out.WriteLineAsync(_output);
    }

    [OneTimeTearDown]
    public void DeleteOutputs() => _directory.Dispose();

    [Test]
    public void ShouldExitZeroWithoutReconnecting_WhenSimulatorClosesAtRecordingEnd()
    {
        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_exit, Is.EqualTo(OptiFlowCommand.Success), _error);
            Assert.That(_error, Is.Empty);
            Assert.That(_connectionsAccepted, Is.EqualTo(1), "one connection: no reconnect after the normal 'recording ended' closure");
            Assert.That(_output, Does.Contain("ended: RecordingEnded"));
            Assert.That(_output, Does.Contain("connects 1, drops 0, stalls 0, closes 0, serverShutdown 0"));
            Assert.That(_output, Does.Contain($"frames {_framesSent:N0}, decode errors 0"), "every frame the simulator sent was received");
            Assert.That(_output, Does.Contain("book: Live"));
        }
    }

    [Test]
    public void ShouldWriteWhatBookPrints_WhenBookOutGiven()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["book", "--market", "futures", DemoRecording.Path], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var expected = Lines(output.ToString());
        var actual = File.ReadAllLines(BookOut);
        Assert.That(expected, Is.Not.Empty);
        Assert.That(actual, Is.EqualTo(expected), "--book-out line for line");
    }

    [Test]
    public void ShouldWriteWhatSignalsPrints_WhenSignalsOutGiven()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["signals", "--market", "futures", DemoRecording.Path], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var expected = Lines(output.ToString());
        var actual = File.ReadAllLines(SignalsOut);
        Assert.That(expected, Has.Length.GreaterThan(4000), "a header and one row per applied diff");
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.That(actual[i], Is.EqualTo(expected[i]), $"--signals-out line {i + 1}");
        }
    }

    [Test]
    public void ShouldReplayJournalIdentically_WhenLiveRunJournals()
    {
        // Arrange
        var fileRun = FileRun.Run(DemoRecording.Path, Market.Futures);
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act: the run's own check, then the replay verb comparing the outbound stream byte for byte.
        var replay = JournalReplayer.Replay(Journal);
        var exit = OptiFlowCommand.Run(["replay", Journal, "--compare"], output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_output, Does.Contain("replay verdict: IDENTICAL"));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(replay.Core.BooksDigest(), Is.EqualTo(fileRun.BooksDigest()), "the journal holds the whole live stream: its replay ends with the file run's books");
            Assert.That(replay.Core.SignalCount, Is.EqualTo(fileRun.SignalCount));
            Assert.That(replay.JournalSymbols, Is.EqualTo(new[] { "BTCUSDT" }));
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output + error.ToString());
            Assert.That(output.ToString(), Does.Contain("compare: identical"));
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
