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

/// <summary>Kinds of <see cref="VenueNotice"/>.</summary>
internal enum VenueNoticeKind : byte
{
    /// <summary><c>rateLimits</c> entry: <see cref="VenueNotice.IsOrders"/>, <see cref="VenueNotice.IntervalMs"/>, count in <see cref="VenueNotice.Value"/>.</summary>
    RateLimitUsage = 0,

    /// <summary>429: back off until <see cref="VenueNotice.Value"/> (local ms since the Unix epoch).</summary>
    TooManyRequests = 1,

    /// <summary>418: banned until <see cref="VenueNotice.Value"/> (local ms since the Unix epoch).</summary>
    Banned = 2,

    /// <summary>The outcome of <see cref="VenueNotice.Command"/> is unknown: reconcile it.</summary>
    Reconcile = 3,

    /// <summary>The API connection of generation <see cref="VenueNotice.Value"/> was lost.</summary>
    ConnectionLost = 4,
}
