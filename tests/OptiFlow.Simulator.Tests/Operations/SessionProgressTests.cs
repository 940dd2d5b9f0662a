using NUnit.Framework;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Hosting.Monitoring;
using OptiFlow.Engine.Hosting.Trading;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests.Operations;

/// <summary>
/// <see cref="EngineSession.Progress"/> and <see cref="ReplayProgress"/> through the public host: zeros before the
/// source starts, and once it has finished, the same counts the session's and the replay's results give.
/// </summary>
[TestFixture]
public sealed class SessionProgressTests
{
    [Test]
    public void ShouldAgreeWithTheResult_WhenTheRecordingSessionHasStopped()
    {
        // Arrange
        using var directory = new TempDirectory("progress-host");
        var recording = RecordingInput.Open(DemoRecording.Path);
        using var session = EngineSession.ForRecording(recording, new EngineOptions { JournalDirectory = directory.File("journal") });
        var before = session.Progress();

        // Act
        session.Start();
        session.PublishRecording();
        var result = session.Stop();
        var after = session.Progress();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.Frames, Is.Zero);
            Assert.That(before.Events, Is.Zero);
            Assert.That(before.SourceFinished, Is.False);
            Assert.That(before.InputBytesRead, Is.Zero);
            Assert.That(before.InputBytesTotal, Is.EqualTo(JournalSizing.UncompressedSize(DemoRecording.Path)));
            Assert.That(after.SourceFinished, Is.True);
            Assert.That(after.Frames, Is.EqualTo(result.Frames));
            Assert.That(after.Events, Is.EqualTo(result.Core.EventCount));
            Assert.That(after.InputBytesRead, Is.EqualTo(after.InputBytesTotal), "the whole input was read");
            Assert.That(after.RingBacklog, Is.Zero, "drained");
            Assert.That(after.DecodeErrors, Is.EqualTo(result.Core.DecodeErrors));
            Assert.That(after.Books.Select(b => b.Symbol), Is.EqualTo(new[] { "BTCUSDT" }));
            Assert.That(after.Books[0].Health, Is.EqualTo(BookHealth.Synced));
            Assert.That(after.Books[0].Gaps, Is.EqualTo(result.Core.Symbols[0].Gaps));
            Assert.That(after.Latency.Single(s => s.Key == "core_handling").Count, Is.EqualTo(result.Core.HandlingLatency.TotalCount));
            Assert.That(after.Trading, Is.Null, "not trading");
        }
    }

    [Test]
    public void ShouldAgreeWithTheTradingResult_WhenAPaperTradingSessionHasStopped()
    {
        // Arrange: the OBI maker paper-trades the demo recording on its shipped filters (as optiflow demo does).
        using var directory = new TempDirectory("progress-trading");
        var filters = Path.Combine(Path.GetDirectoryName(DemoRecording.Path)!, "demo-filters.json");
        var options = new EngineOptions
        {
            JournalDirectory = directory.File("journal"),
            Evaluators = [new ObiMakerFactory(new ObiMakerOptions { Threshold = 0.3, Quantity = FixedPoint.Scale / 100, Limits = new StrategyLimits { CooldownMs = 200 } })],
            Trading = new TradingOptions { Mode = TradingMode.Paper, Matching = new MatchingOptions { MakerFeeBasisPoints = 2, TakerFeeBasisPoints = 5 } }.WithExchangeInfo(ExchangeInfoParser.ParseFile(filters)),
        };
        using var session = EngineSession.ForRecording(RecordingInput.Open(DemoRecording.Path), options);

        // Act
        session.Start();
        session.PublishRecording();
        var result = session.Stop();
        var trading = session.Progress().Trading;

        // Assert
        var expected = result.Trading!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading, Is.Not.Null);
            Assert.That(trading!.Sent, Is.EqualTo(expected.Sent).And.GreaterThan(0), "orders reached the paper venue");
            Assert.That(trading.Commands, Is.EqualTo(expected.Commands));
            Assert.That(trading.NewOrders, Is.EqualTo(expected.NewOrders));
            Assert.That(trading.Acknowledged, Is.EqualTo(expected.Acknowledged));
            Assert.That(trading.Filled, Is.EqualTo(expected.Filled));
            Assert.That(trading.Canceled, Is.EqualTo(expected.Canceled));
            Assert.That(trading.Rejected, Is.EqualTo(expected.Rejected));
            Assert.That(trading.RiskRejected, Is.EqualTo(expected.RiskRejections.Values.Sum()));
            Assert.That(trading.Fills, Is.EqualTo(expected.Fills));
            Assert.That(trading.OpenOrders, Is.EqualTo(expected.OpenOrdersAtEnd));
        }
    }

    [Test]
    public void ShouldCountEveryEventOfTheRunSummary_WhenAReplayHasFinished()
    {
        // Arrange
        using var directory = new TempDirectory("progress-replay");
        var journal = directory.File("journal");
        SessionResult result;
        using (var session = EngineSession.ForRecording(RecordingInput.Open(DemoRecording.Path), new EngineOptions { JournalDirectory = journal }))
        {
            session.Start();
            session.PublishRecording();
            result = session.Stop();
        }

        var expected = JournalReplayer.RecordedEvents(journal);
        var progress = new ReplayProgress(expected ?? 0);
        var before = progress.Read();

        // Act
        var replay = JournalReplayer.Replay(journal, null, false, null, progress);
        var after = progress.Read();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected, Is.EqualTo(result.Core.EventCount), "the run summary's count");
            Assert.That(before.Events, Is.Zero);
            Assert.That(before.SourceFinished, Is.False);
            Assert.That(after.Events, Is.EqualTo(replay.Events));
            Assert.That(after.ExpectedEvents, Is.EqualTo(replay.Events));
            Assert.That(after.SourceFinished, Is.True);
            Assert.That(after.Books.Single().SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(replay.Identical, Is.True);
        }
    }

    [Test]
    public void ShouldHaveNoRecordedEvents_WhenTheJournalHasNoRunSummary()
    {
        // Arrange: a session started and never stopped (disposed): its journal has a header and no summary.
        using var directory = new TempDirectory("progress-incomplete");
        var journal = directory.File("journal");
        using (var session = EngineSession.ForRecording(RecordingInput.Open(DemoRecording.Path), new EngineOptions { JournalDirectory = journal }))
        {
            session.Start();
        }

        // Act
        var events = JournalReplayer.RecordedEvents(journal);

        // Assert
        Assert.That(events, Is.Null);
    }
}
