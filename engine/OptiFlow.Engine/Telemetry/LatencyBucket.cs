namespace OptiFlow.Engine.Telemetry;

/// <summary>One non-empty bucket of a <see cref="LatencyHistogram"/>: the values it stands for and how many were recorded.</summary>
/// <param name="LowestValueNs">The smallest value that maps to the bucket (ns).</param>
/// <param name="HighestValueNs">The largest value that maps to the bucket (ns); equal to <paramref name="LowestValueNs"/> below 128 ns.</param>
/// <param name="Count">Values recorded in the bucket, at least 1.</param>
/// <remarks>A plain value: allocation-free, immutable, safe to share.</remarks>
public readonly record struct LatencyBucket(long LowestValueNs, long HighestValueNs, long Count);
