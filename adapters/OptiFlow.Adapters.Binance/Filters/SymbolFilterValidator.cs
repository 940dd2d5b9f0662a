using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// The checks an order gateway runs before sending an order, one per exchangeInfo filter, with Binance's exact
/// rules (binance.md §4.3). Prices and quantities are 10⁻⁸ units; products are computed in <see cref="Int128"/>
/// (10⁻¹⁶ units), so no input can overflow.
/// </summary>
/// <remarks>
/// Pure functions: thread-safe, allocation-free, never throw. A filter the symbol does not list passes. A filter field
/// equal to 0 disables that part of the rule, and <c>x % 0</c> is never computed (binance.md §4.3, <c>[S-FLT]</c>,
/// observed spot BTCUSDT <c>MARKET_LOT_SIZE.stepSize "0.00000000"</c> <c>[D-SXI]</c>).
/// </remarks>
public static class SymbolFilterValidator
{
    private const long Scale = FixedPoint.Scale;

    /// <summary>
    /// <c>PRICE_FILTER</c>: <c>minPrice ≤ price ≤ maxPrice</c> and the tick rule. Spot: <c>price % tickSize == 0</c>
    /// (since 2022-02-24, <c>[S-FLT]</c>, <c>[S-CL]</c>); futures: <c>(price − minPrice) % tickSize == 0</c> (<c>[F-CD]</c>);
    /// binance.md §4.3.
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

        if (symbol.PriceFilter is not { } f)
        {
            return FilterVerdict.Ok;
        }

        if (f.MinPrice > 0 && price < f.MinPrice)
        {
            return FilterVerdict.PriceBelowMin;
        }

        if (f.MaxPrice > 0 && price > f.MaxPrice)
        {
            return FilterVerdict.PriceAboveMax;
        }

        var offset = symbol.Market == Market.Futures ? price - f.MinPrice : price;
        return f.TickSize > 0 && offset % f.TickSize != 0 ? FilterVerdict.PriceNotOnTick : FilterVerdict.Ok;
    }

    /// <summary>
    /// <c>LOT_SIZE</c> (or <c>MARKET_LOT_SIZE</c> for a MARKET order, when listed, on top of <c>LOT_SIZE</c>):
    /// <c>minQty ≤ qty ≤ maxQty</c> and the step rule. Spot: <c>qty % stepSize == 0</c> (<c>[S-FLT]</c>); futures:
    /// <c>(qty − minQty) % stepSize == 0</c> (<c>[F-CD]</c>); binance.md §4.3.
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

        var verdict = symbol.LotSize is { } lot ? CheckLot(lot, quantity, symbol.Market) : FilterVerdict.Ok;
        if (verdict == FilterVerdict.Ok && isMarket && symbol.MarketLotSize is { } marketLot)
        {
            verdict = CheckLot(marketLot, quantity, symbol.Market);
        }

        return verdict;
    }

    /// <summary>
    /// Notional, <c>price × qty</c> in <see cref="Int128"/>: spot legacy <c>MIN_NOTIONAL</c> (<c>≥ minNotional</c>; for
    /// MARKET only if <c>applyToMarket</c>), spot <c>NOTIONAL</c> (<c>minNotional ≤ notional ≤ maxNotional</c>; for MARKET
    /// each bound only if its <c>applyMin/MaxToMarket</c> flag is set) <c>[S-FLT]</c>; futures <c>MIN_NOTIONAL</c>
    /// (<c>≥ notional</c>, MARKET orders priced at the mark price; <c>-4164</c> unless reduce-only) <c>[F-CD]</c>,
    /// <c>[F-ERR]</c>; binance.md §4.3.
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

        var notional = (Int128)price * quantity; // 10⁻¹⁶ quote units
        if (symbol.MinNotional is { } min && (!isMarket || min.ApplyMinToMarket) && min.MinNotional > 0 && notional < (Int128)min.MinNotional * Scale)
        {
            return FilterVerdict.NotionalBelowMin;
        }

        if (symbol.Notional is { } n)
        {
            if ((!isMarket || n.ApplyMinToMarket) && n.MinNotional > 0 && notional < (Int128)n.MinNotional * Scale)
            {
                return FilterVerdict.NotionalBelowMin;
            }

            if ((!isMarket || n.ApplyMaxToMarket) && n.MaxNotional > 0 && notional > (Int128)n.MaxNotional * Scale)
            {
                return FilterVerdict.NotionalAboveMax;
            }
        }

        return FilterVerdict.Ok;
    }

    /// <summary>
    /// <c>PERCENT_PRICE</c> and <c>PERCENT_PRICE_BY_SIDE</c>, products in <see cref="Int128"/>. Spot <c>PERCENT_PRICE</c>:
    /// <c>ref × multiplierDown ≤ price ≤ ref × multiplierUp</c> whatever the side; spot <c>PERCENT_PRICE_BY_SIDE</c>: BUY
    /// within <c>[ref × bidMultiplierDown, ref × bidMultiplierUp]</c>, SELL within <c>[ref × askMultiplierDown,
    /// ref × askMultiplierUp]</c> (<c>ref</c> = reference price, else the <c>avgPriceMins</c> average, <c>[S-FLT]</c>,
    /// <c>[S-CL]</c> 2026-05-06). Futures <c>PERCENT_PRICE</c>: BUY <c>price ≤ mark × multiplierUp</c> (<c>-4016</c>), SELL
    /// <c>price ≥ mark × multiplierDown</c> (<c>-4024</c>) (<c>[F-CD]</c>, <c>[F-ERR]</c>); binance.md §4.3.
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

        if (referencePrice <= 0)
        {
            return FilterVerdict.Ok;
        }

        var scaled = (Int128)price * Scale; // 10⁻¹⁶ units, to compare with ref × multiplier
        if (symbol.PercentPrice is { } p)
        {
            var checkUp = symbol.Market != Market.Futures || side == BookSide.Bid;
            var checkDown = symbol.Market != Market.Futures || side == BookSide.Ask;
            if (checkUp && p.MultiplierUp > 0 && scaled > (Int128)referencePrice * p.MultiplierUp)
            {
                return FilterVerdict.PriceAboveMultiplierUp;
            }

            if (checkDown && p.MultiplierDown > 0 && scaled < (Int128)referencePrice * p.MultiplierDown)
            {
                return FilterVerdict.PriceBelowMultiplierDown;
            }
        }

        if (symbol.PercentPriceBySide is { } s)
        {
            var up = side == BookSide.Bid ? s.BidMultiplierUp : s.AskMultiplierUp;
            var down = side == BookSide.Bid ? s.BidMultiplierDown : s.AskMultiplierDown;
            if (up > 0 && scaled > (Int128)referencePrice * up)
            {
                return FilterVerdict.PriceAboveMultiplierUp;
            }

            if (down > 0 && scaled < (Int128)referencePrice * down)
            {
                return FilterVerdict.PriceBelowMultiplierDown;
            }
        }

        return FilterVerdict.Ok;
    }

    /// <summary>
    /// <c>MAX_NUM_ORDERS</c>: whether one more order may be opened, given the symbol's open orders (algo orders included)
    /// (<c>[S-FLT]</c>, <c>[F-CD]</c>; binance.md §4.3).
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
        return symbol.MaxNumOrders is not { } limit || limit <= 0 || openOrders < limit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FilterVerdict CheckLot(LotSizeFilter f, long quantity, Market market)
    {
        if (f.MinQty > 0 && quantity < f.MinQty)
        {
            return FilterVerdict.QuantityBelowMin;
        }

        if (f.MaxQty > 0 && quantity > f.MaxQty)
        {
            return FilterVerdict.QuantityAboveMax;
        }

        var offset = market == Market.Futures ? quantity - f.MinQty : quantity;
        return f.StepSize > 0 && offset % f.StepSize != 0 ? FilterVerdict.QuantityNotOnStep : FilterVerdict.Ok;
    }
}
