namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>What a connection tells the control thread to log (queued on the receive thread between connections, cold
/// path; formatted and written on the control thread).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Endpoint">The connection's endpoint without its query.</param>
/// <param name="Failure">The failure, for <see cref="EventKind.AttemptFailed"/>, <see cref="EventKind.GaveUp"/> and <see cref="EventKind.Lost"/>.</param>
/// <param name="RetryIn">The wait before the next attempt.</param>
/// <param name="Count">Frames received on the lost connection, or connects so far for <see cref="EventKind.Connected"/>.</param>
/// <param name="Limit">The attempt limit (<see cref="MarketDataClientOptions.MaxConsecutiveFailedAttempts"/>; 0: none).</param>
internal sealed record ConnectionEvent(ConnectionEvent.EventKind Kind, Uri Endpoint, ConnectionFailure? Failure, TimeSpan RetryIn, long Count, int Limit)
{
    public enum EventKind : byte
    {
        AttemptFailed,
        GaveUp,
        Lost,
        Connected,
        ServerShutdown,
        Renewal,
    }
}
