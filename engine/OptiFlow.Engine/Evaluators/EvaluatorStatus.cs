namespace OptiFlow.Engine.Evaluators;

/// <summary>How one evaluator of an <see cref="EvaluatorSet"/> went: calls, output, and its fault if it threw.</summary>
/// <param name="Name">The evaluator's name.</param>
/// <param name="Calls">Callbacks made (each completed or threw).</param>
/// <param name="RecordsEmitted">Evaluator records it emitted (its fault record included).</param>
/// <param name="OrdersEmitted">Order commands it emitted.</param>
/// <param name="Fault">The exception that quarantined it, or null.</param>
/// <param name="FaultSequence">Inbound sequence of the event it threw on; -1 when it never threw.</param>
/// <param name="SkippedCalls">Callbacks not made because it was quarantined.</param>
public sealed record EvaluatorStatus(string Name, long Calls, long RecordsEmitted, long OrdersEmitted, Exception? Fault, long FaultSequence, long SkippedCalls)
{
    /// <summary>Whether it threw and was quarantined.</summary>
    public bool IsQuarantined => Fault is not null;
}
