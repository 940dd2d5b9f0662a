using System.Text.Json;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>Builds the <see cref="TriangleTaker"/> strategy; its configuration is its <see cref="TriangleTakerOptions"/>
/// as JSON. List it after a <see cref="TriangleEvaluatorFactory"/> in <see cref="EngineOptions.Evaluators"/>.</summary>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed class TriangleTakerFactory : JsonOptionsFactory<TriangleTakerOptions>
{
    /// <summary>Creates the factory.</summary>
    /// <param name="options">The strategy's options (validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TriangleTakerFactory(TriangleTakerOptions options)
        : base(options) => options.Validate();

    /// <inheritdoc/>
    public override string Name => TriangleTaker.Key;

    /// <summary>Parses a recorded configuration.</summary>
    /// <param name="configuration">JSON written by <see cref="JsonOptionsFactory{TOptions}.Configuration"/>.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static TriangleTakerFactory Parse(string configuration) => new(ReadOptions(configuration));

    /// <inheritdoc/>
    public override Evaluator Create(SymbolTable symbols) => new TriangleTaker(Options);
}
