using System.Text;
using System.Text.Json;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>Builds the <see cref="ObiMaker"/> strategy; its configuration is its <see cref="ObiMakerOptions"/> as JSON.</summary>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed class ObiMakerFactory : JsonOptionsFactory<ObiMakerOptions>
{
    /// <summary>Creates the factory.</summary>
    /// <param name="options">The strategy's options (validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ObiMakerFactory(ObiMakerOptions options)
        : base(options) => options.Validate();

    /// <inheritdoc/>
    public override string Name => ObiMaker.Key;

    /// <summary>Parses a recorded configuration.</summary>
    /// <param name="configuration">JSON written by <see cref="JsonOptionsFactory{TOptions}.Configuration"/>.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static ObiMakerFactory Parse(string configuration) => new(ReadOptions(configuration));

    /// <inheritdoc/>
    public override Evaluator Create(SymbolTable symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (Options.Symbols.Count == 0)
        {
            return new ObiMaker(Options);
        }

        var ids = new HashSet<int>();
        foreach (var name in Options.Symbols)
        {
            if (!symbols.TryGet(Encoding.UTF8.GetBytes(name.ToUpperInvariant()), out var id))
            {
                throw new EvaluatorConfigurationException($"The OBI maker quotes {name}, which the session does not have (its symbols come from the recording or the live subscription).");
            }

            ids.Add(id);
        }

        return new ObiMaker(Options, ids);
    }
}
