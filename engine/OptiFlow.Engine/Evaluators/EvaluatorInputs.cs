namespace OptiFlow.Engine.Evaluators;

/// <summary>The inbound event kinds an <see cref="Evaluator"/> is called for (<see cref="Evaluator.Inputs"/>).</summary>
[Flags]
public enum EvaluatorInputs
{
    /// <summary>Nothing: the evaluator is never called.</summary>
    None = 0,

    /// <summary>Every bookTicker event of a subscribed symbol (<see cref="Evaluator.OnBookTicker"/>).</summary>
    BookTicker = 1,

    /// <summary>Every depth message applied to a synced book of a subscribed symbol, after the core's signal
    /// (<see cref="Evaluator.OnDepthApplied"/>).</summary>
    DepthApplied = 2,

    /// <summary>Every trade and aggTrade event of a subscribed symbol (<see cref="Evaluator.OnTrade"/>).</summary>
    Trade = 4,

    /// <summary>Every execution report about one of this evaluator's own orders — the evaluator id in the report's client
    /// order id (<see cref="Strategies.ClientOrderIds"/>) is this evaluator's — whatever the symbol
    /// (<see cref="Evaluator.OnExecutionReport"/>).</summary>
    ExecutionReport = 8,
}
