namespace OptiFlow.Engine.Orders;

/// <summary>Side of an order (Binance <c>side</c>: <c>BUY</c> / <c>SELL</c>).</summary>
public enum OrderSide : byte
{
    /// <summary>No side: cancel-all commands.</summary>
    None = 0,

    /// <summary><c>BUY</c>.</summary>
    Buy = 1,

    /// <summary><c>SELL</c>.</summary>
    Sell = 2,
}
