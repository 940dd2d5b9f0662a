using System.CommandLine;

namespace OptiFlow.Cli.Configuration;

/// <summary>
/// A configuration file checked against the command tree: its top-level keys (options of any command) and, per
/// command, the keys of its section (<c>[run]</c>, <c>[journal.export]</c>), each with its location.
/// </summary>
/// <param name="File">The file's path as given.</param>
internal sealed record ConfigDocument(string File)
{
    /// <summary>Top-level keys: they apply to every command that has the option.</summary>
    public Dictionary<string, ConfigValue> TopLevel { get; } = new(StringComparer.Ordinal);

    /// <summary>Each command's section; its keys win over the top level's.</summary>
    public Dictionary<Command, Dictionary<string, ConfigValue>> Sections { get; } = [];

    /// <summary>The value of <paramref name="key"/> for <paramref name="command"/>: its section's, else the top level's.</summary>
    public ConfigValue? ValueFor(Command command, string key) =>
        Sections.TryGetValue(command, out var section) && section.TryGetValue(key, out var value) ? value
        : TopLevel.GetValueOrDefault(key);
}
