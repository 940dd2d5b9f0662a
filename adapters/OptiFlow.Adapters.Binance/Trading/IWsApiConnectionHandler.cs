namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>What a <see cref="WsApiConnection"/> calls on its own thread: opened, each complete text frame, closed.</summary>
/// <remarks>Called on the connection's thread only, in order. Implementations must not block for long.</remarks>
internal interface IWsApiConnectionHandler
{
    /// <summary>The socket is open; send the handshake requests (time, logon, subscribe).</summary>
    void OnOpened(WsApiConnection connection);

    /// <summary>One complete text frame, valid only during the call. Returns null to go on, or a cause to drop the
    /// connection (<see cref="WsApiConnection.ServerShutdownCause"/> reconnects at once).</summary>
    string? OnFrame(WsApiConnection connection, ReadOnlySpan<byte> frame);

    /// <summary>The socket is gone (dropped, closed, stalled or stopped); the connection reconnects unless stopping.</summary>
    void OnClosed(WsApiConnection connection, string cause);
}
