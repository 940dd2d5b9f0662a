namespace OptiFlow.Cli.Configuration;

/// <summary>
/// One option's (or the FILE argument's) value taken from a configuration file or an environment variable, as the
/// command-line tokens that give it.
/// </summary>
/// <param name="Symbol">The option, or the FILE argument.</param>
/// <param name="Key">Its configuration key (<c>core-cpu</c>, <c>files</c>).</param>
/// <param name="Tokens">The tokens (<c>--core-cpu=1</c>; file names for FILE).</param>
/// <param name="Source">Where it came from: <c>FILE:LINE:COLUMN</c> or <c>environment NAME=VALUE</c>.</param>
/// <param name="Location">The file location, or null for the environment.</param>
internal sealed record ConfiguredValue(System.CommandLine.Symbol Symbol, string Key, IReadOnlyList<string> Tokens, string Source, ConfigLocation? Location)
{
    /// <summary>Whether these are positional arguments (FILE), which go after <c>--</c>.</summary>
    public bool IsPositional => Symbol is System.CommandLine.Argument;
}
