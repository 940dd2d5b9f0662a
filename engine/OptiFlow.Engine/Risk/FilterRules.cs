using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Risk;

/// <summary>
/// Binance's exchangeInfo filter rules, each written once (binance.md §4.3); <see cref="PreTradeRisk"/> and the Binance
/// adapter's <c>SymbolFilterValidator</c> both call these. Prices and quantities are 10⁻⁸ units; products are computed in
/// <see cref="Int128"/> (10⁻¹⁶ units), so no input can overflow.
/// </summary>
/// <remarks>
/// Pure functions: thread-safe, allocation-free, never throw. A rule field equal to 0 disables that part of the rule, and
/// <c>x % 0</c> is never computed (binance.md §4.3, <c>[S-FLT]</c>; observed spot BTCUSDT <c>MARKET_LOT_SIZE.stepSize
/// "0.00000000"</c>, <c>[D-SXI]</c>). Inputs must be positive; callers check that first (<see cref="RiskReason.Malformed"/>).
/// </remarks>
public static class FilterRules
{
    private const long Scale = FixedPoint.Scale;

    /// <summary>
    /// <c>PRICE_FILTER</c>: <c>minPrice ≤ price ≤ maxPrice</c> and the tick rule. Spot: <c>price % tickSize == 0</c> (since
    /// 2022-02-24, <c>[S-FLT]</c>, <c>[S-CL]</c>); futures: <c>(price − minPrice) % tickSize == 0</c> (<c>[F-CD]</c>); binance.md §4.3.
    /// </summary>
    /// <param name="price">Order price, 10⁻⁸ units, positive.</param>
    /// <param name="minPrice"><c>minPrice</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="maxPrice"><c>maxPrice</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="tickSize"><c>tickSize</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="market">Spot or futures rule form.</param>
    /// <returns><see cref="RiskReason.Accepted"/> or the failed rule.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RiskReason CheckPrice(long price, long minPrice, long maxPrice, long tickSize, Market market)
    {
        if (minPrice > 0 && price < minPrice)
        {
            return RiskReason.PriceBelowMin;
        }

        if (maxPrice > 0 && price > maxPrice)
        {
            return RiskReason.PriceAboveMax;
        }

        var offset = market == Market.Futures ? price - minPrice : price;
        return tickSize > 0 && offset % tickSize != 0 ? RiskReason.PriceNotOnTick : RiskReason.Accepted;
    }

    /// <summary>
    /// <c>LOT_SIZE</c> or <c>MARKET_LOT_SIZE</c>: <c>minQty ≤ qty ≤ maxQty</c> and the step rule. Spot: <c>qty % stepSize == 0</c>
    /// (<c>[S-FLT]</c>); futures: <c>(qty − minQty) % stepSize == 0</c> (<c>[F-CD]</c>); binance.md §4.3.
    /// </summary>
    /// <param name="quantity">Order quantity, 10⁻⁸ units, positive.</param>
    /// <param name="minQty"><c>minQty</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="maxQty"><c>maxQty</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="stepSize"><c>stepSize</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="market">Spot or futures rule form.</param>
    /// <param name="marketLotSize">True for <c>MARKET_LOT_SIZE</c>: report the <c>MarketQuantity*</c> reasons.</param>
    /// <returns><see cref="RiskReason.Accepted"/> or the failed rule.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RiskReason CheckLot(long quantity, long minQty, long maxQty, long stepSize, Market market, bool marketLotSize)
    {
        if (minQty > 0 && quantity < minQty)
        {
            return marketLotSize ? RiskReason.MarketQuantityBelowMin : RiskReason.QuantityBelowMin;
        }

        if (maxQty > 0 && quantity > maxQty)
        {
            return marketLotSize ? RiskReason.MarketQuantityAboveMax : RiskReason.QuantityAboveMax;
        }

        var offset = market == Market.Futures ? quantity - minQty : quantity;
        if (stepSize > 0 && offset % stepSize != 0)
        {
            return marketLotSize ? RiskReason.MarketQuantityNotOnStep : RiskReason.QuantityNotOnStep;
        }

        return RiskReason.Accepted;
    }

    /// <summary>
    /// Notional, <c>price × qty</c>: spot <c>NOTIONAL</c> (<c>minNotional ≤ notional ≤ maxNotional</c>; for MARKET each bound
    /// only if its <c>applyMin/MaxToMarket</c> flag is set), spot legacy <c>MIN_NOTIONAL</c> (<c>applyToMarket</c>)
    /// <c>[S-FLT]</c>; futures <c>MIN_NOTIONAL</c> (<c>≥ notional</c>, MARKET priced at the mark price, <c>-4164</c>)
    /// <c>[F-CD]</c>; binance.md §4.3.
    /// </summary>
    /// <param name="price">Order price, or for a MARKET order the price Binance uses (spot: reference price, else the
    /// <c>avgPriceMins</c> average; futures: mark price), 10⁻⁸ units, positive.</param>
    /// <param name="quantity">Order quantity, 10⁻⁸ units, positive.</param>
    /// <param name="isMarket">Whether the order is a MARKET order.</param>
    /// <param name="minNotional">Minimum notional, 10⁻⁸ quote units; 0: none.</param>
    /// <param name="maxNotional">Maximum notional, 10⁻⁸ quote units; 0: none.</param>
    /// <param name="applyMinToMarket">Whether the minimum applies to MARKET orders.</param>
    /// <param name="applyMaxToMarket">Whether the maximum applies to MARKET orders.</param>
    /// <returns><see cref="RiskReason.Accepted"/> or the failed rule.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RiskReason CheckNotional(long price, long quantity, bool isMarket, long minNotional, long maxNotional, bool applyMinToMarket, bool applyMaxToMarket)
    {
        var notional = (Int128)price * quantity; // 10⁻¹⁶ quote units
        if ((!isMarket || applyMinToMarket) && minNotional > 0 && notional < (Int128)minNotional * Scale)
        {
            return RiskReason.NotionalBelowMin;
        }

        if ((!isMarket || applyMaxToMarket) && maxNotional > 0 && notional > (Int128)maxNotional * Scale)
        {
            return RiskReason.NotionalAboveMax;
        }

        return RiskReason.Accepted;
    }

    /// <summary>
    /// <c>PERCENT_PRICE</c>. Spot: <c>ref × multiplierDown ≤ price ≤ ref × multiplierUp</c> whatever the side (<c>ref</c> = the
    /// reference price, else the <c>avgPriceMins</c> average, <c>[S-FLT]</c>, <c>[S-CL]</c> 2026-05-06). Futures: BUY
    /// <c>price ≤ mark × multiplierUp</c> (<c>-4016</c>), SELL <c>price ≥ mark × multiplierDown</c> (<c>-4024</c>) (<c>[F-CD]</c>);
    /// binance.md §4.3.
    /// </summary>
    /// <param name="price">Order price, 10⁻⁸ units, positive.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="referencePrice">Reference/average price (spot) or mark price (futures), 10⁻⁸ units; 0 or less skips the rule.</param>
    /// <param name="multiplierUp"><c>multiplierUp</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="multiplierDown"><c>multiplierDown</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="market">Spot or futures rule form.</param>
    /// <returns><see cref="RiskReason.Accepted"/> or the failed rule.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RiskReason CheckPercentPrice(long price, OrderSide side, long referencePrice, long multiplierUp, long multiplierDown, Market market)
    {
        if (referencePrice <= 0)
        {
            return RiskReason.Accepted;
        }

        var scaled = (Int128)price * Scale; // 10⁻¹⁶ units, to compare with ref × multiplier
        var checkUp = market != Market.Futures || side == OrderSide.Buy;
        var checkDown = market != Market.Futures || side == OrderSide.Sell;
        if (checkUp && multiplierUp > 0 && scaled > (Int128)referencePrice * multiplierUp)
        {
            return RiskReason.PercentPriceAboveUp;
        }

        if (checkDown && multiplierDown > 0 && scaled < (Int128)referencePrice * multiplierDown)
        {
            return RiskReason.PercentPriceBelowDown;
        }

        return RiskReason.Accepted;
    }

    /// <summary>
    /// Spot <c>PERCENT_PRICE_BY_SIDE</c>: BUY within <c>[ref × bidMultiplierDown, ref × bidMultiplierUp]</c>, SELL within
    /// <c>[ref × askMultiplierDown, ref × askMultiplierUp]</c> (<c>[S-FLT]</c>; binance.md §4.3).
    /// </summary>
    /// <param name="price">Order price, 10⁻⁸ units, positive.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="referencePrice">Reference/average price, 10⁻⁸ units; 0 or less skips the rule.</param>
    /// <param name="bidUp"><c>bidMultiplierUp</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="bidDown"><c>bidMultiplierDown</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="askUp"><c>askMultiplierUp</c>, 10⁻⁸ units; 0: none.</param>
    /// <param name="askDown"><c>askMultiplierDown</c>, 10⁻⁸ units; 0: none.</param>
    /// <returns><see cref="RiskReason.Accepted"/> or the failed rule.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RiskReason CheckPercentPriceBySide(long price, OrderSide side, long referencePrice, long bidUp, long bidDown, long askUp, long askDown)
    {
        if (referencePrice <= 0)
        {
            return RiskReason.Accepted;
        }

        var scaled = (Int128)price * Scale;
        var up = side == OrderSide.Buy ? bidUp : askUp;
        var down = side == OrderSide.Buy ? bidDown : askDown;
        if (up > 0 && scaled > (Int128)referencePrice * up)
        {
            return RiskReason.PercentPriceBySideAboveUp;
        }

        if (down > 0 && scaled < (Int128)referencePrice * down)
        {
            return RiskReason.PercentPriceBySideBelowDown;
        }

        return RiskReason.Accepted;
    }

    /// <summary>
    /// <c>MAX_NUM_ORDERS</c>: whether one more order may be opened, given the symbol's open orders, algo orders included
    /// (<c>[S-FLT]</c>, <c>[F-CD]</c>; binance.md §4.3). A limit of 0 is "disabled" (observed on TRADING futures symbols, <c>[D-FXI]</c>).
    /// </summary>
    /// <param name="openOrders">Orders open on the symbol now.</param>
    /// <param name="limit">The filter's limit; 0 or less: none.</param>
    /// <returns>True when <c>limit ≤ 0</c> or <c>openOrders &lt; limit</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CanOpenOrder(int openOrders, int limit) => limit <= 0 || openOrders < limit;

    /// <summary>
    /// Every filter of <paramref name="rules"/> on one new order, in Binance's order: price, lot, market lot, notional, percent
    /// price, percent price by side. <c>MAX_NUM_ORDERS</c> needs state and is <see cref="PreTradeRisk"/>'s.
    /// </summary>
    /// <param name="rules">The symbol's rules.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="isMarket">Whether the order is a MARKET order (no price rules; notional at <paramref name="referencePrice"/>).</param>
    /// <param name="price">Limit price, 10⁻⁸ units, positive; ignored for MARKET.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units, positive.</param>
    /// <param name="referencePrice">Spot reference/average price or futures mark price, 10⁻⁸ units.</param>
    /// <returns><see cref="RiskReason.Accepted"/> or the first failed rule.</returns>
    public static RiskReason CheckOrder(InstrumentRules rules, OrderSide side, bool isMarket, long price, long quantity, long referencePrice)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var m = rules.Market;
        RiskReason r;
        if (!isMarket && (r = CheckPrice(price, rules.MinPrice, rules.MaxPrice, rules.TickSize, m)) != RiskReason.Accepted)
        {
            return r;
        }

        if ((r = CheckLot(quantity, rules.MinQty, rules.MaxQty, rules.StepSize, m, marketLotSize: false)) != RiskReason.Accepted)
        {
            return r;
        }

        if (isMarket && (r = CheckLot(quantity, rules.MarketMinQty, rules.MarketMaxQty, rules.MarketStepSize, m, marketLotSize: true)) != RiskReason.Accepted)
        {
            return r;
        }

        var notionalPrice = isMarket ? referencePrice : price;
        if ((r = CheckNotional(notionalPrice, quantity, isMarket, rules.MinNotional, rules.MaxNotional, rules.ApplyMinToMarket, rules.ApplyMaxToMarket)) != RiskReason.Accepted)
        {
            return r;
        }

        if (isMarket)
        {
            return RiskReason.Accepted;
        }

        if ((r = CheckPercentPrice(price, side, referencePrice, rules.MultiplierUp, rules.MultiplierDown, m)) != RiskReason.Accepted)
        {
            return r;
        }

        return CheckPercentPriceBySide(price, side, referencePrice, rules.BidMultiplierUp, rules.BidMultiplierDown, rules.AskMultiplierUp, rules.AskMultiplierDown);
    }
}
