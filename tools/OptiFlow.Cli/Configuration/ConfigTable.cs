namespace OptiFlow.Cli.Configuration;

/// <summary>A table of a configuration file (the document itself, a TOML <c>[section]</c>, a JSON object).</summary>
/// <param name="KeyLocation">Where its key (or header) starts; the file's start for the document.</param>
/// <param name="ValueLocation">Where its contents start.</param>
internal sealed record ConfigTable(ConfigLocation KeyLocation, ConfigLocation ValueLocation) : ConfigNode(KeyLocation, ValueLocation)
{
    /// <summary>Its entries in file order; keys are unique (the readers refuse duplicates).</summary>
    public List<KeyValuePair<string, ConfigNode>> Entries { get; } = [];
}
