using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// The checks an order gateway runs before sending an order, one per exchangeInfo filter, with Binance's exact
/// rules (binance.md §4.3). Prices and quantities are 10⁻⁸ units; products are computed in <see cref="Int128"/>
/// (10⁻¹⁶ units), so no input can overflow.
/// </summary>
/// <remarks>
/// The rules themselves live once in the engine (<see cref="FilterRules"/>); this class maps a <see cref="SymbolInfo"/>
/// onto them. Pure functions: thread-safe, allocation-free, never throw. A filter the symbol does not list passes. A filter field
/// equal to 0 disables that part of the rule, and <c>x % 0</c> is never computed (binance.md §4.3, <c>[S-FLT]</c>,
/// observed spot BTCUSDT <c>MARKET_LOT_SIZE.stepSize "0.00000000"</c> <c>[D-SXI]</c>).
/// </remarks>
public static class SymbolFilterValidator
{
    /// <summary>
    /// <c>PRICE_FILTER</c>: <c>minPrice ≤ price ≤ maxPrice</c> and the tick rule. Spot: <c>price % tickSize == 0</c>
    /// (since 2022-02-24, <c>[S-FLT]</c>, <c>[S-CL]</c>); futures: <c>(price − minPrice) % tickSize == 0</c> (<c>[F-CD]</c>);
    /// binance.md §4.3 (<see cref="FilterRules.CheckPrice"/>).
    /// </summary>
    /// <param name="symbol">The symbol's filters.</param>
    /// <param name="price">Order price, 10⁻⁸ units.</param>
    /// <returns><see cref="FilterVerdict.Ok"/> or the failed rule.</returns>
    public static FilterVerdict CheckPrice(SymbolInfo symbol, long price)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (price <= 0)
        {
            return FilterVerdict.NotPositive;
        }

        return symbol.PriceFilter is { } f ? ToVerdict(FilterRules.CheckPrice(price, f.MinPrice, f.MaxPrice, f.TickSize, symbol.Market)) : FilterVerdict.Ok;
    }

    /// <summary>
    /// <c>LOT_SIZE</c> (or <c>MARKET_LOT_SIZE</c> for a MARKET order, when listed, on top of <c>LOT_SIZE</c>):
    /// <c>minQty ≤ qty ≤ maxQty</c> and the step rule. Spot: <c>qty % stepSize == 0</c> (<c>[S-FLT]</c>); futures:
    /// <c>(qty − minQty) % stepSize == 0</c> (<c>[F-CD]</c>); binance.md §4.3 (<see cref="FilterRules.CheckLot"/>).
    /// </summary>
    /// <param name="symbol">The symbol's filters.</param>
    /// <param name="quantity">Order quantity, 10⁻⁸ units.</param>
    /// <param name="isMarket">Whether the order is a MARKET order.</param>
    /// <returns><see cref="FilterVerdict.Ok"/> or the failed rule.</returns>
    public static FilterVerdict CheckQuantity(SymbolInfo symbol, long quantity, bool isMarket)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (quantity <= 0)
        {
            return FilterVerdict.NotPositive;
        }

        var verdict = symbol.LotSize is { } lot ? FilterRules.CheckLot(quantity, lot.MinQty, lot.MaxQty, lot.StepSize, symbol.Market, marketLotSize: false) : RiskReason.Accepted;
        if (verdict == RiskReason.Accepted && isMarket && symbol.MarketLotSize is { } m)
        {
            verdict = FilterRules.CheckLot(quantity, m.MinQty, m.MaxQty, m.StepSize, symbol.Market, marketLotSize: true);
        }

        return ToVerdict(verdict);
    }

    /// <summary>
    /// Notional, <c>price × qty</c> in <see cref="Int128"/>: spot legacy <c>MIN_NOTIONAL</c> (<c>≥ minNotional</c>; for
    /// MARKET only if <c>applyToMarket</c>), spot <c>NOTIONAL</c> (<c>minNotional ≤ notional ≤ maxNotional</c>; for MARKET
    /// each bound only if its <c>applyMin/MaxToMarket</c> flag is set) <c>[S-FLT]</c>; futures <c>MIN_NOTIONAL</c>
    /// (<c>≥ notional</c>, MARKET orders priced at the mark price; <c>-4164</c> unless reduce-only) <c>[F-CD]</c>,
    /// <c>[F-ERR]</c>; binance.md §4.3 (<see cref="FilterRules.CheckNotional"/>).
    /// </summary>
    /// <param name="symbol">The symbol's filters.</param>
    /// <param name="price">The order price, or for a MARKET order the price Binance uses (spot: reference or
    /// <c>avgPriceMins</c> average; futures: mark price), 10⁻⁸ units.</param>
    /// <param name="quantity">Order quantity, 10⁻⁸ units.</param>
    /// <param name="isMarket">Whether the order is a MARKET order.</param>
    /// <returns><see cref="FilterVerdict.Ok"/> or the failed rule.</returns>
    public static FilterVerdict CheckNotional(SymbolInfo symbol, long price, long quantity, bool isMarket)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (price <= 0 || quantity <= 0)
        {
            return FilterVerdict.NotPositive;
        }

        var verdict = symbol.MinNotional is { } min
            ? FilterRules.CheckNotional(price, quantity, isMarket, min.MinNotional, 0, min.ApplyMinToMarket, applyMaxToMarket: false)
            : RiskReason.Accepted;
        if (verdict == RiskReason.Accepted && symbol.Notional is { } n)
        {
            verdict = FilterRules.CheckNotional(price, quantity, isMarket, n.MinNotional, n.MaxNotional, n.ApplyMinToMarket, n.ApplyMaxToMarket);
        }

        return ToVerdict(verdict);
    }

    /// <summary>
    /// <c>PERCENT_PRICE</c> and <c>PERCENT_PRICE_BY_SIDE</c>, products in <see cref="Int128"/>. Spot <c>PERCENT_PRICE</c>:
    /// <c>ref × multiplierDown ≤ price ≤ ref × multiplierUp</c> whatever the side; spot <c>PERCENT_PRICE_BY_SIDE</c>: BUY
    /// within <c>[ref × bidMultiplierDown, ref × bidMultiplierUp]</c>, SELL within <c>[ref × askMultiplierDown,
    /// ref × askMultiplierUp]</c> (<c>ref</c> = reference price, else the <c>avgPriceMins</c> average, <c>[S-FLT]</c>,
    /// <c>[S-CL]</c> 2026-05-06). Futures <c>PERCENT_PRICE</c>: BUY <c>price ≤ mark × multiplierUp</c> (<c>-4016</c>), SELL
    /// <c>price ≥ mark × multiplierDown</c> (<c>-4024</c>) (<c>[F-CD]</c>, <c>[F-ERR]</c>); binance.md §4.3
    /// (<see cref="FilterRules.CheckPercentPrice"/>, <see cref="FilterRules.CheckPercentPriceBySide"/>).
    /// </summary>
    /// <param name="symbol">The symbol's filters.</param>
    /// <param name="price">Order price, 10⁻⁸ units.</param>
    /// <param name="side"><see cref="BookSide.Bid"/> for BUY, <see cref="BookSide.Ask"/> for SELL.</param>
    /// <param name="referencePrice">Spot reference/average price or futures mark price, 10⁻⁸ units; 0 or less skips the check.</param>
    /// <returns><see cref="FilterVerdict.Ok"/> or the failed rule.</returns>
    public static FilterVerdict CheckPercentPrice(SymbolInfo symbol, long price, BookSide side, long referencePrice)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (price <= 0)
        {
            return FilterVerdict.NotPositive;
        }

        var orderSide = side == BookSide.Bid ? OrderSide.Buy : OrderSide.Sell;
        var verdict = symbol.PercentPrice is { } p
            ? FilterRules.CheckPercentPrice(price, orderSide, referencePrice, p.MultiplierUp, p.MultiplierDown, symbol.Market)
            : RiskReason.Accepted;
        if (verdict == RiskReason.Accepted && symbol.PercentPriceBySide is { } s)
        {
            verdict = FilterRules.CheckPercentPriceBySide(price, orderSide, referencePrice, s.BidMultiplierUp, s.BidMultiplierDown, s.AskMultiplierUp, s.AskMultiplierDown);
        }

        return ToVerdict(verdict);
    }

    /// <summary>
    /// <c>MAX_NUM_ORDERS</c>: whether one more order may be opened, given the symbol's open orders (algo orders included)
    /// (<c>[S-FLT]</c>, <c>[F-CD]</c>; binance.md §4.3; <see cref="FilterRules.CanOpenOrder"/>).
    /// </summary>
    /// <param name="symbol">The symbol's filters.</param>
    /// <param name="openOrders">Orders open on the symbol now.</param>
    /// <returns>
    /// True when the filter is absent, its limit is 0 (observed on TRADING futures symbols such as XMRUSDT in
    /// <c>[D-FXI]</c>; read as "disabled", like every other 0-valued filter field, binance.md §4.3), or <c>openOrders &lt; limit</c>.
    /// </returns>
    public static bool CanOpenOrder(SymbolInfo symbol, int openOrders)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return FilterRules.CanOpenOrder(openOrders, symbol.MaxNumOrders ?? 0);
    }

    /// <summary>Maps the engine's filter reasons onto this adapter's verdicts (market-lot and by-side reasons fold into their base rule).</summary>
    /// <param name="reason">A filter reason from <see cref="FilterRules"/>.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a filter reason.</exception>
    public static FilterVerdict ToVerdict(RiskReason reason) => reason switch
    {
        RiskReason.Accepted => FilterVerdict.Ok,
        RiskReason.Malformed => FilterVerdict.NotPositive,
        RiskReason.PriceBelowMin => FilterVerdict.PriceBelowMin,
        RiskReason.PriceAboveMax => FilterVerdict.PriceAboveMax,
        RiskReason.PriceNotOnTick => FilterVerdict.PriceNotOnTick,
        RiskReason.QuantityBelowMin or RiskReason.MarketQuantityBelowMin => FilterVerdict.QuantityBelowMin,
        RiskReason.QuantityAboveMax or RiskReason.MarketQuantityAboveMax => FilterVerdict.QuantityAboveMax,
        RiskReason.QuantityNotOnStep or RiskReason.MarketQuantityNotOnStep => FilterVerdict.QuantityNotOnStep,
        RiskReason.NotionalBelowMin => FilterVerdict.NotionalBelowMin,
        RiskReason.NotionalAboveMax => FilterVerdict.NotionalAboveMax,
        RiskReason.PercentPriceAboveUp or RiskReason.PercentPriceBySideAboveUp => FilterVerdict.PriceAboveMultiplierUp,
        RiskReason.PercentPriceBelowDown or RiskReason.PercentPriceBySideBelowDown => FilterVerdict.PriceBelowMultiplierDown,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a filter reason."),
    };
}
