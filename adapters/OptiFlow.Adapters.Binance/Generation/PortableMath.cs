namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>
/// <c>exp</c> and <c>ln</c> from IEEE-754 basic operations only (add, multiply, divide, exact power-of-two scaling), so
/// that the generator's prices do not depend on the platform's libm, whose last bit may differ between operating
/// systems and CPUs; <c>Math.Exp</c> and <c>Math.Log</c> are not used.
/// </summary>
/// <remarks>Relative error below 1e-15 over the generator's range (|x| &lt; 700); allocation-free.</remarks>
internal static class PortableMath
{
    private const double Ln2 = 0.6931471805599453094172321;

    // ln 2 split (Cody and Waite, as fdlibm): the high part has 32 trailing zero bits, so k × Ln2Hi is exact for |k| &lt; 2^20.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>e^<paramref name="x"/>: x = k ln 2 + r with |r| ≤ ln 2 / 2, (ln 2 in two parts), then a Taylor series of e^r and an exact scale by 2^k.</summary>
    public static double Exp(double x)
    {
        if (x is > 700 or < -700)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Outside the generator's range.");
        }

        var k = Math.Round(x / Ln2, MidpointRounding.ToEven);
        var r = (x - (k * Ln2Hi)) - (k * Ln2Lo);
        var term = 1.0;
        var sum = 1.0;
        for (var n = 1; n <= 22; n++)
        {
            term = term * r / n;
            sum += term;
        }

        return Math.ScaleB(sum, (int)k);
    }

    /// <summary>ln <paramref name="x"/> for x &gt; 0: x = m 2^e with m in [1, 2), ln m = 2 atanh((m − 1)/(m + 1)) by its series.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Must be positive and finite.");
        }

        var e = Math.ILogB(x);
        var m = Math.ScaleB(x, -e);
        if (m > 1.4142135623730951)
        {
            m /= 2;
            e++;
        }

        var z = (m - 1) / (m + 1);
        var z2 = z * z;
        var power = z;
        var sum = 0.0;
        for (var n = 1; n <= 41; n += 2)
        {
            sum += power / n;
            power *= z2;
        }

        return (2 * sum) + (e * Ln2);
    }
}
