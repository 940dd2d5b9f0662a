using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Orders;

/// <summary>
/// A read-only copy of an <see cref="OrderLedger"/> for the run report: counters, open orders, and positions per symbol
/// and per (strategy, symbol) with their mark-to-market. Taken with <see cref="Core.MarketCore.OrdersSnapshot"/> after the
/// core stopped.
/// </summary>
/// <remarks>Immutable: thread-safe. Dictionaries hold only non-zero counts. Built by <see cref="OrderLedger.Snapshot"/> (allocates).</remarks>
public sealed record OrderLedgerSnapshot
{
    /// <summary>Whether the session traded (<see cref="OrderLedgerOptions.Trading"/>).</summary>
    public required bool Trading { get; init; }

    /// <summary>Commands emitted, by action (New, Cancel, CancelAll).</summary>
    public required IReadOnlyDictionary<OrderAction, long> CommandsSent { get; init; }

    /// <summary>Execution reports received.</summary>
    public required long Reports { get; init; }

    /// <summary>Fills applied to the positions.</summary>
    public required long Fills { get; init; }

    /// <summary>Rejected Cancel / CancelAll commands.</summary>
    public required long CancelRejects { get; init; }

    /// <summary>Reports by status (Binance <c>X</c>).</summary>
    public required IReadOnlyDictionary<OrderStatus, long> ReportsByStatus { get; init; }

    /// <summary>Reports by reject / expiry reason (<see cref="ExecutionReason.None"/> left out).</summary>
    public required IReadOnlyDictionary<ExecutionReason, long> ReportsByReason { get; init; }

    /// <summary>Risk rejections by rule.</summary>
    public required IReadOnlyDictionary<RiskReason, long> RiskRejects { get; init; }

    /// <summary>Reports by origin.</summary>
    public required IReadOnlyDictionary<ExecutionReportOrigin, long> ReportsByOrigin { get; init; }

    /// <summary>Anomalies by kind.</summary>
    public required IReadOnlyDictionary<LedgerAnomaly, long> Anomalies { get; init; }

    /// <summary>Orders open when the snapshot was taken, by client order id.</summary>
    public required IReadOnlyList<LedgerOrder> OpenOrders { get; init; }

    /// <summary>Per strategy (evaluator id order, then the unattributed bucket if it saw anything).</summary>
    public required IReadOnlyList<LedgerStrategySummary> Strategies { get; init; }

    /// <summary>Per symbol, over all strategies (symbols with a fill, by id).</summary>
    public required IReadOnlyList<LedgerPosition> SymbolPositions { get; init; }

    /// <summary>Per (strategy, symbol) with a fill, by strategy then symbol.</summary>
    public required IReadOnlyList<LedgerPosition> StrategyPositions { get; init; }

    /// <summary>Σ anomalies of every kind.</summary>
    public long TotalAnomalies => Anomalies.Values.Sum();
}
