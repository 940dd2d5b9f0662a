using System.Text.Json;

namespace OptiFlow.Journal.Session;

/// <summary>The JSON settings of the session header and run summary records (camelCase, unknown properties ignored).</summary>
internal static class SessionRecordJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
