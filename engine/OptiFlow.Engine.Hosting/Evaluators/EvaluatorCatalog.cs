using OptiFlow.Journal.Session;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>
/// Turns a recorded (<see cref="EvaluatorFactory.Name"/>, <see cref="EvaluatorFactory.Configuration"/>) pair back into
/// a factory: how <see cref="JournalReplayer"/> rebuilds a journaled session's evaluators. <see cref="Builtin"/> knows
/// the engine's own evaluators and strategies; a host adds its own with <see cref="Register"/> on a copy.
/// </summary>
/// <remarks>Cold path. Not thread-safe while registering; read-only use afterwards is.</remarks>
public sealed class EvaluatorCatalog
{
    private readonly Dictionary<string, Func<string, EvaluatorFactory>> _parsers = new(StringComparer.Ordinal);

    /// <summary>An empty catalog, or a copy of <paramref name="copyOf"/>.</summary>
    /// <param name="copyOf">A catalog to start from, or null.</param>
    public EvaluatorCatalog(EvaluatorCatalog? copyOf = null)
    {
        if (copyOf is not null)
        {
            foreach (var (name, parser) in copyOf._parsers)
            {
                _parsers[name] = parser;
            }
        }
    }

    /// <summary>The engine's own evaluators and strategies (a new catalog each call: callers may add to it).</summary>
    public static EvaluatorCatalog Builtin => BuiltinEvaluators.Catalog();

    /// <summary>Names this catalog knows, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _parsers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds (or replaces) a factory parser.</summary>
    /// <param name="name">The factory name it parses.</param>
    /// <param name="fromConfiguration">Builds the factory from its recorded configuration; throws
    /// <see cref="EvaluatorConfigurationException"/> when it cannot.</param>
    /// <returns>This catalog.</returns>
    public EvaluatorCatalog Register(string name, Func<string, EvaluatorFactory> fromConfiguration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(fromConfiguration);
        _parsers[name] = fromConfiguration;
        return this;
    }

    /// <summary>The factory a session header recorded.</summary>
    /// <param name="spec">The recorded name and configuration.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="EvaluatorConfigurationException">The name is unknown here, or its configuration cannot be parsed.</exception>
    public EvaluatorFactory FactoryFor(EvaluatorSpecRecord spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!_parsers.TryGetValue(spec.Name, out var parse))
        {
            throw new EvaluatorConfigurationException(
                $"The session ran evaluator '{spec.Name}', which this catalog does not know (it knows: {string.Join(", ", Names)}); replay with a catalog that registers it.");
        }

        try
        {
            return parse(spec.Configuration);
        }
        catch (EvaluatorConfigurationException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            throw new EvaluatorConfigurationException($"Evaluator '{spec.Name}': its recorded configuration cannot be parsed ({e.Message}): {spec.Configuration}", e);
        }
    }
}
