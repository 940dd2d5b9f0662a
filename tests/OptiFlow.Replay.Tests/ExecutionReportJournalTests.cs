using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>Execution-report slots in an inbound journal: <c>optiflow journal export --executions</c> writes them with
/// Binance's field names, and a replay of the journal still reproduces its outbound stream.</summary>
[TestFixture]
public sealed class ExecutionReportJournalTests
{
    [Test]
    public void ShouldExportEveryExecutionReportAndReplayIdentically_WhenTheInboundJournalHoldsReportSlots()
    {
        // Arrange: the demo's journal, then a fill and a risk rejection appended to its inbound stream as report slots.
        using var temp = new TempDirectory("executions");
        var journal = temp.File("journal");
        var (runExit, run) = Run("run", "--market", "futures", "--journal", journal, OptiFlowCommand.DemoRecording);
        Assert.That(runExit, Is.EqualTo(OptiFlowCommand.Success), run);
        long last;
        int segmentSize;
        using (var reader = new JournalReader(journal))
        {
            segmentSize = reader.SegmentSize;
            last = -1;
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.MarketEvent)
                {
                    last = Math.Max(last, record.Sequence);
                }
            }
        }

        var id = Engine.Strategies.ClientOrderIds.For(0, 1234, 1);
        var fill = new ExecutionReport
        {
            ClientOrderId = id,
            CommandClientOrderId = id,
            CausingSequence = 1234,
            Price = 2_814_510_000_000,
            Quantity = 1_500_000,
            LastPrice = 2_814_510_000_000,
            LastQuantity = 1_500_000,
            CumulativeQuantity = 1_500_000,
            Commission = 1_688_706,
            TradeId = 7,
            EventTimeMs = 1_680_566_400_000,
            TransactionTimeMs = 1_680_566_400_001,
            SymbolId = 0,
            Side = OrderSide.Buy,
            Type = OrderType.Limit,
            TimeInForce = TimeInForce.GoodTillCrossing,
            Status = OrderStatus.Filled,
            Origin = ExecutionReportOrigin.Venue,
            IsMaker = true,
        };
        var reject = fill with
        {
            ClientOrderId = id + 1,
            CommandClientOrderId = id + 1,
            LastPrice = 0,
            LastQuantity = 0,
            CumulativeQuantity = 0,
            Commission = 0,
            TradeId = -1,
            Status = OrderStatus.Rejected,
            Reason = ExecutionReason.RiskRejected,
            RiskReason = RiskReason.NotionalBelowMin,
            Origin = ExecutionReportOrigin.Gateway,
            IsMaker = false,
        };
        using (var writer = JournalWriter.Resume(journal, new JournalOptions { SegmentSize = segmentSize }))
        {
            var slot = default(MarketEvent);
            ExecutionReportEvent.Write(ref slot, in fill, Market.Futures, 0);
            writer.Append(ref slot, last + 1);
            ExecutionReportEvent.Write(ref slot, in reject, Market.Futures, 0);
            writer.Append(ref slot, last + 2);
        }

        // Act
        var (exportExit, export) = Run("journal", "export", journal, "--executions");
        var (bothExit, both) = Run("journal", "export", journal, "--orders", "--executions");
        var (compareExit, compare) = Run("replay", journal, "--compare");

        // Assert
        var rows = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exportExit, Is.EqualTo(OptiFlowCommand.Success), export);
            Assert.That(rows, Has.Length.EqualTo(3));
            Assert.That(rows[0].TrimEnd(), Is.EqualTo("sequence,timestamp_ns,event_time_ms,transaction_time_ms,symbol,client_order_id,side,order_type,time_in_force,quantity,price,order_status,reject_reason,last_executed_quantity,cumulative_filled_quantity,last_executed_price,commission,trade_id,is_maker,command_client_order_id,causing_sequence,evaluator_id,risk_reason,venue_error_code,origin"));
            Assert.That(rows[1].TrimEnd(), Is.EqualTo($"{last + 1},0,1680566400000,1680566400001,BTCUSDT,{id},Buy,Limit,GoodTillCrossing,0.015,28145.1,Filled,None,0.015,0.015,28145.1,0.01688706,7,true,{id},1234,0,Accepted,0,Venue"));
            Assert.That(rows[2].TrimEnd(), Does.EndWith($",Rejected,RiskRejected,0,0,0,0,-1,false,{id + 1},1234,0,NotionalBelowMin,0,Gateway"));
            Assert.That(bothExit, Is.EqualTo(OptiFlowCommand.BadUsage), both);
            // The run summary was written before the two slots were appended, so the event counts differ by them (the
            // verdict says so); the outbound stream, order commands included, must not.
            Assert.That(compareExit, Is.Not.EqualTo(OptiFlowCommand.BadUsage), compare);
            Assert.That(compare, Does.Contain($"events: live {last + 1}, replay {last + 3}"));
            Assert.That(compare, Does.Match(@"compare: identical: \d+ outbound records \(signals, evaluator records and order commands\), byte for byte"));
        }
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = OptiFlowCommand.Run(args, output, error);
        return (exit, output + error.ToString());
    }
}
