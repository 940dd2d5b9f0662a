namespace OptiFlow.Engine.Model;

/// <summary>Outcome of <see cref="FixedPoint.TryParse"/> and <see cref="FixedPoint.TryParseInteger"/>.</summary>
public enum FixedPointParseStatus : byte
{
    /// <summary>The text is an exact value at the 10⁻⁸ scale.</summary>
    Ok = 0,

    /// <summary>No digits at all.</summary>
    Empty,

    /// <summary>A character other than a digit, one leading minus and one decimal point (an exponent, a space, a letter).</summary>
    InvalidCharacter,

    /// <summary>More than 8 decimal digits: the value cannot be held exactly (ARCHITECTURE "Numbers").</summary>
    TooManyDecimals,

    /// <summary>The magnitude exceeds <see cref="long.MaxValue"/> units.</summary>
    Overflow,
}
