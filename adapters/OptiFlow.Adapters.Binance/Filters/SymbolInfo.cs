using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// One symbol of exchangeInfo with the filters the gateway checks (binance.md §4.2, §4.3). Values are 10⁻⁸ units.
/// A filter that the symbol does not list is null.
/// </summary>
/// <remarks>Built off the hot path by <see cref="ExchangeInfoParser"/>; immutable after that, so thread-safe to read.</remarks>
public sealed class SymbolInfo
{
    /// <summary>Upper-case symbol, e.g. <c>BTCUSDT</c>, <c>BTCUSD_PERP</c>.</summary>
    public required string Symbol { get; init; }

    /// <summary>Which rule set applies: spot <c>[S-FLT]</c> or futures (USDⓈ-M and COIN-M) <c>[F-CD]</c>.</summary>
    public required Market Market { get; init; }

    /// <summary><c>status</c> (COIN-M: <c>contractStatus</c>), e.g. <c>TRADING</c>, <c>BREAK</c>, <c>SETTLING</c> (binance.md §4.2).</summary>
    public required string Status { get; init; }

    /// <summary><c>baseAsset</c>.</summary>
    public required string BaseAsset { get; init; }

    /// <summary><c>quoteAsset</c>.</summary>
    public required string QuoteAsset { get; init; }

    /// <summary>Futures <c>contractType</c> (<c>PERPETUAL</c>, …); null on spot.</summary>
    public string? ContractType { get; init; }

    /// <summary><c>PRICE_FILTER</c>.</summary>
    public PriceFilter? PriceFilter { get; init; }

    /// <summary><c>LOT_SIZE</c>.</summary>
    public LotSizeFilter? LotSize { get; init; }

    /// <summary><c>MARKET_LOT_SIZE</c>.</summary>
    public LotSizeFilter? MarketLotSize { get; init; }

    /// <summary>Spot legacy <c>MIN_NOTIONAL</c> or futures <c>MIN_NOTIONAL</c> (<c>notional</c>).</summary>
    public NotionalFilter? MinNotional { get; init; }

    /// <summary>Spot <c>NOTIONAL</c> (replaced the legacy <c>MIN_NOTIONAL</c> in 2023).</summary>
    public NotionalFilter? Notional { get; init; }

    /// <summary><c>PERCENT_PRICE</c>.</summary>
    public PercentPriceFilter? PercentPrice { get; init; }

    /// <summary>Spot <c>PERCENT_PRICE_BY_SIDE</c>.</summary>
    public PercentPriceBySideFilter? PercentPriceBySide { get; init; }

    /// <summary><c>MAX_NUM_ORDERS</c> (spot <c>maxNumOrders</c>, futures <c>limit</c>): open orders on the symbol.</summary>
    public int? MaxNumOrders { get; init; }

    /// <summary>Whether the symbol is open for trading (<c>status == "TRADING"</c>).</summary>
    public bool IsTrading => Status == "TRADING";

    /// <summary>
    /// The engine-neutral description of this symbol for evaluators (<see cref="InstrumentSpec"/>): name, assets and the
    /// order rules of <c>PRICE_FILTER</c>, <c>LOT_SIZE</c> and <c>NOTIONAL</c> (or, when the symbol lists no
    /// <c>NOTIONAL</c>, the legacy <c>MIN_NOTIONAL</c>), binance.md §4.3. A filter the symbol does not list gives 0s
    /// (no rule).
    /// </summary>
    /// <returns>A new description (allocates; cold path).</returns>
    public InstrumentSpec ToInstrumentSpec()
    {
        var price = PriceFilter ?? default;
        var lot = LotSize ?? default;
        var notional = Notional ?? MinNotional ?? default;
        return new InstrumentSpec
        {
            Symbol = Symbol,
            BaseAsset = BaseAsset,
            QuoteAsset = QuoteAsset,
            TickSize = price.TickSize,
            MinPrice = price.MinPrice,
            MaxPrice = price.MaxPrice,
            StepSize = lot.StepSize,
            MinQty = lot.MinQty,
            MaxQty = lot.MaxQty,
            MinNotional = notional.MinNotional,
            MaxNotional = notional.MaxNotional,
        };
    }

    /// <summary>
    /// The engine-neutral order rules of this symbol for pre-trade risk (<see cref="InstrumentRules"/>): <c>PRICE_FILTER</c>,
    /// <c>LOT_SIZE</c>, <c>MARKET_LOT_SIZE</c>, <c>NOTIONAL</c> (or, when the symbol lists no <c>NOTIONAL</c>, the legacy spot
    /// or futures <c>MIN_NOTIONAL</c>, whose <c>applyToMarket</c> becomes <c>ApplyMinToMarket</c>), <c>PERCENT_PRICE</c>,
    /// <c>PERCENT_PRICE_BY_SIDE</c> and <c>MAX_NUM_ORDERS</c>, with the spot or futures rule form (binance.md §4.3). A filter
    /// the symbol does not list gives 0s (no rule).
    /// </summary>
    /// <returns>A new description (allocates; cold path).</returns>
    public InstrumentRules ToInstrumentRules()
    {
        var price = PriceFilter ?? default;
        var lot = LotSize ?? default;
        var marketLot = MarketLotSize ?? default;
        var notional = Notional ?? MinNotional ?? default;
        var percent = PercentPrice ?? default;
        var bySide = PercentPriceBySide ?? default;
        return new InstrumentRules
        {
            Market = Market,
            MinPrice = price.MinPrice,
            MaxPrice = price.MaxPrice,
            TickSize = price.TickSize,
            MinQty = lot.MinQty,
            MaxQty = lot.MaxQty,
            StepSize = lot.StepSize,
            MarketMinQty = marketLot.MinQty,
            MarketMaxQty = marketLot.MaxQty,
            MarketStepSize = marketLot.StepSize,
            MinNotional = notional.MinNotional,
            MaxNotional = notional.MaxNotional,
            ApplyMinToMarket = notional.ApplyMinToMarket,
            ApplyMaxToMarket = notional.ApplyMaxToMarket,
            AvgPriceMins = Math.Max(notional.AvgPriceMins, Math.Max(percent.AvgPriceMins, bySide.AvgPriceMins)),
            MultiplierUp = percent.MultiplierUp,
            MultiplierDown = percent.MultiplierDown,
            BidMultiplierUp = bySide.BidMultiplierUp,
            BidMultiplierDown = bySide.BidMultiplierDown,
            AskMultiplierUp = bySide.AskMultiplierUp,
            AskMultiplierDown = bySide.AskMultiplierDown,
            MaxNumOrders = MaxNumOrders ?? 0,
        };
    }
}
