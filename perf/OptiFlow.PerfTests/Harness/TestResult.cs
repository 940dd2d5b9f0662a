namespace OptiFlow.PerfTests.Harness;

/// <summary>All runs of one throughput test.</summary>
internal sealed class TestResult(IThroughputTest test)
{
    public IThroughputTest Test { get; } = test;

    public string Name => $"{Test.Topology}.{Test.Implementation}";

    public List<double> OpsPerSecond { get; } = [];

    public List<double> MeanBatchSizes { get; } = [];

    /// <summary>Per successful run (aligned with <see cref="OpsPerSecond"/>): the share of all CPUs' time the host
    /// stole during the run, in percent; NaN where steal time cannot be read (see <see cref="HostSteal"/>).</summary>
    public List<double> StealPercents { get; } = [];

    /// <summary>Per successful run (aligned with <see cref="OpsPerSecond"/>): the cache-line round trip between the
    /// run's first two CPUs measured just before it, in ns (see <see cref="LineRoundTrip"/>); NaN if abandoned.</summary>
    public List<double> LineRoundTripNs { get; } = [];

    /// <summary>Median of <see cref="LineRoundTripNs"/> over the runs that measured it, in ns; NaN when none did.</summary>
    public double MedianLineRoundTripNs
    {
        get
        {
            var measured = LineRoundTripNs.Where(double.IsFinite).ToArray();
            return measured.Length == 0 ? double.NaN : Stats.Median(measured);
        }
    }

    /// <summary>Mean of <see cref="StealPercents"/>, in percent; NaN when no run could read it.</summary>
    public double MeanStealPercent
    {
        get
        {
            var readable = StealPercents.Where(double.IsFinite).ToArray();
            return readable.Length == 0 ? double.NaN : readable.Average();
        }
    }

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
