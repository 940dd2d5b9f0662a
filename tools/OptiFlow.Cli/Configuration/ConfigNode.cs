namespace OptiFlow.Cli.Configuration;

/// <summary>An entry of a configuration file: a table (<see cref="ConfigTable"/>) or a value (<see cref="ConfigValue"/>).</summary>
/// <param name="KeyLocation">Where its key starts.</param>
/// <param name="ValueLocation">Where its value starts.</param>
internal abstract record ConfigNode(ConfigLocation KeyLocation, ConfigLocation ValueLocation);
