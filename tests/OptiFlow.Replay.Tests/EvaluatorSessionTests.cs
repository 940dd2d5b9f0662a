using System.Globalization;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Journal;
using OptiFlow.Journal.Session;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// Evaluators hosted by a session: their records and order commands are journaled on the outbound stream, the session
/// header names them, a replay rebuilds them from the header through a catalog and reproduces every record byte for
/// byte; an evaluator that throws is quarantined, journaled, and reproduced too; an unknown one is a clear error.
/// </summary>
[TestFixture]
public sealed class EvaluatorSessionTests
{
    private static RecordingInput Demo => RecordingInput.Open([Cli.OptiFlowCommand.DemoRecording], RecordingFormat.Hftbacktest, Market.Futures);

    private static EvaluatorCatalog Catalog => new EvaluatorCatalog(EvaluatorCatalog.Builtin).Register(EveryNthFactory.Key, EveryNthFactory.Parse);

    [Test]
    public void ShouldReproduceEveryRecordAndOrderCommand_WhenTheJournaledSessionIsReplayed()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-evaluators");
        var journal = temp.File("journal");
        var options = new EngineOptions { JournalDirectory = journal, Evaluators = [new EveryNthFactory(7, throwAt: 0), new EveryNthFactory(50, throwAt: 0)] };

        // Act
        var result = HostedRun.Run(Demo, options);
        var replay = JournalReplayer.Replay(journal, temp.File("replayed"), overwriteOutbound: false, Catalog);
        var divergence = JournalReplayer.CompareOutbound(journal, replay, out var compared);
        var scan = JournalScanner.Scan(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName));
        SessionHeaderRecord? header = null;
        using (var reader = new JournalReader(journal))
        {
            while (header is null && reader.TryRead(out var record))
            {
                header = record.Type == JournalRecordType.SessionHeader ? SessionHeaderRecord.Parse(record.Payload) : null;
            }
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Evaluators.Select(s => s.Name), Is.EqualTo(new[] { EveryNthFactory.Key, EveryNthFactory.Key }));
            Assert.That(result.Evaluators[0].RecordsEmitted, Is.GreaterThan(100), "the first evaluator emitted on every 7th applied message");
            Assert.That(result.Evaluators[0].OrdersEmitted, Is.EqualTo(result.Evaluators[0].RecordsEmitted));
            Assert.That(header!.Evaluators, Is.EqualTo(new[] { new EvaluatorSpecRecord(EveryNthFactory.Key, "7,0"), new EvaluatorSpecRecord(EveryNthFactory.Key, "50,0") }));
            Assert.That(scan.EvaluatorRecords, Is.EqualTo(result.Evaluators.Sum(s => s.RecordsEmitted)), "every record journaled");
            Assert.That(scan.OrderCommands, Is.EqualTo(result.Evaluators.Sum(s => s.OrdersEmitted)), "every order command journaled");
            Assert.That(replay.Differences(), Is.Empty);
            Assert.That(replay.Identical, Is.True);
            Assert.That(divergence, Is.Null, "byte for byte");
            Assert.That(compared, Is.EqualTo(result.SignalCount + scan.EvaluatorRecords + scan.OrderCommands));
        }
    }

    [Test]
    public void ShouldQuarantineJournalAndReproduceTheFault_WhenAnEvaluatorThrowsInASession()
    {
        // Arrange: the first evaluator throws on its 100th call; the second goes on.
        using var temp = new TempDirectory("optiflow-evaluators");
        var journal = temp.File("journal");
        var options = new EngineOptions { JournalDirectory = journal, Evaluators = [new EveryNthFactory(1, throwAt: 100), new EveryNthFactory(10, throwAt: 0)] };

        // Act
        var result = HostedRun.Run(Demo, options);
        var replay = JournalReplayer.Replay(journal, temp.File("replayed"), overwriteOutbound: false, Catalog);
        var divergence = JournalReplayer.CompareOutbound(journal, replay, out _);
        var faults = new List<EvaluatorRecord>();
        using (var reader = new JournalReader(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName)))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.EvaluatorRecord && record.EvaluatorRecord.Type == EvaluatorRecordType.Fault)
                {
                    faults.Add(record.EvaluatorRecord);
                }
            }
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.HadDataErrors, Is.False);
            Assert.That(result.SignalCount, Is.EqualTo(4_322), "the core went on: every signal of the recording");
            Assert.That(result.Evaluators[0].IsQuarantined, Is.True);
            Assert.That(result.Evaluators[0].Calls, Is.EqualTo(100));
            Assert.That(result.Evaluators[0].SkippedCalls, Is.EqualTo(4_322 - 100));
            Assert.That(result.Evaluators[1].IsQuarantined, Is.False);
            Assert.That(result.Evaluators[1].Calls, Is.EqualTo(4_322));
            Assert.That(faults, Has.Count.EqualTo(1));
            Assert.That(faults[0].EvaluatorId, Is.EqualTo(0));
            Assert.That(replay.Identical, Is.True, string.Join("; ", replay.Differences()));
            Assert.That(replay.Core.Evaluators!.Quarantined, Is.EqualTo(1));
            Assert.That(divergence, Is.Null);
        }
    }

    [Test]
    public void ShouldNameTheEvaluator_WhenAReplayCannotRebuildIt()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-evaluators");
        var journal = temp.File("journal");
        HostedRun.Run(Demo, new EngineOptions { JournalDirectory = journal, Evaluators = [new EveryNthFactory(7, throwAt: 0)] });

        // Act: the built-in catalog does not know the test's evaluator.
        var error = Assert.Throws<EvaluatorConfigurationException>(() => JournalReplayer.Replay(journal, temp.File("replayed")));

        // Assert
        Assert.That(error!.Message, Does.Contain($"'{EveryNthFactory.Key}'").And.Contain("does not know"));
    }

    /// <summary>Emits a record and an IOC order on every n-th applied depth message; throws on call <c>throwAt</c> (0: never).</summary>
    private sealed class EveryNthFactory(int every, int throwAt) : EvaluatorFactory
    {
        public const string Key = "test-every-nth";

        public override string Name => Key;

        public override string Configuration => string.Create(CultureInfo.InvariantCulture, $"{every},{throwAt}");

        public static EveryNthFactory Parse(string configuration)
        {
            var parts = configuration.Split(',');
            return new EveryNthFactory(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        public override Evaluator Create(SymbolTable symbols) => new EveryNth(every, throwAt);
    }

    private sealed class EveryNth(int every, int throwAt) : Evaluator
    {
        private long _calls;
        private long _orders;

        public override string Name => EveryNthFactory.Key;

        public override EvaluatorInputs Inputs => EvaluatorInputs.DepthApplied;

        public override void OnDepthApplied(ref readonly MarketEvent last, long sequence, SymbolState state, ref readonly SignalEvent signal)
        {
            if (++_calls == throwAt)
            {
                throw new InvalidOperationException("test evaluator fault");
            }

            if (_calls % every != 0)
            {
                return;
            }

            Context!.Emit(EvaluatorRecordType.StrategyDecision, in last, sequence, signal.Obi5);
            Context.EmitOrder(OrderCommand.NewLimit(state.SymbolId, signal.Obi1 > 0 ? OrderSide.Buy : OrderSide.Sell, signal.BestBid, FixedPoint.Scale / 1000, TimeInForce.ImmediateOrCancel, ++_orders, sequence, last.EventTimeMs));
        }
    }
}
