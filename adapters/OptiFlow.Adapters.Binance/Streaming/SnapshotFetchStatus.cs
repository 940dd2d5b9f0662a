namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>Outcome of one <see cref="DepthSnapshotClient.FetchAsync"/>.</summary>
public enum SnapshotFetchStatus : byte
{
    /// <summary>HTTP 200: the body is the snapshot.</summary>
    Ok = 0,

    /// <summary>No request was sent: an earlier 429/418 <c>Retry-After</c> has not elapsed yet (binance.md §6.1).</summary>
    BackingOff = 1,

    /// <summary>HTTP 429: back off for <c>Retry-After</c> (binance.md §6.1).</summary>
    TooManyRequests = 2,

    /// <summary>HTTP 418: the IP is banned for <c>Retry-After</c> (binance.md §6.1; bans escalate from 2 minutes to 3 days).</summary>
    Banned = 3,

    /// <summary>Any other failure (HTTP status, timeout, connection refused).</summary>
    Failed = 4,
}
