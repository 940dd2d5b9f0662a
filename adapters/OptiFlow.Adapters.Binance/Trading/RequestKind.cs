namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>What a <see cref="PendingRequest"/> asked for.</summary>
internal enum RequestKind : byte
{
    /// <summary><c>order.place</c>, <c>order.cancel</c> or <c>openOrders.cancelAll</c> for an engine command.</summary>
    Order = 0,

    /// <summary><c>order.status</c> reconciling the command in the slot (binance.md §8.2).</summary>
    Status = 1,

    /// <summary><c>time</c>, for the server-time offset (binance.md §5.7).</summary>
    Time = 2,

    /// <summary>USDⓈ-M <c>userDataStream.ping</c> (binance.md §7.2).</summary>
    ListenKeyPing = 3,
}
