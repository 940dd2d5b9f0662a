namespace OptiFlow.Engine.Hosting.Export;

/// <summary>Exact conversions from the engine's fixed-point longs (10⁻⁸ units) to <see cref="decimal"/> for the Parquet writer.</summary>
/// <remarks>Allocation-free; thread-safe. Every long converts exactly: a decimal holds a 96-bit magnitude and a scale.</remarks>
internal static class FixedPointDecimal
{
    /// <summary>Decimal places of a fixed-point value.</summary>
    public const int Scale8 = 8;

    /// <summary>Decimal places of half a fixed-point value (a mid).</summary>
    public const int Scale9 = 9;

    /// <summary><paramref name="units"/> × 10⁻⁸, exactly.</summary>
    public static decimal FromUnits(long units) => Create((Int128)units, Scale8);

    /// <summary><paramref name="doubledUnits"/> / 2 × 10⁻⁸ = <paramref name="doubledUnits"/> × 5 × 10⁻⁹, exactly.</summary>
    public static decimal FromDoubledUnits(long doubledUnits) => Create((Int128)doubledUnits * 5, Scale9);

    private static decimal Create(Int128 scaled, int scale)
    {
        var negative = scaled < 0;
        var magnitude = (UInt128)(negative ? -scaled : scaled); // |scaled| < 2^66: fits the 96-bit mantissa
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)scale);
    }
}
