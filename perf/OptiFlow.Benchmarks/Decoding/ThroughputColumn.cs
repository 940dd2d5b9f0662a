using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OptiFlow.Benchmarks.Decoding;

/// <summary>
/// MB/s (10⁶ bytes of frame text per second) or messages per second of a decode benchmark whose op is one frame,
/// from its mean time and the payload's mean frame length (<see cref="DecodeCorpus.MeanBytes"/>).
/// </summary>
public sealed class ThroughputColumn(bool megabytes) : IColumn
{
    private static readonly ConcurrentDictionary<DecodePayload, double> MeanBytes = new();

    /// <inheritdoc />
    public string Id => megabytes ? "MBps" : "MsgsPerSec";

    /// <inheritdoc />
    public string ColumnName => megabytes ? "MB/s" : "msgs/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => megabytes ? 0 : 1;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => megabytes ? "Frame bytes decoded per second, 10^6" : "Frames decoded per second";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        var meanNs = report?.ResultStatistics?.Mean;
        if (meanNs is null or <= 0)
        {
            return "-";
        }

        var perSecond = 1e9 / meanNs.Value;
        if (!megabytes)
        {
            return perSecond.ToString("N0", CultureInfo.InvariantCulture);
        }

        var payload = (DecodePayload)benchmarkCase.Parameters["Payload"];
        var bytes = MeanBytes.GetOrAdd(payload, DecodeCorpus.MeanBytes);
        return (perSecond * bytes / 1e6).ToString("N1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;
}
