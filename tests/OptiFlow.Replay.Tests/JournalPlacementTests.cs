using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// File-run throughput options. <see cref="EngineOptions.JournalPlacement"/>: which placement <see cref="JournalPlacement.Auto"/> resolves to, the
/// combinations refused, a session journaling on the core's thread (the same journal as with a journal thread, replayed
/// IDENTICAL), and a batch journaled whole when the core throws on its last event.
/// <see cref="EngineOptions.LatencySampleInterval"/> through <c>optiflow run --latency-sample</c>.
/// </summary>
[TestFixture]
public sealed class JournalPlacementTests
{
    private static RecordingInput Demo => RecordingInput.Open([Cli.OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures);

    [TestCase(JournalPlacement.Auto, true, false, false, false, 2, ExpectedResult = true, TestName = "Auto: a file run on 2 CPUs journals on the core's thread")]
    [TestCase(JournalPlacement.Auto, true, false, false, false, 1, ExpectedResult = true)]
    [TestCase(JournalPlacement.Auto, true, false, false, false, 3, ExpectedResult = false, TestName = "Auto: a file run on 3 CPUs has a journal thread")]
    [TestCase(JournalPlacement.Auto, false, false, false, false, 2, ExpectedResult = false, TestName = "Auto: a live session has a journal thread")]
    [TestCase(JournalPlacement.Auto, true, true, false, false, 2, ExpectedResult = false, TestName = "Auto: a trading file run has a journal thread")]
    [TestCase(JournalPlacement.Auto, true, false, true, false, 2, ExpectedResult = false, TestName = "Auto: JournalCpu asks for a journal thread")]
    [TestCase(JournalPlacement.Auto, true, false, false, true, 2, ExpectedResult = false, TestName = "Auto: JournalLinger asks for a journal thread")]
    [TestCase(JournalPlacement.OwnThread, true, false, false, false, 2, ExpectedResult = false)]
    [TestCase(JournalPlacement.CoreThread, false, false, false, false, 64, ExpectedResult = true)]
    public bool ShouldResolveThePlacement_WhenGivenTheSessionAndMachine(JournalPlacement placement, bool fileRun, bool trading, bool journalCpu, bool linger, int processorCount)
    {
        // Arrange
        var options = new EngineOptions
        {
            JournalPlacement = placement,
            Trading = trading ? new Engine.Hosting.Trading.TradingOptions() : null,
            JournalCpu = journalCpu ? 0 : null,
            JournalLinger = linger ? (64, 1000L) : null,
        };

        // Act
        return options.JournalsOnCoreThread(fileRun, processorCount);
    }

    [TestCase("auto", true, JournalPlacement.Auto)]
    [TestCase("own-thread", true, JournalPlacement.OwnThread)]
    [TestCase("core-thread", true, JournalPlacement.CoreThread)]
    [TestCase("Core-Thread", false, JournalPlacement.Auto)]
    [TestCase("core", false, JournalPlacement.Auto)]
    [TestCase(null, false, JournalPlacement.Auto)]
    public void ShouldParseOnlyThePlacementsNames_WhenGivenACommandLineValue(string? value, bool known, JournalPlacement expected)
    {
        // Act
        var parsed = JournalPlacementExtensions.TryParse(value, out var placement);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.EqualTo(known));
            Assert.That(placement, Is.EqualTo(expected));
        }
    }

    [Test]
    public void ShouldRefuseTheCoreThread_WhenAJournalThreadIsConfigured()
    {
        // Arrange
        var withCpu = new EngineOptions { JournalPlacement = JournalPlacement.CoreThread, JournalCpu = 0 };
        var withLinger = new EngineOptions { JournalPlacement = JournalPlacement.CoreThread, JournalLinger = (64, 1000L) };
        var undefined = new EngineOptions { JournalPlacement = (JournalPlacement)7 };

        // Act
        var cpu = Assert.Throws<ArgumentException>(withCpu.Validate);
        var linger = Assert.Throws<ArgumentException>(withLinger.Validate);
        var bad = Assert.Throws<ArgumentException>(undefined.Validate);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cpu!.Message, Does.Contain("JournalCpu").And.Contain("CoreThread"));
            Assert.That(linger!.Message, Does.Contain("JournalLinger"));
            Assert.That(bad!.Message, Does.Contain("7 is not a placement"));
        }
    }

    [Test]
    public void ShouldWriteTheSameJournalAndReplayIdentically_WhenTheCoreThreadJournals()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-placement");
        (SessionResult Result, IReadOnlyList<ConsumerWaitStrategy> Consumers, bool Inline) Run(JournalPlacement placement)
        {
            var options = EngineOptions.ForRecording() with { JournalDirectory = temp.File(placement.ToString()), JournalPlacement = placement };
            using var session = EngineSession.ForRecording(Demo, options);
            var consumers = session.Consumers;
            session.Start();
            session.PublishRecording();
            return (session.Stop(), consumers, session.JournalOnCoreThread);
        }

        // Act
        var own = Run(JournalPlacement.OwnThread);
        var core = Run(JournalPlacement.CoreThread);
        var replay = JournalReplayer.Replay(temp.File(nameof(JournalPlacement.CoreThread)));
        var ownScan = JournalScanner.Scan(temp.File(nameof(JournalPlacement.OwnThread)));
        var coreScan = JournalScanner.Scan(temp.File(nameof(JournalPlacement.CoreThread)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(own.Inline, Is.False);
            Assert.That(core.Inline, Is.True);
            Assert.That(core.Result.JournalOnCoreThread, Is.True);
            Assert.That(own.Consumers.Select(c => c.Thread), Does.Contain("optiflow-journal"));
            Assert.That(core.Consumers.Select(c => c.Thread), Does.Not.Contain("optiflow-journal"), "no journal thread");
            Assert.That(core.Result.JournalRecords, Is.EqualTo(own.Result.JournalRecords));
            Assert.That(core.Result.JournalBytes, Is.EqualTo(own.Result.JournalBytes));
            Assert.That(coreScan.Records, Is.EqualTo(ownScan.Records));
            Assert.That(coreScan.IsIntact, Is.True);
            Assert.That(core.Result.Core.BooksDigest(), Is.EqualTo(own.Result.Core.BooksDigest()));
            Assert.That(core.Result.JournalFaults + core.Result.CoreFaults, Is.Zero);
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
        }
    }

    [TestCase("own-thread", "thread optiflow-journal")]
    [TestCase("core-thread", "the core's thread after each batch")]
    public void ShouldSayWhereTheJournalWasWritten_WhenRunIsGivenAPlacement(string placement, string where)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-placement-cli");

        // Act
        var run = JournalSafety.Cli.Run("run", "--market", "futures", "--journal", temp.File("journal"), "--journal-placement", placement, OptiFlow.Cli.OptiFlowCommand.DemoRecording);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.EqualTo(OptiFlow.Cli.OptiFlowCommand.Success), run.ToString());
            Assert.That(run.Output, Does.Contain($"; written on {where})"));
            Assert.That(run.Output, Does.Contain("replay verdict: IDENTICAL"));
        }
    }

    [TestCase(null, 16)]
    [TestCase("1", 1)]
    [TestCase("4", 4)]
    public void ShouldStampOneEventInTheGivenInterval_WhenAFileRunIsGivenALatencySample(string? given, int interval)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-latency-sample");
        string[] args = given is null
            ? ["run", "--market", "futures", "--journal", temp.File("journal"), OptiFlow.Cli.OptiFlowCommand.DemoRecording]
            : ["run", "--market", "futures", "--journal", temp.File("journal"), "--latency-sample", given, OptiFlow.Cli.OptiFlowCommand.DemoRecording];

        // Act
        var run = JournalSafety.Cli.Run(args);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.EqualTo(OptiFlow.Cli.OptiFlowCommand.Success), run.ToString());
            Assert.That(run.Output.Contains($"(the core stamped 1 event in {interval}:", StringComparison.Ordinal), Is.EqualTo(interval > 1), run.Output);
            Assert.That(run.Output, Does.Contain("replay verdict: IDENTICAL"));
        }
    }

    [Test]
    public void ShouldRefuseALatencySample_WhenItIsNotAPowerOfTwo()
    {
        // Act
        var run = JournalSafety.Cli.Run("run", "--market", "futures", "--latency-sample", "3", OptiFlow.Cli.OptiFlowCommand.DemoRecording);
        var options = new EngineOptions { LatencySampleInterval = 6 };

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.EqualTo(OptiFlow.Cli.OptiFlowCommand.BadUsage), run.ToString());
            Assert.That(run.Error, Does.Contain("--latency-sample: '3' is not a power of two"));
            Assert.That(Assert.Throws<ArgumentException>(options.Validate)!.Message, Does.Contain("LatencySampleInterval must be a positive power of two, not 6"));
            Assert.That(EngineOptions.ForRecording().LatencySampleInterval, Is.EqualTo(EngineOptions.RecordingLatencySampleInterval));
        }
    }

    [Test]
    public void ShouldJournalTheWholeBatch_WhenTheCoreThrowsOnItsLastEvent()
    {
        // Arrange: three events published before the processor starts (one batch); the last names symbol id 100 in a
        // core sized for 4 symbols, so the core throws on it.
        using var temp = new TempDirectory("optiflow-placement-fault");
        var ring = new RingBuffer<MarketEvent>(64, WaitStrategyKind.Yielding.Create(64));
        var outbound = new RingBuffer<OutboundEvent>(1024, WaitStrategyKind.Yielding.Create(1024));
        var core = new MarketCore(4, new OutboundRingPublisher(outbound, null), measureLatency: false, evaluators: null, new OrderLedgerOptions { Trading = false });
        using var writer = new JournalWriter(temp.File("journal"), new JournalOptions { SegmentSize = 1 << 20 });
        var handler = new CoreThreadHandler(core);
        handler.AttachJournal(ring, new JournalEventHandler(writer, steadyStateAfterEvents: 1));
        using var processor = new BatchEventProcessor<MarketEvent, CoreThreadHandler>(ring, ring.Sequencer.NewBarrier(), handler);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        for (var i = 0; i < 3; i++)
        {
            var sequence = ring.Next();
            ref var slot = ref ring[sequence];
            slot = default;
            slot.Kind = MarketEventKind.Trade;
            slot.Market = Market.Futures;
            slot.SymbolId = i == 2 ? 100 : 1;
            slot.Price = 100 + i;
            slot.Quantity = 1;
            ring.Publish(sequence);
        }

        // Act
        processor.Start("placement-fault");
        BoundedWait.Until(() => processor.Sequence.Value >= 2, TimeSpan.FromSeconds(10), () => "the processor never passed the batch");
        processor.Halt();
        Assert.That(processor.Join(TimeSpan.FromSeconds(10)), Is.True, "the processor stopped");
        writer.Dispose();
        var sequences = new List<long>();
        using (var reader = new JournalReader(temp.File("journal")))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.MarketEvent)
                {
                    sequences.Add(record.Sequence);
                }
            }
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(processor.FaultCount, Is.EqualTo(1), "the core's fault, recorded by the processor");
            Assert.That(processor.Handler.JournalFaultCount, Is.Zero);
            Assert.That(sequences, Is.EqualTo(new long[] { 0, 1, 2 }), "every event of the batch journaled, the faulted one too");
        }
    }
}
