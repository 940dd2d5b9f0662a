using NUnit.Framework;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Tests.Ledger;

/// <summary>The 128-byte slot layout of an execution report: every field survives a write and a read, packed fields at their limits.</summary>
[TestFixture]
public sealed class ExecutionReportEventTests
{
    [TestCase(1_234_567_890_123L, -5022, 1_700_000_000_123L, 1_700_000_000_125L)]
    [TestCase(-1L, 0, 1_700_000_000_123L, 0L)]
    [TestCase((1L << 47) - 1, short.MinValue, 1_700_000_000_123L, 1_700_000_000_100L)]
    public void ShouldReadBackEveryField_WhenAReportIsWrittenIntoASlot(long tradeId, int errorCode, long eventTimeMs, long transactionTimeMs)
    {
        // Arrange
        var report = new ExecutionReport
        {
            ClientOrderId = 11,
            CommandClientOrderId = 12,
            CausingSequence = 13,
            Price = 2_815_710_000_000,
            Quantity = 1_000_000,
            LastPrice = 2_815_700_000_000,
            LastQuantity = 400_000,
            CumulativeQuantity = 700_000,
            RemainingQuantity = 300_000,
            Commission = -5_631,
            TradeId = tradeId,
            EventTimeMs = eventTimeMs,
            TransactionTimeMs = transactionTimeMs,
            VenueErrorCode = errorCode,
            SymbolId = 3,
            Side = OrderSide.Sell,
            Type = OrderType.LimitMaker,
            TimeInForce = TimeInForce.GoodTillCrossing,
            Status = OrderStatus.PartiallyFilled,
            Reason = ExecutionReason.NotFoundAfterUnknownOutcome,
            RiskReason = RiskReason.KillSwitch,
            Origin = ExecutionReportOrigin.Reconciliation,
            IsMaker = true,
        };
        var slot = new MarketEvent { Kind = MarketEventKind.Trade, Price = 99, SourceLine = 77 }; // a reused slot

        // Act
        ExecutionReportEvent.Write(ref slot, in report, Market.Futures, receiveTimestampNs: 555, localTimestampNs: 1_700_000_000_123_000_000);
        ExecutionReportEvent.Read(in slot, out var read);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.EqualTo(report));
            Assert.That(slot.Kind, Is.EqualTo(MarketEventKind.ExecutionReport));
            Assert.That(slot.SymbolId, Is.EqualTo(3));
            Assert.That(slot.Market, Is.EqualTo(Market.Futures));
            Assert.That(slot.ReceiveTimestampNs, Is.EqualTo(555));
            Assert.That(slot.LocalTimestampNs, Is.EqualTo(1_700_000_000_123_000_000), "the journal stamps the record with the report's wall-clock arrival");
            Assert.That(slot.EventTimeMs, Is.EqualTo(eventTimeMs), "E at the market event's offset");
        }
    }
}
