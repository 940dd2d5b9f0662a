using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Strategies;

namespace OptiFlow.Engine.Orders;

/// <summary>Applying execution reports.</summary>
public sealed partial class OrderLedger
{
    /// <summary>Applies one execution report (called by the core for every <see cref="Model.MarketEventKind.ExecutionReport"/> slot).</summary>
    /// <param name="report">The report.</param>
    /// <param name="sequence">Its inbound ring sequence.</param>
    /// <remarks>
    /// <para>In order: the report is counted (status, reason, risk reason, origin); a status outside New…Rejected or a symbol
    /// outside the table is <see cref="LedgerAnomaly.InvalidReport"/> and goes no further. A rejected Cancel / CancelAll
    /// (REJECTED with a command id other than the order's own) only clears the order's
    /// <see cref="LedgerOrder.CancelPending"/> (<see cref="CancelRejects"/>). Otherwise the tracked order is looked up:</para>
    /// <list type="bullet">
    /// <item>not tracked: <see cref="LedgerAnomaly.UnknownOrder"/>; a fill moves the positions (attributed by the client order id);</item>
    /// <item>closed: a fill is <see cref="LedgerAnomaly.FillAfterClose"/> and moves the positions, anything else is
    /// <see cref="LedgerAnomaly.ReportAfterClose"/>;</item>
    /// <item>open: a cumulative quantity below the order's, or a fill that does not raise it, is
    /// <see cref="LedgerAnomaly.CumulativeBackwards"/> (the fill is not applied again; the state still follows the report's
    /// status); above the order quantity, <see cref="LedgerAnomaly.Overfill"/> (applied). Then the state follows the status:
    /// NEW acknowledges a pending order, PARTIALLY_FILLED, and the closing FILLED, CANCELED, EXPIRED, REJECTED.</item>
    /// </list>
    /// <para>A fill applies <see cref="ExecutionReport.LastQuantity"/> at <see cref="ExecutionReport.LastPrice"/> and
    /// <see cref="ExecutionReport.Commission"/> to the symbol's position and to the (strategy, symbol) position.
    /// Allocation-free; never throws.</para>
    /// </remarks>
    public void OnReport(in ExecutionReport report, long sequence)
    {
        _reports++;
        _reportsByStatus[(byte)report.Status]++;
        _reportsByReason[(byte)report.Reason]++;
        _reportsByOrigin[(byte)report.Origin]++;
        if (report.Reason == ExecutionReason.RiskRejected)
        {
            _riskRejects[(byte)report.RiskReason]++;
        }

        if (report.Status is < OrderStatus.New or > OrderStatus.Rejected || (uint)report.SymbolId >= (uint)_symbolCapacity
            || (report.IsFill && report.Side is not (OrderSide.Buy or OrderSide.Sell)))
        {
            _anomalies[(byte)LedgerAnomaly.InvalidReport]++;
            return;
        }

        var isCancelReject = report.Status == OrderStatus.Rejected && report.CommandClientOrderId != 0 && report.CommandClientOrderId != report.ClientOrderId;
        var index = Find(report.ClientOrderId);
        if (isCancelReject)
        {
            _cancelRejects++;
            if (index >= 0)
            {
                _orders[index].CancelPending = false;
                _orders[index].LastReportSequence = sequence;
            }

            return;
        }

        if (index < 0)
        {
            _anomalies[(byte)LedgerAnomaly.UnknownOrder]++;
            if (report.IsFill)
            {
                ApplyFill(in report, Bucket(ClientOrderIds.Parse(report.ClientOrderId).EvaluatorId));
            }

            return;
        }

        ref var entry = ref _orders[index];
        entry.LastReportSequence = sequence;
        if (!entry.IsOpen)
        {
            if (report.IsFill)
            {
                _anomalies[(byte)LedgerAnomaly.FillAfterClose]++;
                ApplyFill(in report, entry.Bucket);
            }
            else
            {
                _anomalies[(byte)LedgerAnomaly.ReportAfterClose]++;
            }

            return;
        }

        var cumulative = report.CumulativeQuantity;
        if (cumulative < entry.CumulativeQuantity || (report.IsFill && cumulative == entry.CumulativeQuantity))
        {
            _anomalies[(byte)LedgerAnomaly.CumulativeBackwards]++;
        }
        else
        {
            if (cumulative > entry.Quantity)
            {
                _anomalies[(byte)LedgerAnomaly.Overfill]++;
            }

            if (report.IsFill)
            {
                ApplyFill(in report, entry.Bucket);
            }

            if (cumulative != entry.CumulativeQuantity)
            {
                entry.CumulativeQuantity = cumulative;
                var notional = NotionalCeiling(entry.Price, entry.Quantity - cumulative);
                _openNotional[entry.Bucket] += notional - entry.OpenNotional;
                entry.OpenNotional = notional;
            }
        }

        switch (report.Status)
        {
            case OrderStatus.New:
            case OrderStatus.PartiallyFilled:
                if (entry.State == LedgerOrderState.PendingNew)
                {
                    _pendingNew[entry.Bucket]--;
                }

                entry.State = entry.CumulativeQuantity > 0 ? LedgerOrderState.PartiallyFilled : LedgerOrderState.New;
                break;
            case OrderStatus.Filled:
                Close(ref entry, LedgerOrderState.Filled);
                break;
            case OrderStatus.Canceled:
                Close(ref entry, LedgerOrderState.Canceled);
                break;
            case OrderStatus.Expired:
                Close(ref entry, LedgerOrderState.Expired);
                break;
            default:
                Close(ref entry, LedgerOrderState.Rejected);
                break;
        }
    }

    private void ApplyFill(in ExecutionReport report, int bucket)
    {
        _fills++;
        _fillsByStrategy[bucket]++;
        _symbolPositions[report.SymbolId].Apply(report.Side, report.LastPrice, report.LastQuantity, report.Commission);
        var slot = FindOrAddPosition(PositionKey(bucket, report.SymbolId));
        if (slot < 0)
        {
            _anomalies[(byte)LedgerAnomaly.PositionTableFull]++;
            return;
        }

        _strategyPositions[slot].Position.Apply(report.Side, report.LastPrice, report.LastQuantity, report.Commission);
    }
}
