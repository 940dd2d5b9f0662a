namespace OptiFlow.Cli.Configuration;

/// <summary>
/// A configuration file or an <c>OPTIFLOW_*</c> environment variable could not be used (exit code 2 for a run, 1 for
/// <c>optiflow config check</c>); each error names its file, line and column or its variable.
/// </summary>
internal sealed class ConfigurationException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    /// <summary>Every error found, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
