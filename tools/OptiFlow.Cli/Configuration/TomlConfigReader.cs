using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace OptiFlow.Cli.Configuration;

/// <summary>
/// Reads a TOML configuration file into a <see cref="ConfigTable"/> whose every key and value carries its line and column.
/// </summary>
/// <remarks>
/// Tomlyn parses and validates the file (duplicate keys and tables, syntax: its diagnostics become errors at their
/// line and column) and gives each key's position through its metadata store; a value's position is found on its
/// key's line after the <c>=</c>. Cold path (once per command line); allocates the tree. Stateless: thread-safe.
/// </remarks>
internal static class TomlConfigReader
{
    /// <summary>Reads TOML text.</summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="file">The file's path as given (for locations).</param>
    /// <returns>The document.</returns>
    /// <exception cref="ConfigurationException">The text is not valid TOML: each error at its line and column.</exception>
    public static ConfigTable Read(string text, string file)
    {
        var syntax = SyntaxParser.Parse(text, file, validate: true);
        if (syntax.HasErrors)
        {
            throw new ConfigurationException(
                syntax.Diagnostics
                    .Where(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error)
                    .Select(d => ConfigError.At(new ConfigLocation(file, d.Span.Start.Line + 1, d.Span.Start.Column + 1), d.Message))
                    .ToList());
        }

        var store = new TomlMetadataStore();
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { SourceName = file, MetadataStore = store })
                ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new ConfigurationException([ConfigError.At(new ConfigLocation(file, e.Line ?? 1, e.Column ?? 1), FirstLine(e.Message))]);
        }

        var lines = text.Split('\n');
        var start = new ConfigLocation(file, 1, 1);
        var document = new ConfigTable(start, start);
        Fill(document, model, store, lines, file);
        return document;
    }

    private static void Fill(ConfigTable target, TomlTable source, TomlMetadataStore store, string[] lines, string file)
    {
        store.TryGetProperties(source, out var metadata);
        foreach (var (key, value) in source)
        {
            var keyLocation = new ConfigLocation(file, 1, 1);
            if (metadata is not null && metadata.TryGetProperty(key, out var property) && property is not null)
            {
                keyLocation = new ConfigLocation(file, property.Span.Start.Line + 1, property.Span.Start.Column + 1);
            }

            var valueLocation = ValueLocation(lines, keyLocation);
            if (value is TomlTable table)
            {
                var child = new ConfigTable(keyLocation, keyLocation);
                Fill(child, table, store, lines, file);
                target.Entries.Add(new(key, child));
            }
            else
            {
                target.Entries.Add(new(key, Value(value, keyLocation, valueLocation)));
            }
        }
    }

    private static ConfigValue Value(object? value, ConfigLocation keyLocation, ConfigLocation valueLocation)
    {
        switch (value)
        {
            case string s:
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.String, s);
            case long l:
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Integer, l.ToString(System.Globalization.CultureInfo.InvariantCulture));
            case double d:
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Float, ConfigValue.FloatText(d));
            case bool b:
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Boolean, ConfigValue.BooleanText(b));
            case TomlArray array:
                var result = new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Array, string.Empty);
                foreach (var item in array)
                {
                    result.Items.Add(Value(item, keyLocation, valueLocation));
                }

                return result;
            default:
                // Dates, arrays of tables: no option takes one.
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Other, value?.ToString() ?? string.Empty);
        }
    }

    /// <summary>Where the value after a key's <c>=</c> starts, on the key's line; the key's own place when there is none (a table).</summary>
    private static ConfigLocation ValueLocation(string[] lines, ConfigLocation key)
    {
        if (key.Line < 1 || key.Line > lines.Length)
        {
            return key;
        }

        var line = lines[key.Line - 1];
        var i = key.Column - 1;
        if (i < line.Length && line[i] is '"' or '\'')
        {
            // A quoted key: skip to its closing quote.
            var close = line.IndexOf(line[i], i + 1);
            i = close < 0 ? line.Length : close + 1;
        }

        var equals = i < line.Length ? line.IndexOf('=', i) : -1;
        if (equals < 0)
        {
            return key;
        }

        var value = equals + 1;
        while (value < line.Length && line[value] is ' ' or '\t')
        {
            value++;
        }

        return key with { Column = value + 1 };
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
