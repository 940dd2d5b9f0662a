using OptiFlow.Engine.Books;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Matching;

/// <content>Order entry: new orders, cancels, fills and reports.</content>
public sealed partial class MatchingEngine
{
    private void Process(in OrderCommand command, long timeMs)
    {
        if (command.Validate() != OrderCommandFault.None)
        {
            Reject(command, ExecutionReason.InvalidCommand, timeMs);
            return;
        }

        if ((uint)command.SymbolId >= (uint)_books.Length)
        {
            Reject(command, ExecutionReason.UnknownSymbol, timeMs);
            return;
        }

        switch (command.Action)
        {
            case OrderAction.New:
                PlaceNew(command, timeMs);
                break;
            case OrderAction.Cancel:
                CancelOne(command, timeMs);
                break;
            default:
                CancelAllOf(command, timeMs);
                break;
        }
    }

    private void PlaceNew(in OrderCommand command, long timeMs)
    {
        if (_openByClientOrderId.ContainsKey(command.ClientOrderId))
        {
            Reject(command, ExecutionReason.DuplicateClientOrderId, timeMs);
            return;
        }

        var book = _books[command.SymbolId];
        var isBuy = command.Side == OrderSide.Buy;
        var opposite = isBuy ? book.Asks : book.Bids;
        var isMarket = command.Type == OrderType.Market;
        var crosses = opposite.Count > 0 && (isMarket || Crosses(isBuy, opposite.PriceAt(0), command.Price));

        if (crosses && command.Type == OrderType.LimitMaker)
        {
            Reject(command, ExecutionReason.WouldMatchImmediately, timeMs);
            return;
        }

        var order = new OwnOrder
        {
            ClientOrderId = command.ClientOrderId,
            CausingSequence = command.CausingSequence,
            Price = command.Price,
            Quantity = command.Quantity,
            SymbolId = command.SymbolId,
            Side = command.Side,
            Type = command.Type,
            TimeInForce = command.TimeInForce,
            Next = NoOrder,
            Previous = NoOrder,
        };

        if (crosses && command.TimeInForce == TimeInForce.GoodTillCrossing)
        {
            Report(order, OrderStatus.Expired, ExecutionReason.PostOnlyWouldTake, command.ClientOrderId, timeMs);
            return;
        }

        var mayRest = !isMarket && command.TimeInForce is not (TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill);
        if (mayRest && _freeCount == 0)
        {
            Reject(command, ExecutionReason.TooManyOpenOrders, timeMs);
            return;
        }

        Report(order, OrderStatus.New, ExecutionReason.None, command.ClientOrderId, timeMs);

        if (command.TimeInForce == TimeInForce.FillOrKill && !CanFill(opposite, isBuy, command.Price, command.Quantity))
        {
            Report(order, OrderStatus.Expired, ExecutionReason.UnfilledFokOrderExpired, command.ClientOrderId, timeMs);
            return;
        }

        if (crosses)
        {
            Walk(ref order, opposite, isBuy, isMarket, timeMs);
        }

        if (order.Remaining == 0)
        {
            return;
        }

        if (isMarket)
        {
            Report(order, OrderStatus.Expired, ExecutionReason.InsufficientLiquidity, command.ClientOrderId, timeMs);
            return;
        }

        if (!mayRest)
        {
            Report(order, OrderStatus.Expired, ExecutionReason.UnfilledIocQuantityExpired, command.ClientOrderId, timeMs);
            return;
        }

        order.QueueAhead = (isBuy ? book.Bids : book.Asks).QuantityOf(order.Price);
        Rest(order);
    }

    private static bool Crosses(bool isBuy, long oppositePrice, long limitPrice) =>
        isBuy ? oppositePrice <= limitPrice : oppositePrice >= limitPrice;

    private static bool CanFill(PriceLevels opposite, bool isBuy, long limitPrice, long quantity)
    {
        long available = 0;
        for (var depth = 0; depth < opposite.Count; depth++)
        {
            if (!Crosses(isBuy, opposite.PriceAt(depth), limitPrice))
            {
                return false;
            }

            available += opposite.QuantityAt(depth);
            if (available >= quantity)
            {
                return true;
            }
        }

        return false;
    }

    private void Walk(ref OwnOrder order, PriceLevels opposite, bool isBuy, bool isMarket, long timeMs)
    {
        while (order.Remaining > 0 && opposite.Count > 0)
        {
            var price = opposite.PriceAt(0);
            if (!isMarket && !Crosses(isBuy, price, order.Price))
            {
                return;
            }

            var available = opposite.QuantityAt(0);
            var quantity = Math.Min(available, order.Remaining);
            opposite.Set(price, available - quantity);
            Fill(ref order, price, quantity, isMaker: false, timeMs);
        }
    }

    private void CancelOne(in OrderCommand command, long timeMs)
    {
        if (!_openByClientOrderId.TryGetValue(command.OriginalClientOrderId, out var slot) || _orders[slot].SymbolId != command.SymbolId)
        {
            Reject(command, ExecutionReason.UnknownOrder, timeMs);
            return;
        }

        Report(_orders[slot], OrderStatus.Canceled, ExecutionReason.None, command.ClientOrderId, timeMs);
        Remove(slot);
    }

    private void CancelAllOf(in OrderCommand command, long timeMs)
    {
        var slot = _restingHead[command.SymbolId];
        if (slot == NoOrder)
        {
            Reject(command, ExecutionReason.UnknownOrder, timeMs);
            return;
        }

        while (slot != NoOrder)
        {
            var next = _orders[slot].Next;
            Report(_orders[slot], OrderStatus.Canceled, ExecutionReason.None, command.ClientOrderId, timeMs);
            Remove(slot);
            slot = next;
        }
    }

    private void Rest(in OwnOrder order)
    {
        var slot = _freeSlots[--_freeCount];
        _orders[slot] = order;
        var symbolId = order.SymbolId;
        var tail = _restingTail[symbolId];
        _orders[slot].Previous = tail;
        _orders[slot].Next = NoOrder;
        if (tail == NoOrder)
        {
            _restingHead[symbolId] = slot;
        }
        else
        {
            _orders[tail].Next = slot;
        }

        _restingTail[symbolId] = slot;
        _openByClientOrderId.Add(order.ClientOrderId, slot);
    }

    private void Remove(int slot)
    {
        ref var order = ref _orders[slot];
        if (order.Previous == NoOrder)
        {
            _restingHead[order.SymbolId] = order.Next;
        }
        else
        {
            _orders[order.Previous].Next = order.Next;
        }

        if (order.Next == NoOrder)
        {
            _restingTail[order.SymbolId] = order.Previous;
        }
        else
        {
            _orders[order.Next].Previous = order.Previous;
        }

        _openByClientOrderId.Remove(order.ClientOrderId);
        order = default;
        _freeSlots[_freeCount++] = slot;
    }

    private void Fill(ref OwnOrder order, long price, long quantity, bool isMaker, long timeMs)
    {
        order.Filled += quantity;
        var commission = MatchingMath.Commission(price, quantity, isMaker ? _makerRate : _takerRate);
        ref var position = ref _positions[order.SymbolId];
        position = order.Side == OrderSide.Buy
            ? position with
            {
                NetQuantity = position.NetQuantity + quantity,
                Cash = position.Cash - MatchingMath.NotionalCeiling(price, quantity) - commission,
                BoughtQuantity = position.BoughtQuantity + quantity,
            }
            : position with
            {
                NetQuantity = position.NetQuantity - quantity,
                Cash = position.Cash + MatchingMath.NotionalFloor(price, quantity) - commission,
                SoldQuantity = position.SoldQuantity + quantity,
            };
        position = position with { Commission = position.Commission + commission, FillCount = position.FillCount + 1 };

        ref var report = ref Prepare(order, order.Filled == order.Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled, ExecutionReason.None, order.ClientOrderId, timeMs);
        report.LastPrice = price;
        report.LastQuantity = quantity;
        report.Commission = commission;
        report.TradeId = _nextTradeId++;
        report.IsMaker = isMaker;
        _sink.OnExecutionReport(report);
    }

    private void Report(in OwnOrder order, OrderStatus status, ExecutionReason reason, long commandClientOrderId, long timeMs)
    {
        ref var report = ref Prepare(order, status, reason, commandClientOrderId, timeMs);
        _sink.OnExecutionReport(report);
    }

    private ref ExecutionReport Prepare(in OwnOrder order, OrderStatus status, ExecutionReason reason, long commandClientOrderId, long timeMs)
    {
        ref var report = ref _report;
        report = new ExecutionReport
        {
            ClientOrderId = order.ClientOrderId,
            CommandClientOrderId = commandClientOrderId,
            CausingSequence = order.CausingSequence,
            Price = order.Price,
            Quantity = order.Quantity,
            CumulativeQuantity = order.Filled,
            RemainingQuantity = order.Remaining,
            TradeId = -1,
            EventTimeMs = timeMs,
            SymbolId = order.SymbolId,
            Side = order.Side,
            Type = order.Type,
            TimeInForce = order.TimeInForce,
            Status = status,
            Reason = reason,
        };
        return ref report;
    }

    private void Reject(in OrderCommand command, ExecutionReason reason, long timeMs)
    {
        var isNew = command.Action == OrderAction.New;
        _report = new ExecutionReport
        {
            ClientOrderId = command.Action == OrderAction.Cancel ? command.OriginalClientOrderId : command.ClientOrderId,
            CommandClientOrderId = command.ClientOrderId,
            CausingSequence = command.CausingSequence,
            Price = command.Price,
            Quantity = command.Quantity,
            RemainingQuantity = isNew ? command.Quantity : 0,
            TradeId = -1,
            EventTimeMs = timeMs,
            SymbolId = command.SymbolId,
            Side = command.Side,
            Type = command.Type,
            TimeInForce = command.TimeInForce,
            Status = OrderStatus.Rejected,
            Reason = reason,
        };
        _sink.OnExecutionReport(_report);
    }
}
