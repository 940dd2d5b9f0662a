using System.Text.Json;

namespace OptiFlow.Journal.Session;

/// <summary>The JSON settings of the session header and run summary records (camelCase, unknown properties ignored).</summary>
internal static class SessionRecordJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Parses a record payload; <paramref name="what"/> names the record in the error.</summary>
    /// <exception cref="JournalFormatException">The payload is not valid JSON for <typeparamref name="T"/>, or is JSON null.</exception>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JournalFormatException($"The {what} record is empty (JSON null).");
        }
        catch (JsonException e)
        {
            throw new JournalFormatException($"The {what} record is not valid JSON: {e.Message}");
        }
    }
}
