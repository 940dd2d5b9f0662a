namespace OptiFlow.Engine.Evaluators;

/// <summary>What the body of an <see cref="EvaluatorRecord"/> holds (<see cref="EvaluatorRecordDescriptor.TypeOffset"/>, uint16).</summary>
/// <remarks>Values are part of the journal format (record type <c>EvaluatorRecord</c>): never renumber; add at the end.</remarks>
public enum EvaluatorRecordType : ushort
{
    /// <summary>An unwritten record; never emitted.</summary>
    None = 0,

    /// <summary>An evaluator threw and was quarantined: the body is an <see cref="EvaluatorFault"/>.</summary>
    Fault = 1,

    /// <summary>A triangular-arbitrage opportunity (triangle evaluator).</summary>
    TriangleOpportunity = 2,

    /// <summary>A completed VPIN volume bucket (flow evaluator).</summary>
    VpinBucket = 3,

    /// <summary>Order-flow imbalance (Cont, Kukanov and Stoikov 2014) over a window of best-quote updates.</summary>
    OrderFlowImbalance = 4,

    /// <summary>Trade-flow imbalance over a window of trades.</summary>
    TradeFlowImbalance = 5,

    /// <summary>A strategy's decision note (why it sent, held or cancelled), beside the order commands it emitted.</summary>
    StrategyDecision = 6,
}
