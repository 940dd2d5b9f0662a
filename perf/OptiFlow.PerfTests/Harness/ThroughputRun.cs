namespace OptiFlow.PerfTests.Harness;

/// <summary>The outcome of one run: events moved end to end, the time, the consumers' mean batch size (0 when not applicable), and the result check.</summary>
internal readonly record struct ThroughputRun(long Events, double Seconds, double MeanBatchSize, string? Failure)
{
    public double OpsPerSecond => Events / Seconds;

    public static string? CheckSum(string who, long actual, long expected) =>
        actual == expected ? null : $"{who}: sum {actual}, expected {expected}";

    public static string? Combine(params string?[] failures)
    {
        var found = failures.Where(f => f is not null).ToArray();
        return found.Length == 0 ? null : string.Join("; ", found);
    }
}
