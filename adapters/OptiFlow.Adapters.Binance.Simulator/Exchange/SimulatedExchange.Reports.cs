using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <content>The engine's execution reports: order state and user data events.</content>
internal sealed partial class SimulatedExchange
{
    /// <inheritdoc />
    /// <remarks>Runs under <see cref="Sync"/> (the engine is only driven under it).</remarks>
    public void OnExecutionReport(in ExecutionReport report)
    {
        if (report.Status == OrderStatus.Rejected)
        {
            _lastReject = report.Reason;
            if (_byOrderId.TryGetValue(report.ClientOrderId, out var rejected) && rejected.Status == OrderStatus.None)
            {
                rejected.Status = OrderStatus.Rejected;
                rejected.Reason = report.Reason;
            }

            return;
        }

        if (!_byOrderId.TryGetValue(report.ClientOrderId, out var order))
        {
            return;
        }

        var now = NowMs();
        order.UpdateMs = now;
        var quote = SymbolAssets.QuoteOf(order.Symbol);
        var isCancel = report.Status == OrderStatus.Canceled;
        var fill = default(OrderFill);
        string executionType;
        switch (report.Status)
        {
            case OrderStatus.New:
                order.Status = OrderStatus.New;
                if (order.TypeText != "MARKET" && order.TimeInForceText is not ("IOC" or "FOK"))
                {
                    order.WorkingMs = now;
                }

                executionType = "NEW";
                break;
            case OrderStatus.PartiallyFilled or OrderStatus.Filled:
                fill = new OrderFill(report.LastPrice, report.LastQuantity, report.Commission, report.TradeId, report.IsMaker);
                order.Fills.Add(fill);
                order.Executed = report.CumulativeQuantity;
                order.CumulativeQuote += MatchingMath.NotionalFloor(report.LastPrice, report.LastQuantity);
                order.Status = report.Status;
                Interlocked.Increment(ref _statistics.FillCount);
                executionType = "TRADE";
                break;
            case OrderStatus.Expired when report.Reason == ExecutionReason.PostOnlyWouldTake:
                // Binance accepts a GTX order, then expires it (-5022 semantics): NEW, then EXPIRED.
                order.Status = OrderStatus.New;
                Emit(order, "NEW", fill, isFill: false, now, quote, isCancel: false);
                order.Status = OrderStatus.Expired;
                order.Reason = report.Reason;
                executionType = "EXPIRED";
                break;
            case OrderStatus.Expired:
                order.Status = OrderStatus.Expired;
                order.Reason = report.Reason;
                executionType = "EXPIRED";
                break;
            default:
                order.Status = OrderStatus.Canceled;
                Interlocked.Increment(ref _statistics.CancelCount);
                executionType = "CANCELED";
                break;
        }

        if (!order.IsOpen)
        {
            if (_openByClientOrderId.TryGetValue(order.ClientOrderId, out var open) && ReferenceEquals(open, order))
            {
                _openByClientOrderId.Remove(order.ClientOrderId);
            }
        }

        Emit(order, executionType, fill, executionType == "TRADE", now, quote, isCancel);
        if (executionType == "TRADE" && _market != Market.Spot)
        {
            Deliver(ExchangeJson.FuturesAccountUpdate(order.Symbol, _engine.GetPosition(order.SymbolId), _walletBalance, fill.Commission, now, quote));
        }
    }

    private void Emit(ExchangeOrder order, string executionType, in OrderFill fill, bool isFill, long now, string quote, bool isCancel)
    {
        if (_subscribers.Count == 0)
        {
            _executionId++;
            return;
        }

        var json = _market == Market.Spot
            ? ExchangeJson.SpotExecutionReport(
                order,
                executionType,
                isCancel ? _cancelClientOrderId ?? order.ClientOrderId : order.ClientOrderId,
                isCancel ? order.ClientOrderId : "",
                fill,
                isFill,
                _executionId++,
                now,
                quote)
            : ExchangeJson.FuturesOrderTradeUpdate(order, executionType, fill, isFill, now, quote);
        Deliver(json);
    }
}
