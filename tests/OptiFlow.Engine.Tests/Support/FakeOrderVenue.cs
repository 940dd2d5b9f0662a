using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>
/// A venue that answers the core's order commands at once, deterministically, allocation-free: every New gets a NEW; every
/// <see cref="FillEvery"/>-th New is then filled at its price in two halves (PARTIALLY_FILLED, FILLED); a Cancel of an order
/// still open gets CANCELED, of any other a REJECTED cancel (<see cref="ExecutionReason.UnknownOrder"/>).
/// </summary>
/// <param name="capacity">Open orders it can hold, and reports it can queue.</param>
internal sealed class FakeOrderVenue(int capacity = 256)
{
    private readonly OrderCommand[] _open = new OrderCommand[capacity];
    private readonly ExecutionReport[] _queue = new ExecutionReport[capacity];
    private int _openCount;
    private int _queueHead;
    private int _queueCount;
    private int _consumedCommands;
    private long _tradeId;

    /// <summary>Every how many News one is filled (0: never).</summary>
    public int FillEvery { get; init; } = 3;

    /// <summary>News answered.</summary>
    public long News { get; private set; }

    /// <summary>Orders filled completely.</summary>
    public long FilledOrders { get; private set; }

    /// <summary>Orders cancelled.</summary>
    public long Cancelled { get; private set; }

    /// <summary>Cancels refused (the order was not open).</summary>
    public long CancelRejects { get; private set; }

    /// <summary>Σ signed filled quantity per symbol id (buys +, sells −), 10⁻⁸ units.</summary>
    public long[] NetFilled { get; } = new long[16];

    /// <summary>Orders open at the venue now.</summary>
    public int OpenCount => _openCount;

    /// <summary>The next report to publish, answering the commands in <paramref name="commands"/> not yet answered.</summary>
    /// <param name="commands">Every command the core emitted, in order (a recording sink's list).</param>
    /// <param name="report">The report.</param>
    /// <returns>False when every command is answered.</returns>
    public bool TryNext(List<OrderCommand> commands, out ExecutionReport report)
    {
        while (_queueCount == 0 && _consumedCommands < commands.Count)
        {
            Answer(commands[_consumedCommands++]);
        }

        if (_queueCount == 0)
        {
            report = default;
            return false;
        }

        report = _queue[_queueHead];
        _queueHead = (_queueHead + 1) % _queue.Length;
        _queueCount--;
        return true;
    }

    private void Answer(OrderCommand command)
    {
        switch (command.Action)
        {
            case OrderAction.New:
                News++;
                Enqueue(Report(in command, OrderStatus.New, 0, 0));
                if (FillEvery > 0 && News % FillEvery == 0)
                {
                    var half = command.Quantity / 2;
                    Enqueue(Report(in command, OrderStatus.PartiallyFilled, half, half));
                    Enqueue(Report(in command, OrderStatus.Filled, command.Quantity, command.Quantity - half));
                    NetFilled[command.SymbolId] += command.Side == OrderSide.Buy ? command.Quantity : -command.Quantity;
                    FilledOrders++;
                }
                else
                {
                    _open[_openCount++] = command;
                }

                break;
            case OrderAction.Cancel:
                var index = IndexOfOpen(command.OriginalClientOrderId);
                if (index < 0)
                {
                    CancelRejects++;
                    Enqueue(new ExecutionReport
                    {
                        ClientOrderId = command.OriginalClientOrderId,
                        CommandClientOrderId = command.ClientOrderId,
                        CausingSequence = command.CausingSequence,
                        SymbolId = command.SymbolId,
                        TradeId = -1,
                        EventTimeMs = command.EventTimeMs,
                        Status = OrderStatus.Rejected,
                        Reason = ExecutionReason.UnknownOrder,
                        VenueErrorCode = -2011,
                        Origin = ExecutionReportOrigin.Venue,
                    });
                    break;
                }

                var order = _open[index];
                _open[index] = _open[--_openCount];
                Cancelled++;
                var cancelled = Report(in order, OrderStatus.Canceled, 0, 0);
                cancelled.CommandClientOrderId = command.ClientOrderId;
                Enqueue(cancelled);
                break;
            default:
                break;
        }
    }

    private ExecutionReport Report(in OrderCommand order, OrderStatus status, long cumulative, long last) => new()
    {
        ClientOrderId = order.ClientOrderId,
        CommandClientOrderId = order.ClientOrderId,
        CausingSequence = order.CausingSequence,
        Price = order.Price,
        Quantity = order.Quantity,
        LastPrice = last > 0 ? order.Price : 0,
        LastQuantity = last,
        CumulativeQuantity = cumulative,
        RemainingQuantity = order.Quantity - cumulative,
        Commission = last > 0 ? 1 : 0,
        TradeId = last > 0 ? ++_tradeId : -1,
        EventTimeMs = order.EventTimeMs,
        TransactionTimeMs = order.EventTimeMs,
        SymbolId = order.SymbolId,
        Side = order.Side,
        Type = order.Type,
        TimeInForce = order.TimeInForce,
        Status = status,
        Origin = ExecutionReportOrigin.Venue,
        IsMaker = last > 0,
    };

    private int IndexOfOpen(long clientOrderId)
    {
        for (var i = 0; i < _openCount; i++)
        {
            if (_open[i].ClientOrderId == clientOrderId)
            {
                return i;
            }
        }

        return -1;
    }

    private void Enqueue(ExecutionReport report)
    {
        _queue[(_queueHead + _queueCount) % _queue.Length] = report;
        _queueCount++;
    }
}
