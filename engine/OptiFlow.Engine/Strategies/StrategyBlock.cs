namespace OptiFlow.Engine.Strategies;

/// <summary>Why a strategy did not emit an order it wanted to (counted per reason).</summary>
public enum StrategyBlock
{
    /// <summary>The symbol's cool-down has not passed since its last new order (<see cref="StrategyLimits.CooldownMs"/>).</summary>
    Cooldown = 0,

    /// <summary><see cref="StrategyLimits.MaxOpenOrders"/> orders are open.</summary>
    MaxOpenOrders = 1,

    /// <summary>The order would take the open notional above <see cref="StrategyLimits.MaxNotional"/>.</summary>
    MaxNotional = 2,

    /// <summary>The order's size is below the venue's minimum (the plan's quantity, or notional below min notional).</summary>
    BelowMinimum = 3,
}
