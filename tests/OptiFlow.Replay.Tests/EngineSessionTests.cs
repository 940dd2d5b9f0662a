using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;
using OptiFlow.Journal.Session;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// The host's session lifecycle: drain and stop are bounded and a stuck consumer is an error with the sequences in its
/// message, never a shorter journal; the session header comes first in the journal and the run summary last; the steps
/// must come in order.
/// </summary>
[TestFixture]
public sealed class EngineSessionTests
{
    private static RecordingInput Demo => RecordingInput.Open([Cli.OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures);

    [Test]
    public void ShouldThrowTimeoutWithTheSequences_WhenAnOutboundConsumerDoesNotDrain()
    {
        // Arrange: a printer that does not start consuming until released.
        using var release = new ManualResetEventSlim(false);
        var stuck = new StuckHandler(release);
        using var session = EngineSession.ForRecording(Demo, new EngineOptions { OutboundHandlers = [stuck], DrainTimeout = TimeSpan.FromMilliseconds(200) });
        session.Start();
        session.PublishRecording();

        // The inbound consumers caught up (Stop's inbound drain is bounded by the same 200 ms; only the outbound one is stuck).
        var inbound = session.InboundRing;
        BoundedWait.Until(() => inbound.Sequencer.RemainingCapacity() == inbound.BufferSize, TimeSpan.FromSeconds(30), () => "the core and the journal never caught up with the inbound ring");

        // Act
        var error = Assert.Throws<TimeoutException>(() => session.Stop());
        release.Set();

        // Assert
        Assert.That(error!.Message, Does.Contain("optiflow-outbound-1").And.Contain("consumer -1").And.Contain("cursor 4321"), "4,322 signals, none consumed");
    }

    [Test]
    public void ShouldJournalTheHeaderFirstAndTheSummaryLast_WhenARunCompletes()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-session");
        var directory = temp.File("journal");

        // Act
        var result = HostedRun.Run(Demo, new EngineOptions { JournalDirectory = directory });

        // Assert
        var types = new List<JournalRecordType>();
        SessionHeaderRecord? header = null;
        RunSummaryRecord? summary = null;
        using (var reader = new JournalReader(directory))
        {
            while (reader.TryRead(out var record))
            {
                types.Add(record.Type);
                if (record.Type == JournalRecordType.SessionHeader)
                {
                    header = SessionHeaderRecord.Parse(record.Payload);
                }
                else if (record.Type == JournalRecordType.RunSummary)
                {
                    summary = RunSummaryRecord.Parse(record.Payload);
                }
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(types[0], Is.EqualTo(JournalRecordType.SessionHeader));
            Assert.That(types[^1], Is.EqualTo(JournalRecordType.RunSummary));
            Assert.That(types.Count(t => t == JournalRecordType.MarketEvent), Is.EqualTo(result.PublishedSlots), "every published slot journaled");
            Assert.That(header!.Version, Is.EqualTo(SessionHeaderDescriptor.Version));
            Assert.That(header.Market, Is.EqualTo("Futures"));
            Assert.That(header.Files, Is.EqualTo(new[] { Path.GetFullPath(Cli.OptiFlowCommand.DemoRecording) }));
            Assert.That(summary!.Version, Is.EqualTo(RunSummaryDescriptor.Version));
            Assert.That(summary.SignalCount, Is.EqualTo(result.SignalCount));
            Assert.That(summary.SignalDigest, Is.EqualTo(result.SignalDigest));
            Assert.That(summary.BooksDigest, Is.EqualTo(result.BooksDigest));
            Assert.That(summary.Books.Single().BestBid, Is.EqualTo(result.Books.Single().BestBid));
        }
    }

    [Test]
    public void ShouldRefuseStepsOutOfOrder_WhenDrivenWrongly()
    {
        // Arrange
        using var session = EngineSession.ForRecording(Demo);

        // Act / Assert
        Assert.Throws<InvalidOperationException>(() => session.PublishRecording(), "publish before start");
        Assert.Throws<InvalidOperationException>(() => session.Stop(), "stop before start");
        session.Start();
        Assert.Throws<InvalidOperationException>(() => session.Start(), "start twice");
        Assert.Throws<InvalidOperationException>(() => session.RunLive(null, CancellationToken.None), "a recording session does not run live");
        session.PublishRecording();
        Assert.Throws<InvalidOperationException>(() => session.PublishRecording(), "publish twice");
        var result = session.Stop();
        Assert.Throws<InvalidOperationException>(() => session.Stop(), "stop twice");
        Assert.That(result.SignalCount, Is.EqualTo(4322));
    }

    [Test]
    public void ShouldRejectInvalidOptions_WhenCreated()
    {
        // Arrange
        var input = Demo;

        // Act / Assert
        Assert.Throws<ArgumentException>(() => EngineSession.ForRecording(input, new EngineOptions { RingSize = 1000 }));
        Assert.Throws<ArgumentException>(() => EngineSession.ForRecording(input, new EngineOptions { OutboundRingSize = 0 }));
        Assert.Throws<ArgumentException>(() => EngineSession.ForRecording(input, new EngineOptions { DrainTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineSession.ForRecording(input, new EngineOptions { BookViews = new BookViewPolicy(0, 1) }));
    }

    [Test]
    public void ShouldGiveEachConsumerItsOwnWaitStrategyAndReplayIdentically_WhenTheyDiffer()
    {
        // Arrange: a yielding core beside a blocking journal and a sleeping printer.
        using var temp = new TempDirectory("optiflow-waits");
        var journal = temp.File("journal");
        var printer = new ThreadRecordingHandler();
        var options = new EngineOptions
        {
            JournalDirectory = journal,
            CoreWaitStrategy = WaitStrategyKind.Yielding,
            JournalWaitStrategy = WaitStrategyKind.Blocking,
            OutboundWaitStrategy = WaitStrategyKind.Sleeping,
            OutboundHandlers = [printer],
            JournalPlacement = JournalPlacement.OwnThread,
        };

        // Act
        SessionResult result;
        IReadOnlyList<ConsumerWaitStrategy> consumers;
        using (var session = EngineSession.ForRecording(Demo, options))
        {
            consumers = session.Consumers;
            session.Start();
            session.PublishRecording();
            result = session.Stop();
        }

        var replay = JournalReplayer.Replay(journal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(consumers, Is.EquivalentTo(new[]
            {
                new ConsumerWaitStrategy("optiflow-core", "YieldingWaitStrategy"),
                new ConsumerWaitStrategy("optiflow-journal", "BlockingWaitStrategy"),
                new ConsumerWaitStrategy("optiflow-outbound", "BlockingWaitStrategy"),
                new ConsumerWaitStrategy("optiflow-outbound-1", "SleepingWaitStrategy"),
            }));
            Assert.That(result.FullRingSleeps, Is.Zero, "only a batching (throughput-mode) producer sleeps on a full ring");
            Assert.That(result.JournalRecords, Is.GreaterThan(result.PublishedSlots), "every slot journaled, with the header, symbols and summary");
            Assert.That(printer.Signals, Is.EqualTo(result.SignalCount));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
        }
    }

    [Test]
    public void ShouldBatchEveryConsumerAndReplayIdentically_WhenARecordingSessionIsGivenNoOptions()
    {
        // Arrange: ForRecording's defaults, with a journal and a printer (each consumer gets its own batching strategy).
        using var temp = new TempDirectory("optiflow-batching");
        var journal = temp.File("journal");
        var printer = new ThreadRecordingHandler();
        var options = EngineOptions.ForRecording() with { JournalDirectory = journal, OutboundHandlers = [printer], JournalPlacement = JournalPlacement.OwnThread };

        // Act
        SessionResult result;
        IReadOnlyList<ConsumerWaitStrategy> consumers;
        using (var session = EngineSession.ForRecording(Demo, options))
        {
            consumers = session.Consumers;
            session.Start();
            session.PublishRecording();
            result = session.Stop();
        }

        var replay = JournalReplayer.Replay(journal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.CoreWaitStrategy, Is.EqualTo(WaitStrategyKind.Batching));
            Assert.That(consumers.Select(c => c.WaitStrategy), Is.All.EqualTo("BatchingWaitStrategy"));
            Assert.That(consumers.Select(c => c.Thread), Is.EquivalentTo(new[] { "optiflow-core", "optiflow-journal", "optiflow-outbound", "optiflow-outbound-1" }));
            Assert.That(result.Core.EventCount, Is.EqualTo(result.PublishedSlots), "every event reached the core");
            Assert.That(result.JournalRecords, Is.GreaterThan(result.PublishedSlots), "every slot journaled, with the header, symbols and summary");
            Assert.That(printer.Signals, Is.EqualTo(result.SignalCount));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
        }
    }

    [Test]
    public void ShouldSleepUntilHalfTheRingIsFreeAndLoseNothing_WhenABatchingSessionsRingIsNearlyFull()
    {
        // Arrange: a printer that does not start until released, behind a 64-slot outbound ring, stalls the core, so the
        // producer fills the inbound ring (the demo has 77,339 events for 65,536 slots); the printer is released once the
        // producer has gone to sleep on the nearly full ring.
        using var temp = new TempDirectory("optiflow-full-ring");
        var journal = temp.File("journal");
        using var release = new ManualResetEventSlim(false);
        var options = EngineOptions.ForRecording() with { JournalDirectory = journal, OutboundRingSize = 64, OutboundHandlers = [new StuckHandler(release)] };
        SessionResult result;
        using (var session = EngineSession.ForRecording(Demo, options))
        {
            var watcher = new Thread(() =>
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
                while (session.FullRingSleeps == 0 && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(1);
                }

                release.Set();
            });
            session.Start();
            watcher.Start();

            // Act
            session.PublishRecording();
            result = session.Stop();
            Assert.That(watcher.Join(TimeSpan.FromSeconds(30)), Is.True, "the watcher ended");
        }

        var replay = JournalReplayer.Replay(journal);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FullRingSleeps, Is.GreaterThanOrEqualTo(1), "the producer slept on the nearly full ring");
            Assert.That(result.Core.EventCount, Is.EqualTo(result.PublishedSlots), "every event reached the core");
            Assert.That(result.JournalRecords, Is.GreaterThan(result.PublishedSlots));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
        }
    }

    [Test]
    public void ShouldUseTheRecordingDefaults_WhenForRecordingIsGivenNoOptions()
    {
        // Act
        using var session = EngineSession.ForRecording(Demo);

        // Assert
        Assert.That(session.Consumers, Is.EqualTo(new[] { new ConsumerWaitStrategy("optiflow-core", "BatchingWaitStrategy") }).AsCollection);
    }

    [Test]
    public void ShouldPaceTheCoresChases_WhenAFileRunDoesNotTrade()
    {
        // Act
        using var session = EngineSession.ForRecording(Demo);

        // Assert
        Assert.That(session.CorePacesChases, Is.True);
    }

    [Test]
    public void ShouldRefuseABatchingCore_WhenTheSessionTrades()
    {
        // Arrange
        var options = EngineOptions.ForRecording() with { Trading = new Engine.Hosting.Trading.TradingOptions { Mode = Engine.Hosting.Trading.TradingMode.Paper } };

        // Act
        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        // Assert
        Assert.That(error!.Message, Does.Contain("Batching").And.Contain("Trading"));
    }

    [Test]
    public void ShouldRunPrintersOnTheirOwnThread_WhenGivenAsOutboundHandlers()
    {
        // Arrange
        var printer = new ThreadRecordingHandler();

        // Act
        var result = HostedRun.Run(Demo, new EngineOptions { OutboundHandlers = [printer] });

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(printer.Signals, Is.EqualTo(result.SignalCount), "every signal reached the printer");
            Assert.That(printer.Threads, Is.EqualTo(new[] { "optiflow-outbound-1" }), "one thread of its own, never the core's");
        }
    }

    /// <summary>Counts signals and notes the threads it is called on.</summary>
    private sealed class ThreadRecordingHandler : IEventHandler<OutboundEvent>
    {
        private readonly HashSet<string> _threads = [];

        public long Signals { get; private set; }

        public IEnumerable<string> Threads => _threads;

        public void OnStart() => _threads.Add(Thread.CurrentThread.Name ?? "?");

        public void OnBatchStart(long firstSequence, long count)
        {
        }

        public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
        {
            _threads.Add(Thread.CurrentThread.Name ?? "?");
            if (data.Kind == OutboundEventKind.Signal)
            {
                Signals++;
            }
        }

        public void OnShutdown()
        {
        }
    }

    /// <summary>Blocks its thread in OnStart until released (bounded: 30 s), so it consumes nothing meanwhile.</summary>
    private sealed class StuckHandler(ManualResetEventSlim release) : IEventHandler<OutboundEvent>
    {
        public void OnStart() => release.Wait(TimeSpan.FromSeconds(30));

        public void OnBatchStart(long firstSequence, long count)
        {
        }

        public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
        {
        }

        public void OnShutdown()
        {
        }
    }
}
