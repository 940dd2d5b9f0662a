using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Orders;

/// <summary>The read-only snapshot for the run report.</summary>
public sealed partial class OrderLedger
{
    /// <summary>Copies the ledger for the run report (cold path: allocates). Call after the core stopped.</summary>
    /// <param name="markPrice">The mark of a symbol, 10⁻⁸ units (0 or less: none), e.g. its last mid; null for no marks.</param>
    /// <returns>The snapshot.</returns>
    public OrderLedgerSnapshot Snapshot(Func<int, long>? markPrice = null)
    {
        long Mark(int symbolId) => markPrice is null ? 0 : Math.Max(0, markPrice(symbolId));

        var open = new List<LedgerOrder>();
        foreach (var entry in _orders)
        {
            if (entry.ClientOrderId != 0 && entry.IsOpen)
            {
                open.Add(entry.ToLedgerOrder() with { StrategyId = StrategyIdOf(entry.Bucket) });
            }
        }

        open.Sort((a, b) => a.ClientOrderId.CompareTo(b.ClientOrderId));

        var strategies = new List<LedgerStrategySummary>();
        for (var bucket = 0; bucket <= _strategyCount; bucket++)
        {
            if (bucket == _strategyCount && _newsByStrategy[bucket] == 0 && _fillsByStrategy[bucket] == 0 && _openOrders[bucket] == 0)
            {
                continue;
            }

            strategies.Add(new LedgerStrategySummary(StrategyIdOf(bucket), _newsByStrategy[bucket], _openOrders[bucket], _pendingNew[bucket], _openNotional[bucket], _fillsByStrategy[bucket]));
        }

        var symbols = new List<LedgerPosition>();
        for (var id = 0; id < _symbolCapacity; id++)
        {
            if (_symbolPositions[id].Fills > 0)
            {
                symbols.Add(_symbolPositions[id].ToPosition(id, LedgerPosition.AllStrategies, Mark(id)));
            }
        }

        var pairs = new List<LedgerPosition>();
        foreach (var entry in _strategyPositions)
        {
            if (entry.Key != 0)
            {
                var symbolId = (int)(uint)entry.Key;
                var bucket = (int)(entry.Key >> 32) - 1;
                pairs.Add(entry.Position.ToPosition(symbolId, StrategyIdOf(bucket), Mark(symbolId)));
            }
        }

        pairs.Sort((a, b) => a.StrategyId != b.StrategyId ? Order(a.StrategyId).CompareTo(Order(b.StrategyId)) : a.SymbolId.CompareTo(b.SymbolId));

        return new OrderLedgerSnapshot
        {
            Trading = Trading,
            CommandsSent = Counts<OrderAction>(_commandsByAction),
            Reports = _reports,
            Fills = _fills,
            CancelRejects = _cancelRejects,
            ReportsByStatus = Counts<OrderStatus>(_reportsByStatus),
            ReportsByReason = Counts<ExecutionReason>(_reportsByReason, skipZeroValue: true),
            RiskRejects = Counts<RiskReason>(_riskRejects),
            ReportsByOrigin = Counts<ExecutionReportOrigin>(_reportsByOrigin),
            Anomalies = Counts<LedgerAnomaly>(_anomalies),
            OpenOrders = open,
            Strategies = strategies,
            SymbolPositions = symbols,
            StrategyPositions = pairs,
        };
    }

    /// <summary>Sort key putting the unattributed bucket after every evaluator.</summary>
    private static long Order(int strategyId) => strategyId < 0 ? long.MaxValue : strategyId;

    private static Dictionary<TEnum, long> Counts<TEnum>(long[] counters, bool skipZeroValue = false)
        where TEnum : struct, Enum
    {
        var counts = new Dictionary<TEnum, long>();
        for (var i = skipZeroValue ? 1 : 0; i < counters.Length; i++)
        {
            if (counters[i] != 0)
            {
                counts[(TEnum)Enum.ToObject(typeof(TEnum), (byte)i)] = counters[i];
            }
        }

        return counts;
    }
}
