namespace OptiFlow.Engine.Orders;

/// <summary>
/// A position from the fills the core received: of one symbol (all strategies: <see cref="StrategyId"/> =
/// <see cref="AllStrategies"/>) or of one strategy on one symbol. Base quantities in 10⁻⁸ units, money in 10⁻⁸ quote units
/// of the symbol's quote asset.
/// </summary>
/// <remarks>
/// Cash = sell proceeds − buy cost − commission; a buy's cost rounds up and a sell's proceeds round down to 10⁻⁸ quote
/// units (as <see cref="Matching.Position"/>), so rounding never flatters. PnL = cash + net quantity × mark, the mark being
/// the symbol's last mid when the snapshot was taken (rounded toward −∞); with a flat position it is the cash: the realised
/// PnL. Immutable value; allocation-free.
/// </remarks>
/// <param name="SymbolId">Interned symbol id.</param>
/// <param name="StrategyId">Evaluator id, <see cref="AllStrategies"/> for the symbol's total, or <see cref="Unattributed"/>
/// for fills of orders whose client order id names no evaluator of this core.</param>
/// <param name="NetQuantity">Bought − sold, 10⁻⁸ base units (negative = short).</param>
/// <param name="BoughtQuantity">Total bought, 10⁻⁸ base units.</param>
/// <param name="SoldQuantity">Total sold, 10⁻⁸ base units.</param>
/// <param name="BuyNotional">Σ price × quantity of buys, rounded up per fill, 10⁻⁸ quote units.</param>
/// <param name="SellNotional">Σ price × quantity of sells, rounded down per fill, 10⁻⁸ quote units.</param>
/// <param name="Commission">Σ commissions (Binance <c>n</c>), 10⁻⁸ quote units.</param>
/// <param name="Fills">Fill reports applied.</param>
/// <param name="MarkPrice">The mark used for <see cref="MarkToMarket"/>, 10⁻⁸ units; 0 when the core had no book or bookTicker.</param>
public readonly record struct LedgerPosition(
    int SymbolId,
    int StrategyId,
    long NetQuantity,
    long BoughtQuantity,
    long SoldQuantity,
    long BuyNotional,
    long SellNotional,
    long Commission,
    long Fills,
    long MarkPrice)
{
    /// <summary><see cref="StrategyId"/> of a symbol's total over all strategies.</summary>
    public const int AllStrategies = -1;

    /// <summary><see cref="StrategyId"/> of fills whose client order id names no evaluator of the core.</summary>
    public const int Unattributed = -2;

    /// <summary>Cash: <see cref="SellNotional"/> − <see cref="BuyNotional"/> − <see cref="Commission"/>, 10⁻⁸ quote units.</summary>
    public long Cash => SellNotional - BuyNotional - Commission;

    /// <summary>Cash + <see cref="NetQuantity"/> × <see cref="MarkPrice"/>, 10⁻⁸ quote units; null when the position is not
    /// flat and there is no mark.</summary>
    public long? MarkToMarket => NetQuantity == 0 ? Cash
        : MarkPrice > 0 ? Cash + (long)Matching.MatchingMath.FloorDivide((Int128)NetQuantity * MarkPrice, Model.FixedPoint.Scale)
        : null;
}
