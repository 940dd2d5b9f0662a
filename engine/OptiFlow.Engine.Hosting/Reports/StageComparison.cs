namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>One stage's percentile in two reports.</summary>
/// <param name="Stage">The stage key (<see cref="ReportStage"/>).</param>
/// <param name="Percentile">The percentile key in the report (<c>p50</c>, <c>p99</c>, <c>p99_9</c>…).</param>
/// <param name="BaseNs">The value in the base report (ns).</param>
/// <param name="NewNs">The value in the new report (ns).</param>
/// <param name="Regressed">Whether <paramref name="NewNs"/> exceeds <paramref name="BaseNs"/> × (1 + threshold).</param>
public sealed record StageComparison(string Stage, string Percentile, long BaseNs, long NewNs, bool Regressed)
{
    /// <summary>The relative change (new / base − 1), or null when the base value is 0.</summary>
    public double? Change => BaseNs == 0 ? null : ((double)NewNs / BaseNs) - 1;
}
