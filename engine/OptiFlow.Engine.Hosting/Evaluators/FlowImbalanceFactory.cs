using System.Globalization;
using System.Text.Json;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>Builds a <see cref="FlowImbalanceEvaluator"/> (OFI and TFI) per session.</summary>
/// <remarks>Configuration: <c>{"ofiWindow":N,"tfiWindow":N,"emitEvery":N,"fromBookTicker":true|false}</c>. Immutable.</remarks>
/// <param name="ofiWindow">Best-quote updates per OFI window, at least 1.</param>
/// <param name="tfiWindow">Trades per TFI window, at least 1.</param>
/// <param name="emitEvery">Emit a record every this many updates or trades of a symbol; 0 for never.</param>
/// <param name="fromBookTicker">Best quotes from bookTicker (true) or from applied depth (false).</param>
public sealed class FlowImbalanceFactory(int ofiWindow, int tfiWindow, int emitEvery, bool fromBookTicker) : EvaluatorFactory
{
    /// <inheritdoc/>
    public override string Name => FlowImbalanceEvaluator.Key;

    /// <inheritdoc/>
    public override string Configuration => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"ofiWindow\":{ofiWindow},\"tfiWindow\":{tfiWindow},\"emitEvery\":{emitEvery},\"fromBookTicker\":{(fromBookTicker ? "true" : "false")}}}");

    /// <inheritdoc/>
    /// <exception cref="EvaluatorConfigurationException">A window below 1 or a negative emit interval.</exception>
    public override Evaluator Create(SymbolTable symbols)
    {
        try
        {
            return new FlowImbalanceEvaluator(ofiWindow, tfiWindow, emitEvery, fromBookTicker);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new EvaluatorConfigurationException($"flow-imbalance: {e.Message}", e);
        }
    }

    /// <summary>Parses a recorded <see cref="Configuration"/>.</summary>
    /// <param name="configuration">The JSON text.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="EvaluatorConfigurationException">The text is not a flow-imbalance configuration.</exception>
    public static FlowImbalanceFactory Parse(string configuration)
    {
        try
        {
            using var json = JsonDocument.Parse(configuration);
            var root = json.RootElement;
            return new FlowImbalanceFactory(root.GetProperty("ofiWindow").GetInt32(), root.GetProperty("tfiWindow").GetInt32(), root.GetProperty("emitEvery").GetInt32(), root.GetProperty("fromBookTicker").GetBoolean());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new EvaluatorConfigurationException($"flow-imbalance: cannot read the configuration '{configuration}': {e.Message}", e);
        }
    }
}
