using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>
/// Builds one evaluator (or strategy) for a session: fresh per session, from a configuration the session header
/// records (<see cref="Name"/>, <see cref="Configuration"/>), so <see cref="JournalReplayer"/> builds the same one from
/// the journal alone (through an <see cref="EvaluatorCatalog"/>) and reproduces its records and order commands.
/// </summary>
/// <remarks>Give factories to <see cref="EngineOptions.Evaluators"/>. Cold path: <see cref="Create"/> runs once per
/// session on the thread that builds it, and may allocate and read files. Implementations are immutable.</remarks>
public abstract class EvaluatorFactory
{
    /// <summary>The catalog key (<see cref="EvaluatorCatalog.Register"/>), e.g. <c>triangles</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Everything <see cref="Create"/> depends on besides the symbol table, as text (JSON by convention): the
    /// session header records it; <see cref="EvaluatorCatalog"/> parses it back.</summary>
    public abstract string Configuration { get; }

    /// <summary>Builds a new evaluator for one session.</summary>
    /// <param name="symbols">The session's frozen symbol table (resolve symbol names to ids here, not per event).</param>
    /// <returns>The evaluator, not attached.</returns>
    /// <exception cref="EvaluatorConfigurationException">The configuration cannot be honoured (a file is missing or changed).</exception>
    public abstract Evaluator Create(SymbolTable symbols);
}
