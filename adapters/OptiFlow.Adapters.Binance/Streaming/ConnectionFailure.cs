namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>One failed connection attempt, or the end of a connection, of a <see cref="MarketDataClient"/>.</summary>
/// <param name="Endpoint">The stream endpoint without its query (<c>ws://127.0.0.1:9000/stream</c>): the subscription
/// list is left out so the line stays readable.</param>
/// <param name="Attempt">How many attempts in a row have failed on this connection, this one included (1 for the first);
/// 0 for a connection that delivered data before it ended (the count starts again).</param>
/// <param name="Kind">The class of failure.</param>
/// <param name="Cause">The OS or protocol error as text, e.g. <c>Connection refused [ConnectionRefused]</c> or <c>the server
/// answered the upgrade with 'HTTP/1.1 200 OK', not 101</c>.</param>
/// <param name="AtUtc">When it happened (wall clock).</param>
/// <remarks>Immutable: thread-safe. Created on the connection's thread when it fails (cold path: allocates).</remarks>
public sealed record ConnectionFailure(Uri Endpoint, int Attempt, ConnectionFailureKind Kind, string Cause, DateTimeOffset AtUtc)
{
    /// <summary>The endpoint and the cause on one line: <c>ws://127.0.0.1:1/stream: Connection refused [ConnectionRefused]</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Endpoint}: {Cause}";
}
