namespace OptiFlow.Engine.Matching;

/// <summary>Fixed-point arithmetic of the matching engine: notionals and commissions with explicit rounding.</summary>
/// <remarks>Pure functions: thread-safe and allocation-free. Products are <see cref="Int128"/> so they cannot overflow.</remarks>
public static class MatchingMath
{
    /// <summary>10⁸: one unit in fixed point.</summary>
    public const long Scale = 100_000_000;

    /// <summary>One basis point as a fixed-point rate (0.0001 × 10⁸).</summary>
    public const long BasisPoint = 10_000;

    /// <summary>Notional of a fill, rounded up, 10⁻⁸ quote units.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units.</param>
    /// <returns>⌈price × quantity / 10⁸⌉.</returns>
    public static long NotionalCeiling(long price, long quantity) => (long)CeilingDivide((Int128)price * quantity, Scale);

    /// <summary>Notional of a fill, rounded down, 10⁻⁸ quote units.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units.</param>
    /// <returns>⌊price × quantity / 10⁸⌋.</returns>
    public static long NotionalFloor(long price, long quantity) => (long)FloorDivide((Int128)price * quantity, Scale);

    /// <summary>Commission of a fill, rounded up, 10⁻⁸ quote units.</summary>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units.</param>
    /// <param name="rate">Fee rate as a fixed-point fraction (10⁻⁸ units; 1 bp = <see cref="BasisPoint"/>); negative for a rebate.</param>
    /// <returns>⌈price × quantity × rate / 10¹⁶⌉.</returns>
    public static long Commission(long price, long quantity, long rate) => (long)CeilingDivide((Int128)price * quantity * rate, (Int128)Scale * Scale);

    /// <summary>Converts basis points to a fixed-point fee rate.</summary>
    /// <param name="basisPoints">Fee in basis points, e.g. 10 for spot's 0.1 %, 1.8 for 0.018 %.</param>
    /// <returns>The rate in 10⁻⁸ units.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When the rate is not a whole number of 10⁻⁸ or its magnitude exceeds 10,000 bp.</exception>
    /// <remarks>Cold path (configuration).</remarks>
    public static long RateFromBasisPoints(decimal basisPoints)
    {
        if (basisPoints is > 10_000m or < -10_000m)
        {
            throw new ArgumentOutOfRangeException(nameof(basisPoints), basisPoints, "A fee rate is at most 10,000 basis points in magnitude.");
        }

        var rate = basisPoints * BasisPoint;
        if (rate != decimal.Truncate(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(basisPoints), basisPoints, "A fee rate must be a whole number of 10⁻⁸.");
        }

        return (long)rate;
    }

    /// <summary>⌊a / b⌋ for b &gt; 0.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor, positive.</param>
    /// <returns>The quotient rounded toward negative infinity.</returns>
    public static Int128 FloorDivide(Int128 a, Int128 b)
    {
        var q = a / b;
        return (a % b != 0 && a < 0) ? q - 1 : q;
    }

    /// <summary>⌈a / b⌉ for b &gt; 0.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor, positive.</param>
    /// <returns>The quotient rounded toward positive infinity.</returns>
    public static Int128 CeilingDivide(Int128 a, Int128 b)
    {
        var q = a / b;
        return (a % b != 0 && a > 0) ? q + 1 : q;
    }
}
