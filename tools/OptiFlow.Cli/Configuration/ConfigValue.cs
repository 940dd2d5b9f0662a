using System.Globalization;

namespace OptiFlow.Cli.Configuration;

/// <summary>A value of a configuration file: a scalar in its command-line spelling, or an array of values.</summary>
/// <param name="KeyLocation">Where its key starts.</param>
/// <param name="ValueLocation">Where the value starts.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Text">A scalar as it would be typed on the command line (invariant culture; <c>true</c>/<c>false</c>); empty for an array.</param>
internal sealed record ConfigValue(ConfigLocation KeyLocation, ConfigLocation ValueLocation, ConfigValueKind Kind, string Text)
    : ConfigNode(KeyLocation, ValueLocation)
{
    /// <summary>An array's items in order; empty for a scalar.</summary>
    public List<ConfigValue> Items { get; } = [];

    /// <summary>A boolean's command-line spelling.</summary>
    public static string BooleanText(bool value) => value ? "true" : "false";

    /// <summary>A float's command-line spelling (round-trippable, invariant).</summary>
    public static string FloatText(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
