using HdrHistogram;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// Converts a <see cref="LatencyHistogram"/> into an HdrHistogram <see cref="LongHistogram"/> and writes its percentile
/// distribution in HdrHistogram's own <c>.hgrm</c> text format (the package's <c>OutputPercentileDistribution</c>).
/// </summary>
/// <remarks>
/// Cold path: allocates the HdrHistogram table and the text; call after the recording thread stopped. Each of our
/// buckets is recorded at its highest equivalent value capped at the exact maximum (the value our percentiles report),
/// into a histogram of <see cref="SignificantDigits"/> significant digits, finer than our 1/64 buckets, so each
/// percentile agrees with <see cref="LatencyHistogram.ValueAtPercentile"/> within 1/64 plus HdrHistogram's own rounding.
/// </remarks>
public static class HdrHistogramExport
{
    /// <summary>Significant decimal digits of the exported histogram (HdrHistogram's precision setting).</summary>
    public const int SignificantDigits = 3;

    /// <summary>The output value unit ratio of the <c>.hgrm</c> files: values are recorded in ns and printed in µs.</summary>
    public const double NanosecondsPerMicrosecond = 1000.0;

    /// <summary>Builds an HdrHistogram <see cref="LongHistogram"/> holding the same counts.</summary>
    /// <param name="histogram">A histogram no thread is recording into.</param>
    /// <returns>A new histogram (values in ns) with the same total count.</returns>
    /// <remarks>Allocates the HdrHistogram table.</remarks>
    public static LongHistogram ToLongHistogram(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var highest = Math.Max(2, histogram.Max);
        var export = new LongHistogram(1, highest, SignificantDigits);
        foreach (var bucket in histogram.Buckets())
        {
            export.RecordValueWithCount(Math.Min(bucket.HighestValueNs, histogram.Max), bucket.Count);
        }

        return export;
    }

    /// <summary>Writes the percentile distribution of <paramref name="histogram"/> as HdrHistogram's <c>.hgrm</c> text, in µs.</summary>
    /// <param name="histogram">A histogram no thread is recording into.</param>
    /// <param name="writer">Where the text goes.</param>
    /// <remarks>Allocates; an empty histogram writes the header and footer only (HdrHistogram's own behaviour).</remarks>
    public static void WritePercentileDistribution(LatencyHistogram histogram, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ToLongHistogram(histogram).OutputPercentileDistribution(writer, percentileTicksPerHalfDistance: 5, outputValueUnitScalingRatio: NanosecondsPerMicrosecond);
    }
}
