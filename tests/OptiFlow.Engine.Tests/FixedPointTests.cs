using OptiFlow.Testing;
using System.Globalization;
using System.Numerics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Tests;

public class FixedPointTests
{
    [TestCase("28145.10", 2814510000000L)]
    [TestCase("0.00000001", 1L)]
    [TestCase("92233720368.54775807", long.MaxValue)]
    [TestCase("-0.0001", -10000L)]
    [TestCase("3", 300000000L)]
    [TestCase("0", 0L)]
    [TestCase("-0", 0L)]
    [TestCase("0.00000000", 0L)]
    [TestCase("007.50", 750000000L)]
    [TestCase("92233720368", 9223372036800000000L)]
    public void ShouldParseExactValue_WhenTextIsAValidDecimal(string text, long expected)
    {
        // Arrange
        var utf8 = Encoding.ASCII.GetBytes(text);

        // Act
        var status = FixedPoint.TryParse(utf8, out var value);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(FixedPointParseStatus.Ok));
            Assert.That(value, Is.EqualTo(expected));
        });
    }

    [TestCase("", FixedPointParseStatus.Empty)]
    [TestCase("-", FixedPointParseStatus.Empty)]
    [TestCase("1e5", FixedPointParseStatus.InvalidCharacter)]
    [TestCase("abc", FixedPointParseStatus.InvalidCharacter)]
    [TestCase("1.2.3", FixedPointParseStatus.InvalidCharacter)]
    [TestCase(" 1", FixedPointParseStatus.InvalidCharacter)]
    [TestCase("+1", FixedPointParseStatus.InvalidCharacter)]
    [TestCase("1.", FixedPointParseStatus.InvalidCharacter)]
    [TestCase(".5", FixedPointParseStatus.InvalidCharacter)]
    [TestCase("1.123456789", FixedPointParseStatus.TooManyDecimals)]
    [TestCase("0.000000001", FixedPointParseStatus.TooManyDecimals)]
    [TestCase("92233720368.54775808", FixedPointParseStatus.Overflow)]
    [TestCase("92233720369", FixedPointParseStatus.Overflow)]
    [TestCase("99999999999999999999999", FixedPointParseStatus.Overflow)]
    public void ShouldReturnTypedError_WhenTextIsNotAnExactFixedPointValue(string text, FixedPointParseStatus expected)
    {
        // Arrange
        var utf8 = Encoding.ASCII.GetBytes(text);

        // Act
        var status = FixedPoint.TryParse(utf8, out var value);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(expected));
            Assert.That(value, Is.Zero, "value must be 0 on failure");
        });
    }

    [TestCase(2814510000000L, "28145.1")]
    [TestCase(386800000L, "3.868")]
    [TestCase(1L, "0.00000001")]
    [TestCase(0L, "0")]
    [TestCase(-200000000L, "-2")]
    [TestCase(-10000L, "-0.0001")]
    [TestCase(100000000L, "1")]
    [TestCase(long.MaxValue, "92233720368.54775807")]
    [TestCase(long.MinValue, "-92233720368.54775808")]
    public void ShouldFormatCanonically_WhenFormattingUnits(long units, string expected)
    {
        // Arrange
        Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength];

        // Act
        var length = FixedPoint.Format(units, buffer);
        var written = Encoding.ASCII.GetString(buffer[..length]);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(expected));
            Assert.That(FixedPoint.ToString(units), Is.EqualTo(expected));
        });
    }

    [TestCase(3L, "0.000000015")]
    [TestCase(-3L, "-0.000000015")]
    [TestCase(4L, "0.00000002")]
    [TestCase(2814510000001L + 2814520000000L, "28145.150000005")]
    [TestCase(long.MaxValue, "46116860184.273879035")]
    [TestCase(long.MinValue, "-46116860184.27387904")]
    public void ShouldFormatExactHalf_WhenSumIsOddOrEven(long doubledUnits, string expected)
    {
        // Arrange
        Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength + 1];

        // Act
        var length = FixedPoint.FormatHalf(doubledUnits, buffer);

        // Assert
        Assert.That(Encoding.ASCII.GetString(buffer[..length]), Is.EqualTo(expected));
    }

    [Test]
    public void ShouldThrow_WhenDestinationTooSmall()
    {
        // Arrange
        var buffer = new byte[FixedPoint.MaxFormattedLength - 1];

        // Act / Assert
        Assert.That(() => FixedPoint.Format(1, buffer), Throws.ArgumentException);
    }

    [Test]
    public void ShouldRoundTrip_WhenValueIsLongMinValue()
    {
        // Arrange
        Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength];
        var length = FixedPoint.Format(long.MinValue, buffer);

        // Act
        var status = FixedPoint.TryParse(buffer[..length], out var parsed);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(FixedPointParseStatus.Ok));
            Assert.That(parsed, Is.EqualTo(long.MinValue));
        });
    }

    [TestCase("0", 0L)]
    [TestCase("1700000000000", 1700000000000L)]
    [TestCase("-5", -5L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    public void ShouldParseInteger_WhenTextIsAnInteger(string text, long expected)
    {
        // Arrange
        var utf8 = Encoding.ASCII.GetBytes(text);

        // Act
        var status = FixedPoint.TryParseInteger(utf8, out var value);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(FixedPointParseStatus.Ok));
            Assert.That(value, Is.EqualTo(expected));
        });
    }

    [TestCase("", FixedPointParseStatus.Empty)]
    [TestCase("1.5", FixedPointParseStatus.InvalidCharacter)]
    [TestCase("9223372036854775808", FixedPointParseStatus.Overflow)]
    public void ShouldReturnTypedError_WhenIntegerTextIsInvalid(string text, FixedPointParseStatus expected)
    {
        // Act
        var status = FixedPoint.TryParseInteger(Encoding.ASCII.GetBytes(text), out _);

        // Assert
        Assert.That(status, Is.EqualTo(expected));
    }

    /// <summary>Longs spread over every magnitude: four random 16-bit words, shifted right by a random amount.</summary>
    private static Arbitrary<long> AnyLong()
    {
        var word = Gen.Choose(0, 0xFFFF);
        var gen =
            from w0 in word
            from w1 in word
            from w2 in word
            from w3 in word
            from shift in Gen.Choose(0, 63)
            from negative in Gen.Elements(true, false)
            let magnitude = (long)((((ulong)(uint)w3 << 48) | ((ulong)(uint)w2 << 32) | ((ulong)(uint)w1 << 16) | (uint)w0) >> (shift + 1))
            select negative ? -magnitude : magnitude;
        var edges = Gen.Elements(0L, 1L, -1L, long.MaxValue, long.MinValue + 1, FixedPoint.Scale, -FixedPoint.Scale, 99_999_999L);
        return Gen.Frequency((9, gen), (1, edges)).ToArbitrary();
    }

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property ShouldRoundTrip_WhenFormattingThenParsingAnyLong() =>
        Prop.ForAll(AnyLong(), units =>
        {
            Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength];
            var length = FixedPoint.Format(units, buffer);
            var status = FixedPoint.TryParse(buffer[..length], out var parsed);
            return status == FixedPointParseStatus.Ok && parsed == units;
        });

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property ShouldMatchDecimalArithmetic_WhenParsingRandomDecimalStrings()
    {
        var digit = Gen.Choose(0, 9).Select(d => (char)('0' + d));
        var gen =
            from integerDigits in Gen.Choose(1, 11)
            from integer in Gen.ArrayOf(digit, integerDigits)
            from fractionDigits in Gen.Choose(0, 8)
            from fraction in Gen.ArrayOf(digit, fractionDigits)
            from negative in Gen.Elements(true, false)
            select (negative ? "-" : string.Empty) + new string(integer) + (fractionDigits > 0 ? "." + new string(fraction) : string.Empty);
        return Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var expected = decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * FixedPoint.Scale;
            var status = FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), out var parsed);
            var fits = expected <= long.MaxValue && expected >= -long.MaxValue;
            return fits
                ? status == FixedPointParseStatus.Ok && parsed == (long)expected
                : status == FixedPointParseStatus.Overflow;
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 1000)]
    public Property ShouldEqualBigIntegerHalf_WhenFormattingHalfOfAnyLong() =>
        Prop.ForAll(AnyLong(), doubled =>
        {
            Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength + 1];
            var length = FixedPoint.FormatHalf(doubled, buffer);
            var text = Encoding.ASCII.GetString(buffer[..length]);

            // Half of doubled in 10⁻⁹ units is doubled * 5, exactly.
            var expected = new BigInteger(doubled) * 5;
            var parsed = decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 1_000_000_000m;
            return new BigInteger(parsed) == expected && !text.EndsWith('.') && (!text.Contains('.', StringComparison.Ordinal) || !text.EndsWith('0'));
        });

    [Test]
    public void ShouldNotAllocate_WhenParsingAndFormatting()
    {
        // Arrange
        var text = "28145.10"u8.ToArray();
        var buffer = new byte[FixedPoint.MaxFormattedLength + 1];
        long sink = 0;

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            FixedPoint.TryParse(text, out var value);
            sink += value + FixedPoint.Format(value, buffer) + FixedPoint.FormatHalf(value + 1, buffer);
        });
        Assert.That(sink, Is.Not.Zero);
    }
}
