using System.Text;
using System.Text.Json;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>
/// A factory whose configuration is an options record serialised as camelCase JSON: the strategies' factories
/// (<see cref="ObiMakerFactory"/>, <see cref="TriangleTakerFactory"/>) share how they record and parse themselves.
/// </summary>
/// <typeparam name="TOptions">The options record; serialisable by System.Text.Json.</typeparam>
/// <remarks>Immutable: thread-safe.</remarks>
public abstract class JsonOptionsFactory<TOptions> : EvaluatorFactory
    where TOptions : class
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Creates the factory.</summary>
    /// <param name="options">The options (the subclass validates them).</param>
    protected JsonOptionsFactory(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options.</summary>
    public TOptions Options { get; }

    /// <inheritdoc/>
    public override string Configuration => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Options, Json));

    /// <summary>Reads options written by <see cref="Configuration"/>.</summary>
    /// <param name="configuration">The JSON.</param>
    /// <returns>The options.</returns>
    /// <exception cref="JsonException">The JSON is malformed or null.</exception>
    protected static TOptions ReadOptions(string configuration) =>
        JsonSerializer.Deserialize<TOptions>(configuration, Json) ?? throw new JsonException("null configuration");
}
