namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>The summary of one stage over one interval of <see cref="LatencyIntervalRecorder"/> (what report.html plots over time).</summary>
/// <param name="Key">The stage key (<see cref="ReportStage"/>), the interval's tag in <c>latency.hlog</c>.</param>
/// <param name="StartMsSinceEpoch">Interval start, wall clock, ms since the Unix epoch.</param>
/// <param name="EndMsSinceEpoch">Interval end, wall clock, ms since the Unix epoch.</param>
/// <param name="Count">Values recorded in the interval.</param>
/// <param name="P50Ns">Median (ns), HdrHistogram's value at 50 % (3 significant digits); 0 when empty.</param>
/// <param name="P99Ns">99th percentile (ns); 0 when empty.</param>
/// <param name="MaxNs">Largest value (ns, within 3 significant digits); 0 when empty.</param>
/// <remarks>A plain value: immutable, allocation-free, safe to share.</remarks>
public readonly record struct LatencyInterval(string Key, long StartMsSinceEpoch, long EndMsSinceEpoch, long Count, long P50Ns, long P99Ns, long MaxNs);
