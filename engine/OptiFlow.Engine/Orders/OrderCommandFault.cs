namespace OptiFlow.Engine.Orders;

/// <summary>Why an <see cref="OrderCommand"/> is not well formed (<see cref="OrderCommand.Validate"/>).</summary>
/// <remarks>These are shape checks only; the venue's filters (tick size, step size, min notional) are checked by the gateway.</remarks>
public enum OrderCommandFault : byte
{
    /// <summary>Well formed.</summary>
    None = 0,

    /// <summary><see cref="OrderCommand.Action"/> is not a defined <see cref="OrderAction"/> (or is <see cref="OrderAction.None"/>).</summary>
    UnknownAction = 1,

    /// <summary>The symbol id is negative.</summary>
    InvalidSymbol = 2,

    /// <summary>A new order has no side, or a cancel-all has one.</summary>
    InvalidSide = 3,

    /// <summary>A new order's type is undefined, or a cancel carries one.</summary>
    InvalidType = 4,

    /// <summary>A limit order without a positive time in force, or another command with one.</summary>
    InvalidTimeInForce = 5,

    /// <summary>A limit or limit-maker order without a positive price, or a market order or cancel with a price.</summary>
    InvalidPrice = 6,

    /// <summary>A new order without a positive quantity, or a cancel with one.</summary>
    InvalidQuantity = 7,

    /// <summary>The client order id is not positive (every command carries its own id), or a cancel names no positive original id, or another command names one.</summary>
    InvalidClientOrderId = 8,

    /// <summary><see cref="OrderCommand.Reserved"/> is not zero.</summary>
    ReservedNotZero = 9,
}
