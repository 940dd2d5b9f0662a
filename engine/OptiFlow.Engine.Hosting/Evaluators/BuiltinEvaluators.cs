namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>The catalog of the engine's own evaluators and strategies (<see cref="EvaluatorCatalog.Builtin"/>).</summary>
/// <remarks>Each built-in factory registers its parser here, next to the others, so one place lists them all.</remarks>
internal static class BuiltinEvaluators
{
    public static EvaluatorCatalog Catalog() => new EvaluatorCatalog()
        .Register(Strategies.ObiMaker.Key, ObiMakerFactory.Parse)
        .Register(VpinEvaluatorFactory.FactoryName, VpinEvaluatorFactory.Parse)
        .Register(Engine.Evaluators.FlowImbalanceEvaluator.Key, FlowImbalanceFactory.Parse)
        .Register(TriangleEvaluatorFactory.FactoryName, TriangleEvaluatorFactory.FromConfiguration)
        .Register(Strategies.TriangleTaker.Key, TriangleTakerFactory.Parse);
}
