using System.Globalization;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>How fast the simulator replays a recording: at the recorded pace, N times faster, or as fast as clients read.</summary>
/// <remarks>Immutable value; thread-safe. Parsing allocates nothing beyond the result.</remarks>
public readonly record struct SimulatorPace
{
    private SimulatorPace(double speed) => Speed = speed;

    /// <summary>The recorded pace (<c>original</c>).</summary>
    public static SimulatorPace Original => new(1);

    /// <summary>As fast as the slowest connected client reads (<c>max</c>); the feed pauses while no client is connected.</summary>
    public static SimulatorPace Max => new(double.PositiveInfinity);

    /// <summary>Speed-up over the recorded pace; <see cref="double.PositiveInfinity"/> for <see cref="Max"/>.</summary>
    public double Speed { get; }

    /// <summary>Whether this is <see cref="Max"/>.</summary>
    public bool IsMax => double.IsPositiveInfinity(Speed);

    /// <summary>N times the recorded pace.</summary>
    /// <param name="speed">Speed-up, above 0.</param>
    /// <returns>The pace.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="speed"/> is not above 0.</exception>
    public static SimulatorPace Times(double speed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        return new SimulatorPace(speed);
    }

    /// <summary>Parses <c>original</c>, <c>max</c> or <c>xN</c> (<c>x10</c>, <c>x0.5</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="pace">The pace.</param>
    /// <returns>Whether the text is a pace.</returns>
    public static bool TryParse(string? text, out SimulatorPace pace)
    {
        pace = Original;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "original" or "x1":
                return true;
            case "max":
                pace = Max;
                return true;
            case { Length: > 1 } t when t[0] == 'x'
                && double.TryParse(t.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && speed > 0 && double.IsFinite(speed):
                pace = new SimulatorPace(speed);
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsMax ? "max" : Speed == 1 ? "original" : string.Create(CultureInfo.InvariantCulture, $"x{Speed}");
}
