namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>
/// A venue-neutral description of one spot instrument as the triangle evaluator needs it: its name, its two assets and
/// the trading rules an order on it must satisfy. Prices, quantities and notionals are fixed point, 10⁻⁸ units
/// (<see cref="Model.FixedPoint"/>); a rule field of 0 disables that rule (binance.md §4.3: "a field equal to 0 disables
/// its rule").
/// </summary>
/// <remarks>
/// Built by an adapter from the venue's own description (for Binance: <c>SymbolInfo.ToInstrumentSpec</c> in
/// OptiFlow.Adapters.Binance, from exchangeInfo's <c>PRICE_FILTER</c>, <c>LOT_SIZE</c> and <c>NOTIONAL</c> (or legacy
/// <c>MIN_NOTIONAL</c>) filters, binance.md §4.3). Immutable; thread-safe to share. The rules, spot form (binance.md §4.3):
/// <c>minPrice ≤ price ≤ maxPrice</c>, <c>price % tickSize == 0</c>; <c>minQty ≤ qty ≤ maxQty</c>,
/// <c>qty % stepSize == 0</c>; <c>minNotional ≤ price·qty ≤ maxNotional</c>.
/// </remarks>
public sealed record InstrumentSpec
{
    /// <summary>The symbol's name as the venue spells it and the session's <see cref="Model.SymbolTable"/> holds it, e.g. <c>ETHBTC</c>.</summary>
    public required string Symbol { get; init; }

    /// <summary>The asset bought or sold (the order quantity's unit), e.g. <c>ETH</c>.</summary>
    public required string BaseAsset { get; init; }

    /// <summary>The asset prices are quoted in, e.g. <c>BTC</c>.</summary>
    public required string QuoteAsset { get; init; }

    /// <summary>PRICE_FILTER <c>tickSize</c>, 10⁻⁸ quote units; 0: no tick rule.</summary>
    public long TickSize { get; init; }

    /// <summary>PRICE_FILTER <c>minPrice</c>, 10⁻⁸ quote units; 0: no minimum.</summary>
    public long MinPrice { get; init; }

    /// <summary>PRICE_FILTER <c>maxPrice</c>, 10⁻⁸ quote units; 0: no maximum.</summary>
    public long MaxPrice { get; init; }

    /// <summary>LOT_SIZE <c>stepSize</c>, 10⁻⁸ base units; 0: no step rule.</summary>
    public long StepSize { get; init; }

    /// <summary>LOT_SIZE <c>minQty</c>, 10⁻⁸ base units; 0: no minimum.</summary>
    public long MinQty { get; init; }

    /// <summary>LOT_SIZE <c>maxQty</c>, 10⁻⁸ base units; 0: no maximum.</summary>
    public long MaxQty { get; init; }

    /// <summary>NOTIONAL (or legacy MIN_NOTIONAL) <c>minNotional</c>, 10⁻⁸ quote units; 0: no minimum.</summary>
    public long MinNotional { get; init; }

    /// <summary>NOTIONAL <c>maxNotional</c>, 10⁻⁸ quote units; 0: no maximum.</summary>
    public long MaxNotional { get; init; }
}
