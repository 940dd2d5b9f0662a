namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>What <see cref="WsApiConnection.Send"/> did.</summary>
internal enum WsApiSendResult : byte
{
    /// <summary>The whole frame was handed to the socket.</summary>
    Sent = 0,

    /// <summary>No socket was open: nothing was written.</summary>
    NotOpen = 1,

    /// <summary>The write failed part-way: some bytes may have left (the connection is aborted).</summary>
    Failed = 2,
}
