namespace OptiFlow.Engine.Matching;

/// <summary>
/// The participant's account on one symbol as the <see cref="MatchingEngine"/> filled it: net base quantity and quote
/// cash, both from zero at construction. Base in 10⁻⁸ units, quote in 10⁻⁸ quote units.
/// </summary>
/// <remarks>
/// Cash = proceeds of sells − cost of buys − commissions. A buy's cost rounds up and a sell's proceeds round down to
/// 10⁻⁸ quote units, and commissions round up, so rounding never flatters the result. Immutable value; allocation-free.
/// </remarks>
/// <param name="NetQuantity">Bought minus sold, 10⁻⁸ base units (negative = short).</param>
/// <param name="Cash">Quote cash, 10⁻⁸ quote units, commissions included.</param>
/// <param name="Commission">Total commissions charged, 10⁻⁸ quote units.</param>
/// <param name="BoughtQuantity">Total bought, 10⁻⁸ base units.</param>
/// <param name="SoldQuantity">Total sold, 10⁻⁸ base units.</param>
/// <param name="FillCount">Number of fills.</param>
public readonly record struct Position(long NetQuantity, long Cash, long Commission, long BoughtQuantity, long SoldQuantity, long FillCount)
{
    /// <summary>Mark-to-market PnL: <see cref="Cash"/> + <see cref="NetQuantity"/> × <paramref name="markPrice"/>.</summary>
    /// <param name="markPrice">Price to value the position at, 10⁻⁸ units (a mid, last trade or mark price).</param>
    /// <returns>PnL in 10⁻⁸ quote units, the position's value rounded toward negative infinity.</returns>
    /// <remarks>Allocation-free; the product is computed in <see cref="Int128"/>.</remarks>
    public long MarkToMarket(long markPrice) => Cash + (long)MatchingMath.FloorDivide((Int128)NetQuantity * markPrice, MatchingMath.Scale);
}
