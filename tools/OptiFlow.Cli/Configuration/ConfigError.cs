namespace OptiFlow.Cli.Configuration;

/// <summary>
/// One problem with a configured value: where it came from (<c>FILE:LINE:COLUMN</c>, or <c>environment NAME=VALUE</c>)
/// and what is wrong, printed as one line <c>SOURCE: MESSAGE</c>.
/// </summary>
/// <param name="Source">The file location or environment variable the value came from.</param>
/// <param name="Message">What is wrong, naming the key or option.</param>
/// <param name="Location">The file location, for ordering; null for the environment.</param>
internal sealed record ConfigError(string Source, string Message, ConfigLocation? Location = null)
{
    /// <summary>An error at a place in a file.</summary>
    public static ConfigError At(ConfigLocation location, string message) => new(location.ToString(), message, location);

    /// <inheritdoc/>
    public override string ToString() => $"{Source}: {Message}";
}
