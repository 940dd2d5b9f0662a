namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>Kinds of <see cref="VenueNotice"/>.</summary>
internal enum VenueNoticeKind : byte
{
    /// <summary><c>rateLimits</c> entry: <see cref="VenueNotice.IsOrders"/>, <see cref="VenueNotice.IntervalMs"/>, count in <see cref="VenueNotice.Value"/>.</summary>
    RateLimitUsage = 0,

    /// <summary>429: back off until <see cref="VenueNotice.Value"/> (local ms since the Unix epoch).</summary>
    TooManyRequests = 1,

    /// <summary>418: banned until <see cref="VenueNotice.Value"/> (local ms since the Unix epoch).</summary>
    Banned = 2,

    /// <summary>The outcome of <see cref="VenueNotice.Command"/> is unknown: reconcile it (<see cref="VenueNotice.Value"/> 1: a retry of a failed query).</summary>
    Reconcile = 3,

    /// <summary>The API connection of generation <see cref="VenueNotice.Value"/> was lost.</summary>
    ConnectionLost = 4,
}
