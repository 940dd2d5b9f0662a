using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Model;

/// <summary>
/// Exact fixed-point arithmetic at Binance's own scale: every price and quantity is a <see cref="long"/> count of
/// 10⁻⁸ units (ARCHITECTURE "Numbers").
/// </summary>
/// <remarks>
/// Binance publishes prices and quantities as decimal strings with at most 8 decimals, and its largest
/// <c>maxQty</c> (92233720368) is <see cref="long.MaxValue"/> / 10⁸, so the scale loses nothing and never overflows
/// on valid data. Parsing is exact: a 9th decimal or a value beyond <see cref="long.MaxValue"/> is an error, never a
/// rounding. Formatting is exact and canonical (no trailing zeros, no exponent).
/// All members are thread-safe (pure functions) and allocation-free, except <see cref="ToString(long)"/>.
/// </remarks>
public static class FixedPoint
{
    /// <summary>Number of decimal digits carried: 8.</summary>
    public const int Decimals = 8;

    /// <summary>Units per whole: 10⁸.</summary>
    public const long Scale = 100_000_000;

    /// <summary>Longest text <see cref="Format"/> can write: sign, 19 digits and the decimal point.</summary>
    public const int MaxFormattedLength = 21;

    private static readonly ulong[] PowersOfTen =
    [
        1UL, 10UL, 100UL, 1_000UL, 10_000UL, 100_000UL, 1_000_000UL, 10_000_000UL, 100_000_000UL,
    ];

    /// <summary>
    /// Parses an ASCII decimal such as <c>28145.10</c>, <c>-0.00010000</c> or <c>3</c> into 10⁻⁸ units.
    /// </summary>
    /// <param name="utf8">The digits, without JSON quotes.</param>
    /// <param name="value">The parsed value in 10⁻⁸ units; 0 when the result is not <see cref="FixedPointParseStatus.Ok"/>.</param>
    /// <returns>
    /// <see cref="FixedPointParseStatus.Ok"/>, or the reason the text is not an exact fixed-point number:
    /// empty, a non-digit character (including an exponent), more than 8 decimals, or a magnitude above
    /// <see cref="long.MaxValue"/> units.
    /// </returns>
    /// <remarks>Allocation-free; never throws.</remarks>
    public static FixedPointParseStatus TryParse(ReadOnlySpan<byte> utf8, out long value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (utf8.Length > 0 && utf8[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        if (i >= utf8.Length)
        {
            return FixedPointParseStatus.Empty;
        }

        ulong mantissa = 0;
        var integerDigits = 0;
        var fractionDigits = 0;
        var seenPoint = false;
        for (; i < utf8.Length; i++)
        {
            var c = utf8[i];
            var digit = (uint)(c - '0');
            if (digit <= 9)
            {
                if (seenPoint)
                {
                    if (++fractionDigits > Decimals)
                    {
                        return FixedPointParseStatus.TooManyDecimals;
                    }
                }
                else
                {
                    integerDigits++;
                }

                if (mantissa > (ulong.MaxValue - digit) / 10)
                {
                    return FixedPointParseStatus.Overflow;
                }

                mantissa = (mantissa * 10) + digit;
            }
            else if (c == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                return FixedPointParseStatus.InvalidCharacter;
            }
        }

        if (integerDigits == 0 || (seenPoint && fractionDigits == 0))
        {
            return integerDigits == 0 && fractionDigits == 0 ? FixedPointParseStatus.Empty : FixedPointParseStatus.InvalidCharacter;
        }

        // A negative value may reach 2^63 units (long.MinValue); a positive one long.MaxValue.
        var multiplier = PowersOfTen[Decimals - fractionDigits];
        var limit = negative ? (ulong)long.MaxValue + 1 : (ulong)long.MaxValue;
        if (mantissa > limit / multiplier || mantissa * multiplier > limit)
        {
            return FixedPointParseStatus.Overflow;
        }

        var scaled = mantissa * multiplier;
        value = negative ? (long)(0 - scaled) : (long)scaled;
        return FixedPointParseStatus.Ok;
    }

    /// <summary>
    /// Parses a JSON integer (such as an update id or a millisecond timestamp) as a plain <see cref="long"/>.
    /// </summary>
    /// <returns><see cref="FixedPointParseStatus.Ok"/> or the reason it is not a <see cref="long"/>.</returns>
    /// <remarks>Allocation-free; never throws. A leading minus is accepted.</remarks>
    public static FixedPointParseStatus TryParseInteger(ReadOnlySpan<byte> utf8, out long value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (utf8.Length > 0 && utf8[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        if (i >= utf8.Length)
        {
            return FixedPointParseStatus.Empty;
        }

        ulong magnitude = 0;
        for (; i < utf8.Length; i++)
        {
            var digit = (uint)(utf8[i] - '0');
            if (digit > 9)
            {
                return FixedPointParseStatus.InvalidCharacter;
            }

            if (magnitude > (ulong)(long.MaxValue - digit) / 10)
            {
                return FixedPointParseStatus.Overflow;
            }

            magnitude = (magnitude * 10) + digit;
        }

        value = negative ? -(long)magnitude : (long)magnitude;
        return FixedPointParseStatus.Ok;
    }

    /// <summary>
    /// Writes <paramref name="units"/> (10⁻⁸ units) as a canonical decimal: no trailing zeros after the point, no
    /// point for whole numbers, no exponent (<c>28145.1</c>, <c>3.868</c>, <c>0.00000001</c>, <c>-2</c>).
    /// </summary>
    /// <param name="units">The value in 10⁻⁸ units.</param>
    /// <param name="destination">At least <see cref="MaxFormattedLength"/> bytes.</param>
    /// <returns>The number of ASCII bytes written.</returns>
    /// <remarks>Allocation-free. Throws <see cref="ArgumentException"/> when the destination is too small.</remarks>
    public static int Format(long units, Span<byte> destination) => FormatScaled(units, Decimals, destination);

    /// <summary>
    /// Writes half of <paramref name="doubledUnits"/> exactly, e.g. the mid price <c>(bid + ask) / 2</c> from the
    /// sum <c>bid + ask</c>; an odd sum gives a 9th decimal digit 5.
    /// </summary>
    /// <param name="doubledUnits">Twice the value, in 10⁻⁸ units.</param>
    /// <param name="destination">At least <see cref="MaxFormattedLength"/> + 1 bytes.</param>
    /// <returns>The number of ASCII bytes written.</returns>
    /// <remarks>Allocation-free.</remarks>
    public static int FormatHalf(long doubledUnits, Span<byte> destination)
    {
        if ((doubledUnits & 1) == 0)
        {
            return Format(doubledUnits / 2, destination);
        }

        // An odd sum: value = doubledUnits * 5 in 10⁻⁹ units. |doubledUnits| <= 2^63, so use Int128.
        return FormatScaled((Int128)doubledUnits * 5, Decimals + 1, destination);
    }

    /// <summary>Returns <paramref name="units"/> as a canonical decimal string (allocates the string).</summary>
    /// <param name="units">The value in 10⁻⁸ units.</param>
    /// <returns>The canonical decimal text.</returns>
    public static string ToString(long units)
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        var length = Format(units, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..length]);
    }

    /// <summary>Converts 10⁻⁸ units to the nearest <see cref="double"/> (for derived ratios only, never for orders).</summary>
    /// <param name="units">The value in 10⁻⁸ units.</param>
    /// <returns>The value in whole units.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(long units) => units / (double)Scale;

    private static int FormatScaled(Int128 value, int decimals, Span<byte> destination)
    {
        var required = MaxFormattedLength + (decimals - Decimals);
        if (destination.Length < required)
        {
            throw new ArgumentException("Destination too small for a fixed-point value.", nameof(destination));
        }

        Span<byte> digits = stackalloc byte[48];
        var negative = value < 0;
        var magnitude = negative ? (UInt128)(-value) : (UInt128)value;
        var count = 0;
        do
        {
            digits[count++] = (byte)('0' + (int)(magnitude % 10));
            magnitude /= 10;
        }
        while (magnitude != 0);

        while (count <= decimals)
        {
            digits[count++] = (byte)'0';
        }

        // digits[0..decimals) are the fraction (least significant first); strip trailing zeros.
        var fractionStart = 0;
        while (fractionStart < decimals && digits[fractionStart] == (byte)'0')
        {
            fractionStart++;
        }

        var written = 0;
        if (negative)
        {
            destination[written++] = (byte)'-';
        }

        for (var d = count - 1; d >= decimals; d--)
        {
            destination[written++] = digits[d];
        }

        if (fractionStart < decimals)
        {
            destination[written++] = (byte)'.';
            for (var d = decimals - 1; d >= fractionStart; d--)
            {
                destination[written++] = digits[d];
            }
        }

        return written;
    }
}
