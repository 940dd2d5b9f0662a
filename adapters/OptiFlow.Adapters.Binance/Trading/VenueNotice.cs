using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>Something a receive thread hands to the gateway thread, applied in <see cref="BinanceOrderVenue.Poll"/>:
/// rate-limit usage and 429/418 for the budget, a command whose outcome is unknown, a lost connection.</summary>
/// <remarks>A plain struct copied under a short lock; allocation-free.</remarks>
internal struct VenueNotice
{
    public VenueNoticeKind Kind;
    public bool IsOrders;
    public long IntervalMs;
    public long Value;
    public OrderCommand Command;
}
