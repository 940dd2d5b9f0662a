namespace OptiFlow.Engine.Orders;

/// <summary>Time in force (Binance <c>timeInForce</c>, "Enum definitions → Time in force"); only <see cref="OrderType.Limit"/> orders carry one.</summary>
public enum TimeInForce : byte
{
    /// <summary>None: market, limit-maker and cancel commands.</summary>
    None = 0,

    /// <summary><c>GTC</c>: good till cancelled.</summary>
    GoodTillCancelled = 1,

    /// <summary><c>IOC</c>: immediate or cancel; the unfilled part expires.</summary>
    ImmediateOrCancel = 2,

    /// <summary><c>FOK</c>: fill or kill; expires unless it fills completely at once.</summary>
    FillOrKill = 3,

    /// <summary><c>GTX</c>: good till crossing, USDⓈ-M/COIN-M post-only: rejected (expired) if it would take liquidity
    /// (binance.md §4.2 "timeInForce", §5.4 USDⓈ-M <c>order.place</c>). Spot's post-only is <see cref="OrderType.LimitMaker"/>.</summary>
    GoodTillCrossing = 4,
}
