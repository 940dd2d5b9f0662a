namespace OptiFlow.PerfTests.Harness;

/// <summary>All runs of one throughput test.</summary>
internal sealed class TestResult(IThroughputTest test)
{
    public IThroughputTest Test { get; } = test;

    public string Name => $"{Test.Topology}.{Test.Implementation}";

    public List<double> OpsPerSecond { get; } = [];

    public List<double> MeanBatchSizes { get; } = [];

    public List<(int Gen0, int Gen1, int Gen2)> Gc { get; } = [];

    public List<string> Failures { get; } = [];

    public double Min => OpsPerSecond.Count == 0 ? double.NaN : OpsPerSecond.Min();

    public double Median => OpsPerSecond.Count == 0 ? double.NaN : Stats.Median(OpsPerSecond);

    public double Max => OpsPerSecond.Count == 0 ? double.NaN : OpsPerSecond.Max();

    public double MeanBatchSize => MeanBatchSizes.Count == 0 ? 0 : MeanBatchSizes.Average();

    /// <summary>The topology whose baselines this test is compared with: a batched ring is compared with the unbatched channel.</summary>
    public string BaselineTopology
    {
        get
        {
            var batch = Test.Topology.IndexOf(".Batch", StringComparison.Ordinal);
            return batch < 0 ? Test.Topology : Test.Topology[..batch];
        }
    }
}
