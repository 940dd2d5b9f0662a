namespace OptiFlow.Engine.Risk;

/// <summary>
/// The engine's own pre-trade limits, on top of the venue's filters (<see cref="InstrumentRules"/>). Quantities are 10⁻⁸ base
/// units, notionals 10⁻⁸ quote units; 0 disables a limit.
/// </summary>
/// <remarks>Immutable; thread-safe to share. Total notional sums every symbol's, so it assumes one quote asset.</remarks>
public sealed record RiskLimits
{
    /// <summary>Largest |position| per symbol, counting open orders on the side that grows it, 10⁻⁸ base units; 0: none.</summary>
    public long MaxPositionPerSymbol { get; init; }

    /// <summary>Largest |position| × price per symbol (the same worst case as <see cref="MaxPositionPerSymbol"/>), 10⁻⁸ quote units; 0: none.</summary>
    public long MaxNotionalPerSymbol { get; init; }

    /// <summary>Largest sum over symbols of the per-symbol notional, 10⁻⁸ quote units; 0: none.</summary>
    public long MaxTotalNotional { get; init; }

    /// <summary>Largest number of open orders, all symbols together; 0: none.</summary>
    public int MaxOpenOrders { get; init; }

    /// <summary>Request weight of a new order (0: spot <c>order.place</c> succeeds at 0 weight since 2026-04-02, futures costs 0 IP; binance.md §6.1, §6.2).</summary>
    public int NewOrderWeight { get; init; }

    /// <summary>Request weight of a cancel or cancel-all (futures <c>order.cancel</c>: 1, binance.md §6.2).</summary>
    public int CancelWeight { get; init; } = 1;
}
