namespace OptiFlow.Engine.Hosting.Monitoring;

/// <summary>One latency stage in a <see cref="SessionProgress"/> snapshot: its samples so far and three quantiles.</summary>
/// <param name="Key">The stage's stable key (<see cref="Reports.ReportStage"/>: <c>frame_to_published</c>,
/// <c>published_to_core</c>, <c>frame_to_core</c>, <c>core_handling</c>, <c>feed_latency</c>, and the trading stages
/// <c>tick_to_order</c>, <c>order_decision</c>, <c>order_risk</c>, <c>order_encode_sign</c>, <c>order_send</c>).</param>
/// <param name="Count">Samples recorded so far.</param>
/// <param name="P50Ns">Median, ns (0 without samples).</param>
/// <param name="P99Ns">99th percentile, ns.</param>
/// <param name="P999Ns">99.9th percentile, ns.</param>
/// <remarks>Immutable: thread-safe. Read while the stage's thread records, so approximate: a few samples may be missing
/// from the quantiles (see <see cref="SessionProgress"/>).</remarks>
public sealed record StageQuantiles(string Key, long Count, long P50Ns, long P99Ns, long P999Ns);
