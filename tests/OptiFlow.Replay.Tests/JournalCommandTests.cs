using OptiFlow.Testing;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Orders;
using OptiFlow.Journal;

namespace OptiFlow.Replay.Tests;

/// <summary><c>optiflow journal verify/export</c> and <c>optiflow replay --compare</c> as a user runs them: exit codes and messages.</summary>
[TestFixture]
public sealed class JournalCommandTests
{
    private const int FirstFrame = JournalDescriptor.HeaderLength;

    [Test]
    public void ShouldExitZero_WhenVerifyingAnIntactJournal()
    {
        // Arrange
        using var temp = new TempDirectory("verify");
        var journal = RunDemo(temp);

        // Act
        var (exit, output) = Run("journal", "verify", journal);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output);
        Assert.That(output, Does.Contain("intact").And.Contain("outbound"));
    }

    [Test]
    public void ShouldReportSegmentAndOffsetAndNeverCut_WhenAMiddleRecordFailsItsCrc()
    {
        // Arrange
        using var temp = new TempDirectory("verify");
        var journal = RunDemo(temp);
        var segment = Path.Combine(journal, "00000000000000000000.seg");

        // A payload byte of the 100th market event, found by reading: the records before it (the session header, whose
        // JSON holds the recording's absolute path, and the symbol records) have no fixed length.
        long frame;
        using (var reader = new JournalReader(journal))
        {
            var seen = 0;
            frame = -1;
            while (frame < 0 && reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.MarketEvent && ++seen == 100)
                {
                    frame = record.Position;
                }
            }
        }

        Assert.That(frame, Is.GreaterThanOrEqualTo(FirstFrame), "the journal holds 100 market events");
        FlipByte(segment, frame + RecordDescriptor.PayloadOffset + 64);

        // Act
        var (exit, output) = Run("journal", "verify", journal);
        var (truncateExit, truncateOutput) = Run("journal", "verify", journal, "--truncate");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors));
            Assert.That(output, Does.Contain("CRC-32C mismatch").And.Contain(segment).And.Contain("(middle)"));
            Assert.That(truncateExit, Is.EqualTo(OptiFlowCommand.DataErrors));
            Assert.That(truncateOutput, Does.Contain("not truncated"));
        }
    }

    [Test]
    public void ShouldExitOneThenCutTheTornTailThenExitZero_WhenTheLastRecordIsTorn()
    {
        // Arrange: damage the journal's last record (the RunSummary) as a lost page would.
        using var temp = new TempDirectory("verify");
        var journal = RunDemo(temp);
        var report = JournalScanner.Scan(journal);
        var last = report.EndPosition;
        long lastFrame;
        using (var reader = new JournalReader(journal))
        {
            lastFrame = 0;
            while (reader.TryRead(out var record))
            {
                lastFrame = record.Position;
            }
        }

        var segment = report.SegmentFiles[^1];
        var inSegment = lastFrame % report.SegmentSize;
        FlipByte(segment, inSegment + RecordDescriptor.PayloadOffset + 3);

        // Act
        var (before, beforeOutput) = Run("journal", "verify", journal);
        var (truncate, truncateOutput) = Run("journal", "verify", journal, "--truncate");
        var (after, afterOutput) = Run("journal", "verify", journal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(last, Is.GreaterThan(lastFrame));
            Assert.That(before, Is.EqualTo(OptiFlowCommand.DataErrors), beforeOutput);
            Assert.That(beforeOutput, Does.Contain("Torn tail").And.Contain($"offset {inSegment}"));
            Assert.That(truncate, Is.EqualTo(OptiFlowCommand.Success), truncateOutput);
            Assert.That(truncateOutput, Does.Contain("truncated: Torn tail cut"));
            Assert.That(after, Is.EqualTo(OptiFlowCommand.Success), afterOutput);
        }
    }

    [Test]
    public void ShouldSayIdentical_WhenComparingAReplayWithTheJournaledOutboundStream()
    {
        // Arrange
        using var temp = new TempDirectory("replay");
        var journal = RunDemo(temp);

        // Act
        var (exit, output) = Run("replay", journal, "--compare");

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output);
        Assert.That(output, Does.Match("compare: identical: [1-9][0-9]* outbound records \\(signals, evaluator records and order commands\\), byte for byte"));
    }

    [Test]
    public void ShouldPrintTheFirstDivergence_WhenTheJournaledOutboundStreamDiffers()
    {
        // Arrange: rewrite DIR/outbound with signal #10's OBI(5) changed (a valid journal that a regression would produce).
        using var temp = new TempDirectory("replay");
        var journal = RunDemo(temp);
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
        var (exit, output) = Run("replay", journal, "--compare");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors));
            Assert.That(output, Does.Contain("DIVERGED at outbound record #10 (outbound sequence 10) after 10 identical records; first difference: Obi5"));
            Assert.That(output, Does.Contain("expected: event seq").And.Contain("actual:   event seq"));
        }
    }

    [Test]
    public void ShouldWriteOneCsvRowPerMarketEvent_WhenExporting()
    {
        // Arrange
        using var temp = new TempDirectory("export");
        var journal = RunDemo(temp);
        var csv = temp.File("events.csv");
        var events = JournalScanner.Scan(journal).MarketEvents;

        // Act
        var (exit, output) = Run("journal", "export", journal, "--format", "csv", "--output", csv);
        var (signalsExit, signals) = Run("journal", "export", journal, "--format", "csv", "--outbound");

        // Assert
        var lines = File.ReadAllLines(csv);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output);
            Assert.That(lines[0], Does.StartWith("sequence,local_timestamp_ns,kind,symbol"));
            Assert.That(lines, Has.Length.EqualTo(events + 1));
            Assert.That(lines[^1], Does.Contain(",BTCUSDT,"));
            Assert.That(signalsExit, Is.EqualTo(OptiFlowCommand.Success));
            Assert.That(signals, Does.StartWith("symbol,applied,u,E,best_bid,best_ask,mid,obi1,obi5,obi10,wmid,wobi10,event_sequence,outbound_sequence\n"));
        }
    }

    [Test]
    public void ShouldCountExportAndCompareOrderCommands_WhenTheOutboundStreamHoldsThem()
    {
        // Arrange: the demo's journal, then two order commands appended to its outbound stream (the core of this build
        // emits none, so a replay that produces none is a regression the compare must catch).
        using var temp = new TempDirectory("orders");
        var journal = RunDemo(temp);
        var outbound = Path.Combine(journal, JournalDescriptor.OutboundDirectoryName);
        var limit = OrderCommand.NewLimit(0, OrderSide.Buy, 2_814_510_000_000, 1_500_000, TimeInForce.GoodTillCancelled, 41, 1234, 1_680_566_400_000);
        var cancel = OrderCommand.Cancel(0, 41, 42, 1240, 1_680_566_400_100);
        int outboundSegmentSize;
        using (var existing = new JournalReader(outbound))
        {
            outboundSegmentSize = existing.SegmentSize;
        }

        using (var writer = JournalWriter.Resume(outbound, new JournalOptions { SegmentSize = outboundSegmentSize }))
        {
            writer.AppendOrderCommand(in limit, 0);
            writer.AppendOrderCommand(in cancel, 1);
        }

        // Act
        var (verifyExit, verify) = Run("journal", "verify", journal);
        var (exportExit, export) = Run("journal", "export", journal, "--format", "csv", "--orders");
        var (bothExit, both) = Run("journal", "export", journal, "--outbound", "--orders");
        var (compareExit, compare) = Run("replay", journal, "--compare");

        // Assert
        var rows = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verifyExit, Is.EqualTo(OptiFlowCommand.Success), verify);
            Assert.That(verify, Does.Contain(", 2 order commands)"));
            Assert.That(exportExit, Is.EqualTo(OptiFlowCommand.Success), export);
            Assert.That(rows, Has.Length.EqualTo(3));
            Assert.That(rows[0], Does.StartWith("outbound_sequence,timestamp_ns,causing_sequence,symbol,action,side,type,time_in_force,price,quantity"));
            Assert.That(rows[1].TrimEnd(), Is.EqualTo("0,1680566400000000000,1234,BTCUSDT,New,Buy,Limit,GoodTillCancelled,28145.1,0.015,41,0,1680566400000"));
            Assert.That(rows[2].TrimEnd(), Is.EqualTo("1,1680566400100000000,1240,BTCUSDT,Cancel,None,None,None,0,0,42,41,1680566400100"));
            Assert.That(bothExit, Is.EqualTo(OptiFlowCommand.BadUsage), both);
            Assert.That(compareExit, Is.EqualTo(OptiFlowCommand.DataErrors), compare);
            Assert.That(compare, Does.Contain("first difference: end of stream"));
            Assert.That(compare, Does.Contain("expected: order New BTCUSDT Buy Limit GoodTillCancelled price=28145.1 qty=0.015 id=41"));
            Assert.That(compare, Does.Contain("actual:   (end of stream)"));
        }
    }

    private static string RunDemo(TempDirectory temp)
    {
        var journal = temp.File("journal");
        var (exit, output) = Run("run", "--market", "futures", "--journal", journal, OptiFlowCommand.DemoRecording);
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output);
        return journal;
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = OptiFlowCommand.Run(args, output, error);
        return (exit, output + error.ToString());
    }

    private static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x40));
    }
}
