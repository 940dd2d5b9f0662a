using System.Numerics;
using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Telemetry;

/// <summary>
/// A log-linear latency histogram in the manner of HdrHistogram: values below 128 ns are counted exactly; above,
/// each power of two is split into 64 linear sub-buckets, so any recorded value is reported within 1/64 (1.6%) of
/// itself, from 0 ns to <see cref="long.MaxValue"/> ns, in a fixed 30 KiB table.
/// </summary>
/// <remarks>
/// Bucket of a value <c>v ≥ 128</c>: with <c>m = floor(log2 v)</c> and <c>s = m − 6</c>, index
/// <c>(s + 1)·64 + (v &gt;&gt; s) − 64</c>. Percentiles report the highest value equivalent to the bucket (as
/// HdrHistogram does), capped at the exact maximum. <see cref="Record"/> is allocation-free and single-writer: one
/// thread records; read results after that thread has stopped (or from the same thread), except the bucket counts, which
/// <see cref="AddCountsTo"/> reads from any thread while it records (interval snapshots). Negative values (a clock
/// read out of order) are counted as 0 and tallied in <see cref="NegativeCount"/>.
/// </remarks>
public sealed partial class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;          // 128: exact below this
    private const int SubBucketHalfCount = SubBucketCount / 2;      // 64 linear sub-buckets per power of two
    private const int BucketCount = 64 - (SubBucketBits - 1);       // shifts 0..57 cover every positive long

    private readonly long[] _counts = new long[(BucketCount * SubBucketHalfCount) + SubBucketHalfCount];
    private long _totalCount;
    private long _max;
    private long _min = long.MaxValue;
    private double _sum;

    /// <summary>Creates an empty histogram.</summary>
    /// <param name="name">Label used in reports (e.g. a pipeline stage).</param>
    public LatencyHistogram(string name = "") => Name = name;

    /// <summary>Label used in reports.</summary>
    public string Name { get; }

    /// <summary>Number of recorded values.</summary>
    public long TotalCount => _totalCount;

    /// <summary>Largest recorded value, exact (ns); 0 when empty.</summary>
    public long Max => _max;

    /// <summary>Smallest recorded value, exact (ns); 0 when empty.</summary>
    public long Min => _totalCount == 0 ? 0 : _min;

    /// <summary>Arithmetic mean of recorded values (ns); 0 when empty.</summary>
    public double Mean => _totalCount == 0 ? 0 : _sum / _totalCount;

    /// <summary>Number of negative values recorded (as 0).</summary>
    public long NegativeCount { get; private set; }

    /// <summary>Records one value.</summary>
    /// <param name="valueNs">Latency in ns.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(long valueNs)
    {
        if (valueNs < 0)
        {
            NegativeCount++;
            valueNs = 0;
        }

        _counts[IndexOf(valueNs)]++;
        _totalCount++;
        _sum += valueNs;
        if (valueNs > _max)
        {
            _max = valueNs;
        }

        if (valueNs < _min)
        {
            _min = valueNs;
        }
    }

    /// <summary>The value at or below which <paramref name="percentile"/> percent of recorded values fall (ns).</summary>
    /// <param name="percentile">0 to 100.</param>
    /// <returns>The highest value equivalent to the bucket reached, capped at <see cref="Max"/>; 0 when empty.</returns>
    public long ValueAtPercentile(double percentile)
    {
        if (_totalCount == 0)
        {
            return 0;
        }

        var clamped = Math.Clamp(percentile, 0, 100);
        var target = Math.Max(1, (long)Math.Ceiling(clamped / 100.0 * _totalCount));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return Math.Min(HighestEquivalentValue(i), _max);
            }
        }

        return _max;
    }

    /// <summary>Adds every count of <paramref name="other"/> into this histogram.</summary>
    /// <param name="other">A histogram no thread is writing.</param>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        _totalCount += other._totalCount;
        _sum += other._sum;
        _max = Math.Max(_max, other._max);
        _min = Math.Min(_min, other._min);
        NegativeCount += other.NegativeCount;
    }

    /// <summary>Forgets every recorded value.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        _totalCount = 0;
        _sum = 0;
        _max = 0;
        _min = long.MaxValue;
        NegativeCount = 0;
    }

    /// <summary>The bucket index of a non-negative value.</summary>
    /// <param name="value">Value in ns, at least 0.</param>
    /// <returns>Index into the count table.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }

        var shift = (63 - BitOperations.LeadingZeroCount((ulong)value)) - (SubBucketBits - 1);
        return ((shift + 1) * SubBucketHalfCount) + (int)(value >> shift) - SubBucketHalfCount;
    }

    /// <summary>The smallest value that maps to bucket <paramref name="index"/>.</summary>
    /// <param name="index">A bucket index.</param>
    /// <returns>Value in ns.</returns>
    internal static long LowestEquivalentValue(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = (index / SubBucketHalfCount) - 1;
        var sub = (index % SubBucketHalfCount) + SubBucketHalfCount;
        return (long)sub << shift;
    }

    /// <summary>The largest value that maps to bucket <paramref name="index"/>.</summary>
    /// <param name="index">A bucket index.</param>
    /// <returns>Value in ns.</returns>
    internal static long HighestEquivalentValue(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = (index / SubBucketHalfCount) - 1;
        var sub = (index % SubBucketHalfCount) + SubBucketHalfCount;
        var next = ((long)sub + 1) << shift;
        return next <= 0 ? long.MaxValue : next - 1;
    }
}
