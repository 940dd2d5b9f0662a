using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests;

/// <summary>Property tests of the fixed-point text round-trip the decoder relies on.</summary>
[TestFixture]
public sealed class FixedPointTests
{
    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property ShouldRoundTrip_WhenFormattingAnyLong() =>
        Prop.ForAll(AnyUnits(), units =>
        {
            // Arrange
            Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength];

            // Act
            var length = FixedPoint.Format(units, buffer);
            var status = FixedPoint.TryParse(buffer[..length], out var parsed);

            // Assert
            return status == FixedPointParseStatus.Ok && parsed == units;
        });

    [TestCase(long.MaxValue)]
    [TestCase(long.MinValue + 1)]
    [TestCase(0L)]
    [TestCase(1L)]
    [TestCase(-1L)]
    [TestCase(9_223_372_036_800_000_000L)]
    public void ShouldRoundTrip_WhenFormattingExtremes(long units)
    {
        // Arrange
        Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength];

        // Act
        var length = FixedPoint.Format(units, buffer);
        var status = FixedPoint.TryParse(buffer[..length], out var parsed);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(FixedPointParseStatus.Ok));
            Assert.That(parsed, Is.EqualTo(units));
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property ShouldParseExactlyAndFormatCanonically_WhenDecimalStringHasAtMostEightDecimals() =>
        Prop.ForAll(AnyDecimalText(), text =>
        {
            // Arrange
            var value = decimal.Parse(text, CultureInfo.InvariantCulture);
            var expectedUnits = decimal.ToInt64(value * FixedPoint.Scale);
            var canonical = value == 0 ? "0" : value.ToString("0.########", CultureInfo.InvariantCulture);

            // Act
            var status = FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), out var units);
            var formatted = FixedPoint.ToString(units);

            // Assert
            return (status == FixedPointParseStatus.Ok && units == expectedUnits && formatted == canonical).Label($"{text} -> {status} {units} '{formatted}' (expected {expectedUnits} '{canonical}')");
        });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property ShouldRejectNinthDecimal_WhenFractionHasNineDigits() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 999_999_999).ToArbitrary(), (integerPart, fraction) =>
        {
            // Arrange
            var text = integerPart.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("D9", CultureInfo.InvariantCulture);

            // Act
            var status = FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), out _);

            // Assert
            return status == FixedPointParseStatus.TooManyDecimals;
        });

    /// <summary>Any long, <see cref="long.MinValue"/> included, biased to edges.</summary>
    private static Arbitrary<long> AnyUnits()
    {
        var wide = from hi in Gen.Choose(int.MinValue, int.MaxValue)
                   from lo in Gen.Choose(int.MinValue, int.MaxValue)
                   select ((long)hi << 32) | (uint)lo;
        var small = Gen.Choose(-1_000_000_000, 1_000_000_000).Select(v => (long)v);
        var edges = Gen.Elements(long.MaxValue, long.MinValue, long.MinValue + 1, 0L, 1L, -1L, FixedPoint.Scale, -FixedPoint.Scale, 9_223_372_036_800_000_000L);
        return Gen.Frequency((6, wide), (3, small), (1, edges)).ToArbitrary();
    }

    /// <summary>Decimal text with an integer part up to Binance's maxQty and 0 to 8 decimals, trailing zeros and sign included.</summary>
    private static Arbitrary<string> AnyDecimalText()
    {
        var gen = from high in Gen.Frequency((1, Gen.Choose(0, 92_232)), (3, Gen.Constant(0)))
                  from low in Gen.Choose(0, 999_999)
                  from fractionLength in Gen.Choose(0, 8)
                  from fraction in Gen.Choose(0, 99_999_999)
                  from negative in Gen.Elements(false, false, true)
                  let integerPart = ((long)high * 1_000_000) + low
                  let digits = fractionLength == 0 ? "" : "." + (fraction % (int)Math.Pow(10, fractionLength)).ToString(CultureInfo.InvariantCulture).PadLeft(fractionLength, '0')
                  select (negative ? "-" : "") + integerPart.ToString(CultureInfo.InvariantCulture) + digits;
        return gen.ToArbitrary();
    }
}
