using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Risk;

/// <summary>
/// A venue-neutral description of one symbol's order rules, as <see cref="PreTradeRisk"/> checks them: Binance's
/// exchangeInfo <c>PRICE_FILTER</c>, <c>LOT_SIZE</c>, <c>MARKET_LOT_SIZE</c>, <c>NOTIONAL</c>/<c>MIN_NOTIONAL</c>,
/// <c>PERCENT_PRICE</c>, <c>PERCENT_PRICE_BY_SIDE</c> and <c>MAX_NUM_ORDERS</c> (binance.md §4.3).
/// </summary>
/// <remarks>
/// Prices, quantities and notionals are 10⁻⁸ units; multipliers are 10⁻⁸ units (<c>"1.05"</c> = 105_000_000). A field equal to
/// 0 disables its rule (binance.md §4.3: "a field equal to 0 disables its rule"), so a filter the symbol does not list is
/// all zeros. <see cref="Market"/> picks the rule form: spot <c>[S-FLT]</c> or futures <c>[F-CD]</c>. Built off the hot path
/// (for Binance: <c>SymbolInfo.ToInstrumentRules</c> in OptiFlow.Adapters.Binance); immutable, thread-safe to share.
/// </remarks>
public sealed record InstrumentRules
{
    /// <summary>Which rule forms apply: <see cref="Market.Spot"/> (<c>[S-FLT]</c>) or <see cref="Market.Futures"/> (<c>[F-CD]</c>).</summary>
    public Market Market { get; init; } = Market.Spot;

    /// <summary><c>PRICE_FILTER.minPrice</c>, 10⁻⁸ quote units; 0: no minimum.</summary>
    public long MinPrice { get; init; }

    /// <summary><c>PRICE_FILTER.maxPrice</c>, 10⁻⁸ quote units; 0: no maximum.</summary>
    public long MaxPrice { get; init; }

    /// <summary><c>PRICE_FILTER.tickSize</c>, 10⁻⁸ quote units; 0: no tick rule.</summary>
    public long TickSize { get; init; }

    /// <summary><c>LOT_SIZE.minQty</c>, 10⁻⁸ base units; 0: no minimum.</summary>
    public long MinQty { get; init; }

    /// <summary><c>LOT_SIZE.maxQty</c>, 10⁻⁸ base units; 0: no maximum.</summary>
    public long MaxQty { get; init; }

    /// <summary><c>LOT_SIZE.stepSize</c>, 10⁻⁸ base units; 0: no step rule.</summary>
    public long StepSize { get; init; }

    /// <summary><c>MARKET_LOT_SIZE.minQty</c> (MARKET orders, on top of <c>LOT_SIZE</c>), 10⁻⁸ base units; 0: no minimum.</summary>
    public long MarketMinQty { get; init; }

    /// <summary><c>MARKET_LOT_SIZE.maxQty</c>, 10⁻⁸ base units; 0: no maximum.</summary>
    public long MarketMaxQty { get; init; }

    /// <summary><c>MARKET_LOT_SIZE.stepSize</c>, 10⁻⁸ base units; 0: no step rule (spot BTCUSDT lists <c>"0.00000000"</c>, <c>[D-SXI]</c>).</summary>
    public long MarketStepSize { get; init; }

    /// <summary><c>NOTIONAL.minNotional</c>, legacy spot <c>MIN_NOTIONAL.minNotional</c> or futures <c>MIN_NOTIONAL.notional</c>, 10⁻⁸ quote units; 0: none.</summary>
    public long MinNotional { get; init; }

    /// <summary><c>NOTIONAL.maxNotional</c>, 10⁻⁸ quote units; 0: none.</summary>
    public long MaxNotional { get; init; }

    /// <summary>Whether <see cref="MinNotional"/> applies to MARKET orders (<c>applyMinToMarket</c>, legacy <c>applyToMarket</c>; always on futures).</summary>
    public bool ApplyMinToMarket { get; init; }

    /// <summary>Whether <see cref="MaxNotional"/> applies to MARKET orders (<c>applyMaxToMarket</c>).</summary>
    public bool ApplyMaxToMarket { get; init; }

    /// <summary>
    /// <c>avgPriceMins</c> of the notional / percent-price filters: minutes of the average price Binance uses when no reference
    /// price exists (0 = last price). Informational: the caller passes the price to use (binance.md §4.3).
    /// </summary>
    public int AvgPriceMins { get; init; }

    /// <summary><c>PERCENT_PRICE.multiplierUp</c>, 10⁻⁸ units; 0: no upper bound.</summary>
    public long MultiplierUp { get; init; }

    /// <summary><c>PERCENT_PRICE.multiplierDown</c>, 10⁻⁸ units; 0: no lower bound.</summary>
    public long MultiplierDown { get; init; }

    /// <summary><c>PERCENT_PRICE_BY_SIDE.bidMultiplierUp</c> (BUY upper), 10⁻⁸ units; 0: no bound.</summary>
    public long BidMultiplierUp { get; init; }

    /// <summary><c>PERCENT_PRICE_BY_SIDE.bidMultiplierDown</c> (BUY lower), 10⁻⁸ units; 0: no bound.</summary>
    public long BidMultiplierDown { get; init; }

    /// <summary><c>PERCENT_PRICE_BY_SIDE.askMultiplierUp</c> (SELL upper), 10⁻⁸ units; 0: no bound.</summary>
    public long AskMultiplierUp { get; init; }

    /// <summary><c>PERCENT_PRICE_BY_SIDE.askMultiplierDown</c> (SELL lower), 10⁻⁸ units; 0: no bound.</summary>
    public long AskMultiplierDown { get; init; }

    /// <summary><c>MAX_NUM_ORDERS</c> (spot <c>maxNumOrders</c>, futures <c>limit</c>): open orders on the symbol, algo orders included; 0: none.</summary>
    public int MaxNumOrders { get; init; }

    /// <summary>Whether any <c>PERCENT_PRICE*</c> bound is set (then a limit order needs a reference price).</summary>
    public bool HasPercentPrice =>
        (MultiplierUp | MultiplierDown | BidMultiplierUp | BidMultiplierDown | AskMultiplierUp | AskMultiplierDown) != 0;
}
