using System.Text;
using System.Text.Json;

namespace OptiFlow.Cli.Configuration;

/// <summary>
/// Reads a JSON configuration file (an object of the same shape as the TOML one: <c>{"run": {"core-cpu": 0}}</c>) into
/// a <see cref="ConfigTable"/> whose every key and value carries its line and column.
/// </summary>
/// <remarks>
/// <see cref="Utf8JsonReader"/> reads the file (comments and trailing commas allowed); positions come from each
/// token's byte offset, turned into a 1-based line and a character column. A syntax error is reported at the line and
/// byte position the reader gives. Duplicate keys are errors. Cold path; allocates the tree. Stateless: thread-safe.
/// </remarks>
internal static class JsonConfigReader
{
    /// <summary>Reads JSON bytes.</summary>
    /// <param name="bytes">The file's contents (UTF-8, an optional BOM).</param>
    /// <param name="file">The file's path as given (for locations).</param>
    /// <returns>The document.</returns>
    /// <exception cref="ConfigurationException">The bytes are not a JSON object, or a key repeats: each error at its line and column.</exception>
    public static ConfigTable Read(byte[] bytes, string file)
    {
        var positions = new Positions(bytes, file);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var errors = new List<ConfigError>();
        var start = new ConfigLocation(file, 1, 1);
        var document = new ConfigTable(start, start);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                var at = reader.TokenType == JsonTokenType.None ? start : positions.At(reader.TokenStartIndex);
                throw new ConfigurationException([ConfigError.At(at, "a JSON configuration is one object: {\"run\": {\"core-cpu\": 0}}")]);
            }

            ReadObject(ref reader, document, positions, errors);
            while (reader.Read())
            {
                // Trailing content after the object (the reader itself refuses it unless it is whitespace or comments).
            }
        }
        catch (JsonException e)
        {
            errors.Add(ConfigError.At(new ConfigLocation(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), WithoutPosition(e.Message)));
        }

        return errors.Count > 0 ? throw new ConfigurationException(errors) : document;
    }

    private static void ReadObject(ref Utf8JsonReader reader, ConfigTable table, Positions positions, List<ConfigError> errors)
    {
        var seen = new Dictionary<string, ConfigLocation>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            var keyLocation = positions.At(reader.TokenStartIndex);
            reader.Read();
            var valueLocation = positions.At(reader.TokenStartIndex);
            ConfigNode node;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var child = new ConfigTable(keyLocation, valueLocation);
                ReadObject(ref reader, child, positions, errors);
                node = child;
            }
            else
            {
                node = ReadValue(ref reader, keyLocation, valueLocation, positions);
            }

            if (seen.TryGetValue(key, out var first))
            {
                errors.Add(ConfigError.At(keyLocation, $"duplicate key '{key}' (first at line {first.Line}, column {first.Column})"));
                continue;
            }

            seen.Add(key, keyLocation);
            table.Entries.Add(new(key, node));
        }
    }

    private static ConfigValue ReadValue(ref Utf8JsonReader reader, ConfigLocation keyLocation, ConfigLocation valueLocation, Positions positions)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.String, reader.GetString()!);
            case JsonTokenType.Number:
                var text = Encoding.UTF8.GetString(reader.ValueSpan);
                return new ConfigValue(keyLocation, valueLocation, reader.TryGetInt64(out _) ? ConfigValueKind.Integer : ConfigValueKind.Float, text);
            case JsonTokenType.True or JsonTokenType.False:
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Boolean, ConfigValue.BooleanText(reader.GetBoolean()));
            case JsonTokenType.StartArray:
                var array = new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Array, string.Empty);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(ref reader, keyLocation, positions.At(reader.TokenStartIndex), positions));
                }

                return array;
            case JsonTokenType.StartObject:
                // An object inside an array: no option takes one.
                reader.Skip();
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Other, "{…}");
            default:
                return new ConfigValue(keyLocation, valueLocation, ConfigValueKind.Other, "null");
        }
    }

    /// <summary>Strips the reader's " LineNumber: … | BytePositionInLine: …." suffix: the location says it.</summary>
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    /// <summary>Byte offsets to 1-based lines and character columns.</summary>
    private sealed class Positions(byte[] bytes, string file)
    {
        private readonly List<int> _lineStarts = LineStarts(bytes);

        public ConfigLocation At(long offset)
        {
            var index = _lineStarts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            var start = _lineStarts[line];
            var column = Encoding.UTF8.GetCharCount(bytes, start, (int)offset - start) + 1;
            return new ConfigLocation(file, line + 1, column);
        }

        private static List<int> LineStarts(byte[] bytes)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    starts.Add(i + 1);
                }
            }

            return starts;
        }
    }
}
