namespace OptiFlow.Engine.Orders;

/// <summary>What an <see cref="OrderCommand"/> asks the gateway to do.</summary>
public enum OrderAction : byte
{
    /// <summary>Not a command; a zero action in a journaled command is corruption.</summary>
    None = 0,

    /// <summary>Place a new order (Binance spot <c>POST /api/v3/order</c>, WebSocket API <c>order.place</c>).</summary>
    New = 1,

    /// <summary>Cancel one order by its client order id (Binance <c>DELETE /api/v3/order</c> with <c>origClientOrderId</c>, WebSocket API <c>order.cancel</c>).</summary>
    Cancel = 2,

    /// <summary>Cancel every open order of the symbol (Binance <c>DELETE /api/v3/openOrders</c>, WebSocket API <c>openOrders.cancelAll</c>).</summary>
    CancelAll = 3,
}
