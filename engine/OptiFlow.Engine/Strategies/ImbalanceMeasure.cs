namespace OptiFlow.Engine.Strategies;

/// <summary>Which of the core's imbalance signals (<see cref="Evaluators.SignalEvent"/>) a strategy reads.</summary>
public enum ImbalanceMeasure
{
    /// <summary>OBI over the top level.</summary>
    Obi1 = 1,

    /// <summary>OBI over the top 5 levels.</summary>
    Obi5 = 5,

    /// <summary>OBI over the top 10 levels.</summary>
    Obi10 = 10,

    /// <summary>The distance-weighted OBI over the top 10 levels (<see cref="Evaluators.SignalEvent.Wobi10"/>).</summary>
    Wobi10 = 110,
}
