using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Strategies;
using OptiFlow.Engine.Tests.Support;

namespace OptiFlow.Engine.Tests.Ledger;

/// <summary>The core hands an execution report to the one evaluator named in its client order id, after the ledger applied it.</summary>
public class ExecutionReportDispatchTests
{
    private sealed class RecordingReportEvaluator(string name, EvaluatorInputs inputs, bool throws = false) : Evaluator
    {
        public override string Name => name;

        public override EvaluatorInputs Inputs => inputs;

        public List<(ExecutionReport Report, long Sequence, int LedgerReports)> Reports { get; } = [];

        public override void OnExecutionReport(in ExecutionReport report, ref readonly MarketEvent slot, long sequence)
        {
            Reports.Add((report, sequence, Context!.Orders.ReportsOf(report.Status) > 0 ? 1 : 0));
            if (throws)
            {
                throw new InvalidOperationException("boom");
            }
        }
    }

    private static void Publish(MarketCore core, long clientOrderId, long sequence, OrderStatus status = OrderStatus.New)
    {
        var report = new ExecutionReport { ClientOrderId = clientOrderId, CommandClientOrderId = clientOrderId, SymbolId = 1, Side = OrderSide.Buy, Status = status, TradeId = -1 };
        var slot = default(MarketEvent);
        ExecutionReportEvent.Write(ref slot, in report, Market.Spot, 0);
        core.OnEvent(ref slot, sequence);
    }

    [Test]
    public void ShouldCallOnlyTheEvaluatorNamedInTheClientOrderId_WhenAReportArrives()
    {
        // Arrange
        var first = new RecordingReportEvaluator("first", EvaluatorInputs.ExecutionReport);
        var second = new RecordingReportEvaluator("second", EvaluatorInputs.ExecutionReport);
        var deaf = new RecordingReportEvaluator("deaf", EvaluatorInputs.BookTicker);
        var set = new EvaluatorSet([first, second, deaf]);
        var core = new MarketCore(4, new RecordingOutboundSink(), evaluators: set, orders: new OrderLedgerOptions { Trading = true });

        // Act
        Publish(core, ClientOrderIds.For(1, 10, 0), 20);
        Publish(core, ClientOrderIds.For(2, 11, 0), 21);   // an evaluator that did not subscribe
        Publish(core, ClientOrderIds.For(7, 12, 0), 22);   // no such evaluator
        Publish(core, 0, 23);                              // no id at all

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Reports, Is.Empty);
            Assert.That(second.Reports.Select(r => r.Sequence), Is.EqualTo(new[] { 20L }));
            Assert.That(second.Reports[0].LedgerReports, Is.EqualTo(1), "the ledger applied the report before the call");
            Assert.That(deaf.Reports, Is.Empty);
            Assert.That(set.UndeliveredReports, Is.EqualTo(3));
            Assert.That(core.EventsOfKind(MarketEventKind.ExecutionReport), Is.EqualTo(4));
            Assert.That(core.Orders.Reports, Is.EqualTo(4));
            Assert.That(core.Orders.AnomalyCount(LedgerAnomaly.UnknownOrder), Is.EqualTo(4), "never sent by this core (id 0 included)");
        }
    }

    [Test]
    public void ShouldQuarantineTheEvaluatorAndGoOn_WhenItsReportCallbackThrows()
    {
        // Arrange
        var thrower = new RecordingReportEvaluator("thrower", EvaluatorInputs.ExecutionReport, throws: true);
        var sink = new RecordingOutboundSink();
        var set = new EvaluatorSet([thrower]);
        var core = new MarketCore(4, sink, evaluators: set, orders: new OrderLedgerOptions { Trading = true });

        // Act
        Publish(core, ClientOrderIds.For(0, 10, 0), 20);
        Publish(core, ClientOrderIds.For(0, 11, 0), 21);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrower.Reports, Has.Count.EqualTo(1), "quarantined after the first throw");
            Assert.That(set.Quarantined, Is.EqualTo(1));
            Assert.That(set.Status[0].FaultSequence, Is.EqualTo(20));
            Assert.That(sink.EvaluatorRecords.Single().Type, Is.EqualTo(EvaluatorRecordType.Fault));
            Assert.That(core.Orders.Reports, Is.EqualTo(2), "the ledger goes on");
        }
    }
}
