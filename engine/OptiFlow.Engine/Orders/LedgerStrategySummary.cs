namespace OptiFlow.Engine.Orders;

/// <summary>One strategy's line in an <see cref="OrderLedgerSnapshot"/>.</summary>
/// <remarks>Immutable value; allocation-free.</remarks>
/// <param name="StrategyId">Evaluator id, or <see cref="LedgerPosition.Unattributed"/>.</param>
/// <param name="NewOrdersSent">New commands it emitted.</param>
/// <param name="OpenOrders">Its open orders when the snapshot was taken (0 when not trading).</param>
/// <param name="PendingNewOrders">Of those, sent and not yet acknowledged.</param>
/// <param name="OpenNotional">Σ price × remaining quantity of its open orders, 10⁻⁸ quote units.</param>
/// <param name="Fills">Fills applied of its orders.</param>
public readonly record struct LedgerStrategySummary(int StrategyId, long NewOrdersSent, int OpenOrders, int PendingNewOrders, long OpenNotional, long Fills);
