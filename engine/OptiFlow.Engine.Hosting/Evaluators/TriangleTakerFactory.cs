using System.Text;
using System.Text.Json;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>Builds the <see cref="TriangleTaker"/> strategy; its configuration is its <see cref="TriangleTakerOptions"/>
/// as JSON. List it after a <see cref="TriangleEvaluatorFactory"/> in <see cref="EngineOptions.Evaluators"/>.</summary>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed class TriangleTakerFactory : EvaluatorFactory
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Creates the factory.</summary>
    /// <param name="options">The strategy's options (validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TriangleTakerFactory(TriangleTakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The strategy's options.</summary>
    public TriangleTakerOptions Options { get; }

    /// <inheritdoc/>
    public override string Name => TriangleTaker.Key;

    /// <inheritdoc/>
    public override string Configuration => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Options, Json));

    /// <summary>Parses a recorded configuration.</summary>
    /// <param name="configuration">JSON written by <see cref="Configuration"/>.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static TriangleTakerFactory Parse(string configuration) =>
        new(JsonSerializer.Deserialize<TriangleTakerOptions>(configuration, Json) ?? throw new JsonException("null configuration"));

    /// <inheritdoc/>
    public override Evaluator Create(SymbolTable symbols) => new TriangleTaker(Options);
}
