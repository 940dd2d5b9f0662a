namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>Why one connection attempt of a <see cref="MarketDataClient"/> failed, or why an established connection ended
/// (<see cref="ConnectionFailure.Kind"/>).</summary>
/// <remarks>Stable names: they appear in logs and reports.</remarks>
public enum ConnectionFailureKind : byte
{
    /// <summary>The TCP connection was refused (nothing listens on the port: <c>ECONNREFUSED</c>).</summary>
    Refused = 0,

    /// <summary>The host name did not resolve (DNS).</summary>
    NameResolution = 1,

    /// <summary>TCP connect, TLS or the upgrade did not finish within <see cref="MarketDataClientOptions.ConnectTimeout"/>.</summary>
    Timeout = 2,

    /// <summary>Another network error (unreachable, reset during connect, …); the cause names the OS error.</summary>
    Network = 3,

    /// <summary>The TLS handshake failed (certificate not trusted, protocol mismatch).</summary>
    Tls = 4,

    /// <summary>The server did not complete the WebSocket upgrade (RFC 6455 §4.1): it answered another HTTP status (an
    /// <c>http://</c> server), spoke something that is not HTTP, closed, or sent a wrong <c>Sec-WebSocket-Accept</c>.</summary>
    Handshake = 5,

    /// <summary>A WebSocket protocol error after the upgrade (a malformed frame; the runtime closes with 1002).</summary>
    Protocol = 6,

    /// <summary>A message longer than <see cref="MarketDataClientOptions.MaxMessageSize"/>: closed with 1009.</summary>
    MessageTooBig = 7,

    /// <summary>The server closed the connection with a close frame.</summary>
    Closed = 8,

    /// <summary>The connection was lost without a close frame (reset, end of stream).</summary>
    Dropped = 9,

    /// <summary>Nothing arrived for <see cref="MarketDataClientOptions.ReceiveTimeout"/>: the connection was replaced.</summary>
    Stalled = 10,
}
