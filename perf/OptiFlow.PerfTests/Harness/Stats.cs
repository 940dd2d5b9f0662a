namespace OptiFlow.PerfTests.Harness;

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static string Rate(double opsPerSecond) => opsPerSecond switch
    {
        >= 1e6 => $"{opsPerSecond / 1e6,8:F1}M",
        >= 1e3 => $"{opsPerSecond / 1e3,8:F1}k",
        _ => $"{opsPerSecond,9:F0}",
    };
}
