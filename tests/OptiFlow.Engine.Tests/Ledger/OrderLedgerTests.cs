using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Strategies;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests.Ledger;

/// <summary>The core's order ledger on hand-made commands and reports: order states from emission to close, positions as
/// the sum of fills (per symbol and per strategy), PnL on hand-computed numbers, anomalies counted, capacity policy.</summary>
public class OrderLedgerTests
{
    private const long S = FixedPoint.Scale;
    private const int Btc = 1;
    private const int Eth = 2;

    private static OrderLedger Trading(int orderCapacity = 64) =>
        new(new OrderLedgerOptions { Trading = true, OrderCapacity = orderCapacity }, symbolCapacity: 8, strategyCount: 2);

    private static long Id(int strategy, long sequence, int leg = 1) => ClientOrderIds.For(strategy, sequence, leg);

    private static OrderCommand New(long id, int symbol = Btc, OrderSide side = OrderSide.Buy, long price = 100 * S, long quantity = 2 * S, TimeInForce tif = TimeInForce.GoodTillCancelled) =>
        OrderCommand.NewLimit(symbol, side, price, quantity, tif, id, ClientOrderIds.Parse(id).CausingSequence, 1_000);

    private static ExecutionReport Report(
        long id,
        OrderStatus status,
        long cumulative = 0,
        long lastQuantity = 0,
        long lastPrice = 0,
        long commission = 0,
        int symbol = Btc,
        OrderSide side = OrderSide.Buy,
        long quantity = 2 * S,
        ExecutionReason reason = ExecutionReason.None,
        RiskReason risk = RiskReason.Accepted,
        long commandId = 0) => new()
        {
            ClientOrderId = id,
            CommandClientOrderId = commandId == 0 ? id : commandId,
            SymbolId = symbol,
            Side = side,
            Type = OrderType.Limit,
            TimeInForce = TimeInForce.GoodTillCancelled,
            Price = 100 * S,
            Quantity = quantity,
            CumulativeQuantity = cumulative,
            RemainingQuantity = quantity - cumulative,
            LastQuantity = lastQuantity,
            LastPrice = lastPrice,
            Commission = commission,
            TradeId = lastQuantity > 0 ? 7 : -1,
            Status = status,
            Reason = reason,
            RiskReason = risk,
            Origin = ExecutionReportOrigin.Venue,
        };

    [Test]
    public void ShouldHoldTheOrderPendingNewThenNew_WhenItIsAcknowledged()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);

        // Act
        ledger.OnCommand(New(id), 0);
        var pending = ledger.PendingNewOrders(0);
        ledger.TryGetOrder(id, out var sent);
        ledger.OnReport(Report(id, OrderStatus.New), 11);

        // Assert
        ledger.TryGetOrder(id, out var acked);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending, Is.EqualTo(1));
            Assert.That(sent.State, Is.EqualTo(LedgerOrderState.PendingNew));
            Assert.That(sent.LastReportSequence, Is.EqualTo(-1));
            Assert.That(acked.State, Is.EqualTo(LedgerOrderState.New));
            Assert.That(acked.LastReportSequence, Is.EqualTo(11));
            Assert.That(ledger.PendingNewOrders(0), Is.Zero);
            Assert.That(ledger.OpenOrders(0), Is.EqualTo(1));
            Assert.That(ledger.OpenNotional(0), Is.EqualTo(200 * S), "100 × 2");
            Assert.That(ledger.CommandsSent(OrderAction.New), Is.EqualTo(1));
            Assert.That(ledger.ReportsOf(OrderStatus.New), Is.EqualTo(1));
            Assert.That(ledger.ReportsOf(ExecutionReportOrigin.Venue), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldFillInTwoStepsAndClose_WhenPartiallyFilledThenFilled()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);
        ledger.OnCommand(New(id), 0);
        ledger.OnReport(Report(id, OrderStatus.New), 11);

        // Act
        ledger.OnReport(Report(id, OrderStatus.PartiallyFilled, cumulative: S / 2, lastQuantity: S / 2, lastPrice: 100 * S, commission: 5_000_000), 12);
        ledger.TryGetOrder(id, out var partial);
        var notionalAfterPartial = ledger.OpenNotional(0);
        ledger.OnReport(Report(id, OrderStatus.Filled, cumulative: 2 * S, lastQuantity: 3 * S / 2, lastPrice: 99 * S, commission: 15_000_000), 13);

        // Assert
        ledger.TryGetOrder(id, out var filled);
        var position = ledger.PositionOf(Btc);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(partial.State, Is.EqualTo(LedgerOrderState.PartiallyFilled));
            Assert.That(partial.CumulativeQuantity, Is.EqualTo(S / 2));
            Assert.That(notionalAfterPartial, Is.EqualTo(150 * S), "100 × the 1.5 remaining");
            Assert.That(filled.State, Is.EqualTo(LedgerOrderState.Filled));
            Assert.That(filled.IsOpen, Is.False);
            Assert.That(ledger.OpenOrders(0), Is.Zero);
            Assert.That(ledger.OpenNotional(0), Is.Zero);
            Assert.That(ledger.Fills, Is.EqualTo(2));
            Assert.That(position.NetQuantity, Is.EqualTo(2 * S), "position = sum of fills");
            Assert.That(position.BoughtQuantity, Is.EqualTo(2 * S));
            Assert.That(position.BuyNotional, Is.EqualTo((50 * S) + (148_5 * S / 10)), "0.5 × 100 + 1.5 × 99");
            Assert.That(position.Commission, Is.EqualTo(20_000_000));
            Assert.That(position.Fills, Is.EqualTo(2));
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.Overfill) + ledger.AnomalyCount(LedgerAnomaly.CumulativeBackwards), Is.Zero);
        }
    }

    [Test]
    public void ShouldKeepTheOrderOpenWithACancelPending_UntilTheCanceledReport()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);
        var cancelId = Id(0, 20, 0);
        ledger.OnCommand(New(id), 0);
        ledger.OnReport(Report(id, OrderStatus.New), 11);

        // Act
        ledger.OnCommand(OrderCommand.Cancel(Btc, id, cancelId, 20, 2_000), 0);
        ledger.TryGetOrder(id, out var cancelling);
        var openWhileCancelling = ledger.OpenOrders(0);
        ledger.OnReport(Report(id, OrderStatus.Canceled, commandId: cancelId), 21);

        // Assert
        ledger.TryGetOrder(id, out var cancelled);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cancelling.CancelPending, Is.True);
            Assert.That(cancelling.State, Is.EqualTo(LedgerOrderState.New));
            Assert.That(openWhileCancelling, Is.EqualTo(1), "it can still fill until the venue says it is cancelled");
            Assert.That(cancelled.State, Is.EqualTo(LedgerOrderState.Canceled));
            Assert.That(cancelled.CancelPending, Is.False);
            Assert.That(ledger.OpenOrders(0), Is.Zero);
            Assert.That(ledger.CommandsSent(OrderAction.Cancel), Is.EqualTo(1));
            Assert.That(ledger.ReportsOf(OrderStatus.Canceled), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldClearTheCancelPendingAndKeepTheOrderOpen_WhenTheCancelIsRejected()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);
        var cancelId = Id(0, 20, 0);
        ledger.OnCommand(New(id), 0);
        ledger.OnReport(Report(id, OrderStatus.New), 11);
        ledger.OnCommand(OrderCommand.Cancel(Btc, id, cancelId, 20, 2_000), 0);

        // Act
        ledger.OnReport(Report(id, OrderStatus.Rejected, commandId: cancelId, reason: ExecutionReason.RateLimited), 21);

        // Assert
        ledger.TryGetOrder(id, out var order);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.State, Is.EqualTo(LedgerOrderState.New));
            Assert.That(order.CancelPending, Is.False);
            Assert.That(ledger.OpenOrders(0), Is.EqualTo(1));
            Assert.That(ledger.CancelRejects, Is.EqualTo(1));
            Assert.That(ledger.ReportsOf(ExecutionReason.RateLimited), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldMarkEveryOpenOrderOfTheSymbol_WhenACancelAllIsSent()
    {
        // Arrange
        var ledger = Trading();
        ledger.OnCommand(New(Id(0, 10)), 0);
        ledger.OnCommand(New(Id(0, 11)), 0);
        ledger.OnCommand(New(Id(0, 12), symbol: Eth), 0);

        // Act
        ledger.OnCommand(OrderCommand.CancelAll(Btc, Id(0, 13, 0), 13, 2_000), 0);

        // Assert
        ledger.TryGetOrder(Id(0, 10), out var a);
        ledger.TryGetOrder(Id(0, 11), out var b);
        ledger.TryGetOrder(Id(0, 12), out var c);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.CancelPending && b.CancelPending, Is.True);
            Assert.That(c.CancelPending, Is.False, "another symbol");
            Assert.That(ledger.CommandsSent(OrderAction.CancelAll), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldCloseAsExpired_WhenAnIocRestExpiresAfterAPartialFill()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(1, 10, 0);
        ledger.OnCommand(New(id, tif: TimeInForce.ImmediateOrCancel), 1);

        // Act: the NEW and the fill come as one report, then the rest expires.
        ledger.OnReport(Report(id, OrderStatus.PartiallyFilled, cumulative: S, lastQuantity: S, lastPrice: 100 * S), 11);
        ledger.OnReport(Report(id, OrderStatus.Expired, cumulative: S, reason: ExecutionReason.UnfilledIocQuantityExpired), 12);

        // Assert
        ledger.TryGetOrder(id, out var order);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.State, Is.EqualTo(LedgerOrderState.Expired));
            Assert.That(order.CumulativeQuantity, Is.EqualTo(S));
            Assert.That(ledger.OpenOrders(1), Is.Zero);
            Assert.That(ledger.PendingNewOrders(1), Is.Zero);
            Assert.That(ledger.ReportsOf(ExecutionReason.UnfilledIocQuantityExpired), Is.EqualTo(1));
            Assert.That(ledger.PositionOf(1, Btc).NetQuantity, Is.EqualTo(S));
        }
    }

    [Test]
    public void ShouldCloseAsRejectedAndCountTheRiskRule_WhenTheGatewayRefusesTheNew()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);
        ledger.OnCommand(New(id), 0);

        // Act
        var report = Report(id, OrderStatus.Rejected, reason: ExecutionReason.RiskRejected, risk: RiskReason.NotionalBelowMin);
        report.Origin = ExecutionReportOrigin.Gateway;
        ledger.OnReport(report, 11);

        // Assert
        ledger.TryGetOrder(id, out var order);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.State, Is.EqualTo(LedgerOrderState.Rejected));
            Assert.That(ledger.OpenOrders(0), Is.Zero);
            Assert.That(ledger.PendingNewOrders(0), Is.Zero);
            Assert.That(ledger.RiskRejects(RiskReason.NotionalBelowMin), Is.EqualTo(1));
            Assert.That(ledger.ReportsOf(ExecutionReason.RiskRejected), Is.EqualTo(1));
            Assert.That(ledger.ReportsOf(ExecutionReportOrigin.Gateway), Is.EqualTo(1));
            Assert.That(ledger.ReportsOf(OrderStatus.Rejected), Is.EqualTo(1));
            Assert.That(ledger.CancelRejects, Is.Zero);
        }
    }

    [Test]
    public void ShouldCountAnUnknownOrderAndStillMoveThePosition_WhenAReportNamesAnIdNeverSent()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(1, 99);

        // Act
        ledger.OnReport(Report(id, OrderStatus.Filled, cumulative: S, lastQuantity: S, lastPrice: 50 * S, side: OrderSide.Sell), 100);
        ledger.OnReport(Report(id + 16, OrderStatus.New), 101);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.UnknownOrder), Is.EqualTo(2));
            Assert.That(ledger.PositionOf(Btc).NetQuantity, Is.EqualTo(-S), "the venue says it filled");
            Assert.That(ledger.PositionOf(1, Btc).SellNotional, Is.EqualTo(50 * S), "attributed by the client order id");
            Assert.That(ledger.TrackedOrders, Is.Zero);
        }
    }

    [Test]
    public void ShouldCountAnOverfillAndApplyIt_WhenTheCumulativeExceedsTheQuantity()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);
        ledger.OnCommand(New(id), 0);

        // Act
        ledger.OnReport(Report(id, OrderStatus.Filled, cumulative: 3 * S, lastQuantity: 3 * S, lastPrice: 100 * S), 11);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.Overfill), Is.EqualTo(1));
            Assert.That(ledger.PositionOf(Btc).NetQuantity, Is.EqualTo(3 * S));
            Assert.That(ledger.OpenOrders(0), Is.Zero);
            Assert.That(ledger.OpenNotional(0), Is.Zero);
        }
    }

    [Test]
    public void ShouldCountTheCumulativeGoingBackwardsAndNotApplyTheFillAgain_WhenAStaleFillArrives()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);
        ledger.OnCommand(New(id), 0);
        ledger.OnReport(Report(id, OrderStatus.PartiallyFilled, cumulative: S, lastQuantity: S, lastPrice: 100 * S), 11);

        // Act: the same fill again, then an older one.
        ledger.OnReport(Report(id, OrderStatus.PartiallyFilled, cumulative: S, lastQuantity: S, lastPrice: 100 * S), 12);
        ledger.OnReport(Report(id, OrderStatus.PartiallyFilled, cumulative: S / 2, lastQuantity: S / 2, lastPrice: 100 * S), 13);

        // Assert
        ledger.TryGetOrder(id, out var order);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.CumulativeBackwards), Is.EqualTo(2));
            Assert.That(order.CumulativeQuantity, Is.EqualTo(S), "never moves backwards");
            Assert.That(ledger.PositionOf(Btc).NetQuantity, Is.EqualTo(S));
            Assert.That(ledger.Fills, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldCountAFillAfterClose_WhenAFillReachesACancelledOrder()
    {
        // Arrange
        var ledger = Trading();
        var id = Id(0, 10);
        ledger.OnCommand(New(id), 0);
        ledger.OnReport(Report(id, OrderStatus.Canceled), 11);

        // Act
        ledger.OnReport(Report(id, OrderStatus.Filled, cumulative: 2 * S, lastQuantity: 2 * S, lastPrice: 100 * S), 12);
        ledger.OnReport(Report(id, OrderStatus.Canceled), 13);

        // Assert
        ledger.TryGetOrder(id, out var order);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.FillAfterClose), Is.EqualTo(1));
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.ReportAfterClose), Is.EqualTo(1));
            Assert.That(order.State, Is.EqualTo(LedgerOrderState.Canceled), "stays closed");
            Assert.That(ledger.PositionOf(Btc).NetQuantity, Is.EqualTo(2 * S), "the fill happened");
            Assert.That(ledger.OpenOrders(0), Is.Zero, "not counted open twice");
        }
    }

    [Test]
    public void ShouldSplitPositionsPerStrategy_WhenTwoStrategiesTradeTheSameSymbol()
    {
        // Arrange
        var ledger = Trading();
        var a = Id(0, 10);
        var b = Id(1, 11, 0);
        ledger.OnCommand(New(a), 0);
        ledger.OnCommand(New(b, side: OrderSide.Sell, quantity: S), 1);

        // Act
        ledger.OnReport(Report(a, OrderStatus.Filled, cumulative: 2 * S, lastQuantity: 2 * S, lastPrice: 100 * S), 12);
        ledger.OnReport(Report(b, OrderStatus.Filled, cumulative: S, lastQuantity: S, lastPrice: 101 * S, side: OrderSide.Sell, quantity: S), 13);

        // Assert
        var total = ledger.PositionOf(Btc);
        var first = ledger.PositionOf(0, Btc);
        var second = ledger.PositionOf(1, Btc);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.NetQuantity, Is.EqualTo(2 * S));
            Assert.That(second.NetQuantity, Is.EqualTo(-S));
            Assert.That(total.NetQuantity, Is.EqualTo(first.NetQuantity + second.NetQuantity));
            Assert.That(total.Cash, Is.EqualTo(first.Cash + second.Cash));
            Assert.That(ledger.FillsOf(0), Is.EqualTo(1));
            Assert.That(ledger.FillsOf(1), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldComputeCashAndMarkToMarket_OnHandComputedNumbers()
    {
        // Arrange: buy 2 @ 100.5 (cost 201, fee 0.1), sell 1 @ 101.25 (proceeds 101.25, fee 0.05); mark 102.
        // Cash = 101.25 − 201 − 0.15 = −99.9; PnL = −99.9 + 1 × 102 = 2.1.
        var ledger = Trading();
        var buy = Id(0, 10);
        var sell = Id(0, 11);
        ledger.OnCommand(New(buy, price: 100_5 * S / 10), 0);
        ledger.OnCommand(New(sell, side: OrderSide.Sell, price: 101_25 * S / 100, quantity: S), 0);

        // Act
        ledger.OnReport(Report(buy, OrderStatus.Filled, cumulative: 2 * S, lastQuantity: 2 * S, lastPrice: 100_5 * S / 10, commission: S / 10), 12);
        ledger.OnReport(Report(sell, OrderStatus.Filled, cumulative: S, lastQuantity: S, lastPrice: 101_25 * S / 100, commission: S / 20, side: OrderSide.Sell, quantity: S), 13);
        var snapshot = ledger.Snapshot(symbol => symbol == Btc ? 102 * S : 0);

        // Assert
        var position = snapshot.SymbolPositions.Single();
        var strategy = snapshot.StrategyPositions.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(position.NetQuantity, Is.EqualTo(S));
            Assert.That(position.Cash, Is.EqualTo(-99_9 * S / 10));
            Assert.That(position.MarkPrice, Is.EqualTo(102 * S));
            Assert.That(position.MarkToMarket, Is.EqualTo(2_1 * S / 10));
            Assert.That(strategy, Is.EqualTo(position with { StrategyId = 0 }));
            Assert.That(snapshot.Fills, Is.EqualTo(2));
            Assert.That(snapshot.ReportsByStatus[OrderStatus.Filled], Is.EqualTo(2));
            Assert.That(snapshot.Strategies[0], Is.EqualTo(new LedgerStrategySummary(0, 2, 0, 0, 0, 2)));
            Assert.That(snapshot.Strategies, Has.Count.EqualTo(2), "one line per evaluator, none for the unattributed bucket (it saw nothing)");
            Assert.That(snapshot.TotalAnomalies, Is.Zero);
        }
    }

    [Test]
    public void ShouldRoundCostsUpAndProceedsDown_WhenANotionalHasAFractionOfAUnit()
    {
        // Arrange: 3·10⁻⁸ × 0.5 = 1.5·10⁻⁸ quote units.
        var ledger = Trading();

        // Act
        ledger.OnReport(Report(Id(0, 1), OrderStatus.Filled, lastQuantity: 3, cumulative: 3, lastPrice: S / 2), 1);
        ledger.OnReport(Report(Id(0, 2), OrderStatus.Filled, lastQuantity: 3, cumulative: 3, lastPrice: S / 2, side: OrderSide.Sell), 2);

        // Assert
        var position = ledger.PositionOf(Btc);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(position.BuyNotional, Is.EqualTo(2));
            Assert.That(position.SellNotional, Is.EqualTo(1));
            Assert.That(position.MarkToMarket, Is.EqualTo(-1), "flat: the cash, and rounding never flatters");
        }
    }

    [Test]
    public void ShouldEvictTheOldestClosedOrder_WhenTheLedgerIsFull()
    {
        // Arrange
        var ledger = Trading(orderCapacity: 2);
        var first = Id(0, 1);
        var second = Id(0, 2);
        var third = Id(0, 3);
        ledger.OnCommand(New(first), 0);
        ledger.OnCommand(New(second), 0);
        ledger.OnReport(Report(first, OrderStatus.Canceled), 4);

        // Act
        ledger.OnCommand(New(third), 0);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.TryGetOrder(first, out _), Is.False, "the closed one made room");
            Assert.That(ledger.TryGetOrder(second, out _), Is.True);
            Assert.That(ledger.TryGetOrder(third, out _), Is.True);
            Assert.That(ledger.TrackedOrders, Is.EqualTo(2));
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.LedgerFull), Is.Zero);
        }
    }

    [Test]
    public void ShouldCountLedgerFullAndNotTrack_WhenEveryTrackedOrderIsOpen()
    {
        // Arrange
        var ledger = Trading(orderCapacity: 2);
        ledger.OnCommand(New(Id(0, 1)), 0);
        ledger.OnCommand(New(Id(0, 2)), 0);

        // Act
        ledger.OnCommand(New(Id(0, 3)), 0);
        ledger.OnReport(Report(Id(0, 3), OrderStatus.New), 4);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.LedgerFull), Is.EqualTo(1));
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.UnknownOrder), Is.EqualTo(1), "its reports are unknown");
            Assert.That(ledger.OpenOrders(0), Is.EqualTo(2));
        }
    }

    [Test]
    public void ShouldFindEveryOrderAfterManyEvictions_WhenTheTableWrapsAround()
    {
        // Arrange: a small table churned through: every eviction shifts entries back; none may be lost.
        var ledger = Trading(orderCapacity: 8);
        var open = new List<long>();

        // Act
        for (var sequence = 1; sequence <= 500; sequence++)
        {
            var id = Id(0, sequence);
            ledger.OnCommand(New(id), 0);
            open.Add(id);
            if (open.Count == 6)
            {
                ledger.OnReport(Report(open[0], OrderStatus.Canceled), sequence);
                open.RemoveAt(0);
            }
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(open.All(id => ledger.TryGetOrder(id, out var o) && o.IsOpen), Is.True);
            Assert.That(ledger.OpenOrders(0), Is.EqualTo(open.Count));
            Assert.That(ledger.TrackedOrders, Is.LessThanOrEqualTo(8));
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.LedgerFull) + ledger.AnomalyCount(LedgerAnomaly.UnknownOrder), Is.Zero);
        }
    }

    [Test]
    public void ShouldOnlyCountCommands_WhenNotTrading()
    {
        // Arrange
        var ledger = new OrderLedger(new OrderLedgerOptions(), 8, 1);

        // Act
        ledger.OnCommand(New(Id(0, 1)), 0);
        ledger.OnCommand(OrderCommand.Cancel(Btc, Id(0, 1), Id(0, 2, 0), 2, 0), 0);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger.Trading, Is.False);
            Assert.That(ledger.CommandsSent(OrderAction.New), Is.EqualTo(1));
            Assert.That(ledger.CommandsSent(OrderAction.Cancel), Is.EqualTo(1));
            Assert.That(ledger.TrackedOrders, Is.Zero);
            Assert.That(ledger.OpenOrders(0), Is.Zero);
            Assert.That(ledger.AnomalyCount(LedgerAnomaly.CancelOfUnknownOrder), Is.Zero, "nothing is tracked, so nothing is unknown");
        }
    }

    [Test]
    public void ShouldCountAnInvalidReport_WhenTheStatusOrSymbolIsOutOfRange()
    {
        // Arrange
        var ledger = Trading();

        // Act
        ledger.OnReport(Report(Id(0, 1), OrderStatus.None), 1);
        ledger.OnReport(Report(Id(0, 1), OrderStatus.New, symbol: 99), 2);

        // Assert
        Assert.That(ledger.AnomalyCount(LedgerAnomaly.InvalidReport), Is.EqualTo(2));
    }

    [Test]
    public void ShouldNotAllocate_WhenApplyingCommandsAndReports()
    {
        // Arrange
        var ledger = Trading(orderCapacity: 16);
        long sequence = 0;
        void Cycle()
        {
            var id = Id(0, ++sequence);
            ledger.OnCommand(New(id), 0);
            ledger.OnReport(Report(id, OrderStatus.New), sequence);
            ledger.OnReport(Report(id, OrderStatus.PartiallyFilled, cumulative: S, lastQuantity: S, lastPrice: 100 * S), sequence);
            ledger.OnCommand(OrderCommand.Cancel(Btc, id, Id(0, ++sequence, 0), sequence, 0), 0);
            ledger.OnReport(Report(id, OrderStatus.Canceled, cumulative: S), sequence);
            ledger.OnReport(Report(Id(1, sequence), OrderStatus.Filled, cumulative: S, lastQuantity: S, lastPrice: 100 * S, side: OrderSide.Sell), sequence);
        }

        // Act + Assert (100 cycles per run: evictions included)
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                Cycle();
            }
        });
    }
}
