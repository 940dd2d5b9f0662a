namespace OptiFlow.Engine.Risk;

/// <summary>
/// Why <see cref="PreTradeRisk.Check"/> refused a command, or <see cref="Accepted"/>. Filter reasons name the exchangeInfo
/// filter Binance would reject with (binance.md §4.3; spot <c>-1013 "Filter failure: …"</c>, futures <c>-4003</c>…<c>-4164</c>, §8.1).
/// </summary>
/// <remarks>Counted per value by <see cref="PreTradeRisk.DecisionCount"/>; values are stable (they index the counters).</remarks>
public enum RiskReason : byte
{
    /// <summary>Passes every check.</summary>
    Accepted = 0,

    /// <summary>The command's shape is wrong (<see cref="Orders.OrderCommand.Validate"/>), or a price or quantity is not positive.</summary>
    Malformed,

    /// <summary>No <see cref="InstrumentRules"/> for the command's symbol id.</summary>
    UnknownSymbol,

    /// <summary>A MARKET order, or a symbol with a <c>PERCENT_PRICE*</c> filter, needs a reference price and none (≤ 0) was given.</summary>
    NoReferencePrice,

    /// <summary>The kill switch is tripped: no New order passes (binance.md §8; cancels still pass).</summary>
    KillSwitch,

    /// <summary><c>PRICE_FILTER</c>: <c>price &lt; minPrice</c> (futures <c>-4013</c>).</summary>
    PriceBelowMin,

    /// <summary><c>PRICE_FILTER</c>: <c>price &gt; maxPrice</c>.</summary>
    PriceAboveMax,

    /// <summary><c>PRICE_FILTER</c>: not on the tick grid (futures <c>-4014</c>).</summary>
    PriceNotOnTick,

    /// <summary><c>LOT_SIZE</c>: <c>qty &lt; minQty</c> (futures <c>-4004</c>).</summary>
    QuantityBelowMin,

    /// <summary><c>LOT_SIZE</c>: <c>qty &gt; maxQty</c> (futures <c>-4005</c>).</summary>
    QuantityAboveMax,

    /// <summary><c>LOT_SIZE</c>: not on the step grid (futures <c>-4023</c>).</summary>
    QuantityNotOnStep,

    /// <summary><c>MARKET_LOT_SIZE</c>: a MARKET order's <c>qty &lt; minQty</c>.</summary>
    MarketQuantityBelowMin,

    /// <summary><c>MARKET_LOT_SIZE</c>: a MARKET order's <c>qty &gt; maxQty</c>.</summary>
    MarketQuantityAboveMax,

    /// <summary><c>MARKET_LOT_SIZE</c>: a MARKET order's quantity is not on the step grid.</summary>
    MarketQuantityNotOnStep,

    /// <summary><c>NOTIONAL</c> / <c>MIN_NOTIONAL</c>: <c>price × qty</c> below the minimum (futures <c>-4164</c>).</summary>
    NotionalBelowMin,

    /// <summary><c>NOTIONAL</c>: <c>price × qty</c> above <c>maxNotional</c>.</summary>
    NotionalAboveMax,

    /// <summary><c>PERCENT_PRICE</c>: above <c>reference × multiplierUp</c> (futures <c>-4016</c>).</summary>
    PercentPriceAboveUp,

    /// <summary><c>PERCENT_PRICE</c>: below <c>reference × multiplierDown</c> (futures <c>-4024</c>).</summary>
    PercentPriceBelowDown,

    /// <summary><c>PERCENT_PRICE_BY_SIDE</c>: above <c>reference × bid/askMultiplierUp</c>.</summary>
    PercentPriceBySideAboveUp,

    /// <summary><c>PERCENT_PRICE_BY_SIDE</c>: below <c>reference × bid/askMultiplierDown</c>.</summary>
    PercentPriceBySideBelowDown,

    /// <summary><c>MAX_NUM_ORDERS</c>: the symbol already has <c>limit</c> open orders.</summary>
    MaxNumOrders,

    /// <summary><see cref="RiskLimits.MaxOpenOrders"/>: the account already has that many open orders.</summary>
    MaxOpenOrders,

    /// <summary><see cref="RiskLimits.MaxPositionPerSymbol"/> would be exceeded.</summary>
    MaxPositionPerSymbol,

    /// <summary><see cref="RiskLimits.MaxNotionalPerSymbol"/> would be exceeded.</summary>
    MaxNotionalPerSymbol,

    /// <summary><see cref="RiskLimits.MaxTotalNotional"/> would be exceeded.</summary>
    MaxTotalNotional,

    /// <summary>An <c>ORDERS</c> rate limit would be exceeded (binance.md §6; Binance answers 429 <c>-1015</c>).</summary>
    OrderRateLimit,

    /// <summary>A <c>REQUEST_WEIGHT</c> rate limit would be exceeded (binance.md §6).</summary>
    RequestWeightLimit,

    /// <summary>Backing off after HTTP 429 until its <c>Retry-After</c> (binance.md §6.1).</summary>
    TooManyRequestsBackOff,

    /// <summary>IP banned after HTTP 418 until the time Binance gave (binance.md §6.1).</summary>
    IpBanned,
}
