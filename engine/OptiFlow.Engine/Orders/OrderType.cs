namespace OptiFlow.Engine.Orders;

/// <summary>
/// Order type (Binance spot <c>type</c>, "Enum definitions → Order types"). Only the types a market-data-driven
/// strategy places are modelled; stop and take-profit types are not.
/// </summary>
public enum OrderType : byte
{
    /// <summary>No type: cancel and cancel-all commands.</summary>
    None = 0,

    /// <summary><c>LIMIT</c>: needs a price, a quantity and a time in force.</summary>
    Limit = 1,

    /// <summary><c>MARKET</c>: needs a quantity; no price, no time in force.</summary>
    Market = 2,

    /// <summary><c>LIMIT_MAKER</c>: a post-only limit order, rejected by the venue if it would take; needs a price and a quantity, no time in force.</summary>
    LimitMaker = 3,
}
