using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>A command whose outcome is unknown (or an open order after a reconnect), waiting for its <c>order.status</c>
/// query (binance.md §8.2); gateway thread only.</summary>
internal struct ReconcileItem
{
    /// <summary>The command (a Cancel is reconciled by the order it names).</summary>
    public OrderCommand Command;

    /// <summary>Not queried before this monotonic ns (a retry after an unanswered or failed query waits).</summary>
    public long NotBeforeNs;
}
