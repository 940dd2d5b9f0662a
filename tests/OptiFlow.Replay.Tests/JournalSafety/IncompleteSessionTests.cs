using System.Diagnostics;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests.JournalSafety;

/// <summary>
/// A run that never finished (killed, or stopped by a failure) leaves a journal with no run summary:
/// <c>journal verify</c> says "session: incomplete (no run summary)", and <c>replay</c> compares the outbound records
/// that were journaled as a prefix of its own ("incomplete session: N journaled outbound records reproduced", exit 0)
/// instead of declaring DIFFERENT.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class IncompleteSessionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Test]
    public void ShouldSayCompleteOrIncomplete_WhenVerifying()
    {
        // Arrange
        using var temp = new TempDirectory("incomplete-verify");
        var complete = temp.File("complete");
        var incomplete = temp.File("incomplete");
        Assert.That(Cli.Run("run", "--market", "futures", "--journal", complete, OptiFlowCommand.DemoRecording).Exit, Is.EqualTo(OptiFlowCommand.Success));
        RunWithoutStopping(incomplete, minimumSignals: 1000);

        // Act
        var verifyComplete = Cli.Run("journal", "verify", complete);
        var verifyIncomplete = Cli.Run("journal", "verify", incomplete);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verifyComplete.Exit, Is.EqualTo(OptiFlowCommand.Success), verifyComplete.ToString());
            Assert.That(verifyComplete.Output, Does.Contain("  session: complete (session header and run summary)\n  intact"));
            Assert.That(verifyIncomplete.Exit, Is.EqualTo(OptiFlowCommand.Success), "every record in it is intact: " + verifyIncomplete);
            Assert.That(verifyIncomplete.Output, Does.Contain("  session: incomplete (no run summary): the run was killed or failed before it finished; the records above are what it committed\n  intact"));
        }
    }

    [Test]
    public void ShouldReproduceTheJournaledPrefix_WhenReplayingAnIncompleteSession()
    {
        // Arrange
        using var temp = new TempDirectory("incomplete-replay");
        var journal = temp.File("journal");
        RunWithoutStopping(journal, minimumSignals: 1000);
        var expected = ReproducibleOutbound(journal);

        // Act
        var replay = Cli.Run("replay", journal);
        var compare = Cli.Run("replay", journal, "--compare", "--output", temp.File("out"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected, Is.GreaterThanOrEqualTo(1000));
            foreach (var result in new[] { replay, compare })
            {
                Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.Success), result.ToString());
                Assert.That(result.Output, Does.Contain("replay verdict: INCOMPLETE SESSION — the journal has no run summary (the run was killed or failed before it finished), so its journaled outbound records are compared as a prefix"));
                Assert.That(result.Output, Does.Contain($"incomplete session: {expected} journaled outbound records reproduced, byte for byte"));
                Assert.That(result.Output, Does.Not.Contain("DIFFERENT"));
            }
        }
    }

    [Test]
    public void ShouldReportTheFirstDivergence_WhenTheJournaledPrefixDiffers()
    {
        // Arrange: signal #10 of an incomplete session's outbound journal changed, as a regression would change it.
        using var temp = new TempDirectory("incomplete-diverged");
        var journal = temp.File("journal");
        RunWithoutStopping(journal, minimumSignals: 100);
        var outbound = Path.Combine(journal, JournalDescriptor.OutboundDirectoryName);
        var edited = temp.File("edited");
        using (var reader = new JournalReader(outbound))
        using (var writer = new JournalWriter(edited, new JournalOptions { SegmentSize = reader.SegmentSize }))
        {
            var index = 0;
            while (reader.TryRead(out var record))
            {
                var signal = record.Signal;
                if (index++ == 10)
                {
                    signal.Obi5 += 0.125;
                }

                writer.AppendSignal(in signal, record.Sequence);
            }
        }

        Directory.Delete(outbound, recursive: true);
        Directory.Move(edited, outbound);

        // Act
        var replay = Cli.Run("replay", journal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.Exit, Is.EqualTo(OptiFlowCommand.DataErrors), replay.ToString());
            Assert.That(replay.Output, Does.Contain("incomplete session: DIVERGED at outbound record #10 (outbound sequence 10) after 10 identical records; first difference: Obi5"));
        }
    }

    [Test]
    [Category("Data")]
    public void ShouldVerifyAndReplayTheJournal_WhenTheRunIsKilled()
    {
        // Arrange: a real `optiflow run` in a child, SIGKILLed once its outbound journal holds 200 signals.
        var recording = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808");
        using var temp = new TempDirectory("incomplete-killed");
        var journal = temp.File("journal");
        var (host, dll) = Cli.Command;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "run", "--market", "futures", "--journal", journal, recording })
        {
            start.ArgumentList.Add(argument);
        }

        using (var child = Process.Start(start)!)
        {
            _ = child.StandardOutput.ReadToEndAsync();
            _ = child.StandardError.ReadToEndAsync();
            var outbound = Path.Combine(journal, JournalDescriptor.OutboundDirectoryName);
            BoundedWait.Until(() => child.HasExited || CountSignals(outbound) >= 200, Bound, () => "the child journaled no signal in time");
            if (child.HasExited)
            {
                Assert.Ignore($"the run finished (exit {child.ExitCode}) before it could be killed mid-run");
            }

            child.Kill(); // SIGKILL: no summary, no flush
            Assert.That(child.WaitForExit(Bound), Is.True);
        }

        // Act: a killed process may leave an uncommitted tail; verify --truncate cuts it, as documented.
        var verify = Cli.Run("journal", "verify", journal, "--truncate");
        var replay = Cli.Run("replay", journal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verify.Exit, Is.EqualTo(OptiFlowCommand.Success), verify.ToString());
            Assert.That(verify.Output, Does.Contain("session: incomplete (no run summary)"));
            Assert.That(replay.Exit, Is.EqualTo(OptiFlowCommand.Success), replay.ToString());
            Assert.That(replay.Output, Does.Contain("replay verdict: INCOMPLETE SESSION").And.Contain("journaled outbound records reproduced, byte for byte"));
        }
    }

    /// <summary>
    /// Journals the demo through the host and disposes the session without <see cref="EngineSession.Stop"/>, as a killed
    /// process would leave it: every record committed so far, no run summary.
    /// </summary>
    internal static void RunWithoutStopping(string journal, int minimumSignals)
    {
        var input = RecordingInput.Open([OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures);
        using var session = EngineSession.ForRecording(input, new EngineOptions { JournalDirectory = journal });
        session.Start();
        session.PublishRecording();
        var outbound = Path.Combine(journal, JournalDescriptor.OutboundDirectoryName);
        BoundedWait.Until(() => CountSignals(outbound) >= minimumSignals, Bound, () => $"the outbound journal reached {CountSignals(outbound)} of {minimumSignals} signals");
    }

    /// <summary>Journaled outbound records whose causing event is in the inbound journal: what a replay must reproduce.</summary>
    private static long ReproducibleOutbound(string journal)
    {
        var last = -1L;
        using (var reader = new JournalReader(journal))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.MarketEvent)
                {
                    last = record.Sequence;
                }
            }
        }

        var count = 0L;
        using (var reader = new JournalReader(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName)))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.Signal && record.Signal.Sequence <= last)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Signals committed so far in a journal another thread or process is writing (0 before it exists).</summary>
    private static long CountSignals(string directory)
    {
        try
        {
            using var reader = new JournalReader(directory);
            var count = 0L;
            while (reader.TryRead(out var record))
            {
                count += record.Type == JournalRecordType.Signal ? 1 : 0;
            }

            return count;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or JournalFormatException or FileNotFoundException)
        {
            return 0;
        }
    }
}
