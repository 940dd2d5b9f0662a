using OptiFlow.Testing;
using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Tests;

public class LatencyHistogramTests
{
    /// <summary>Index of the bucket holding <see cref="long.MaxValue"/>: the last one that is used.</summary>
    private static readonly int _lastIndex = LatencyHistogram.IndexOf(long.MaxValue);

    [Test]
    public void ShouldCountExactly_WhenValuesAreBelow128()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        for (long v = 0; v < 128; v++)
        {
            histogram.Record(v);
        }

        // Act / Assert
        Assert.Multiple(() =>
        {
            for (var v = 0; v < 128; v++)
            {
                Assert.That(LatencyHistogram.IndexOf(v), Is.EqualTo(v));
                Assert.That(LatencyHistogram.LowestEquivalentValue(v), Is.EqualTo(v));
                Assert.That(LatencyHistogram.HighestEquivalentValue(v), Is.EqualTo(v));
            }

            Assert.That(histogram.ValueAtPercentile(50), Is.EqualTo(63));
            Assert.That(histogram.ValueAtPercentile(100), Is.EqualTo(127));
            Assert.That(histogram.Min, Is.Zero);
            Assert.That(histogram.Max, Is.EqualTo(127));
            Assert.That(histogram.Mean, Is.EqualTo(63.5));
        });
    }

    private static Arbitrary<long> AnyLatency()
    {
        var word = Gen.Choose(0, 0xFFFF);
        var gen =
            from w0 in word
            from w1 in word
            from w2 in word
            from w3 in word
            from shift in Gen.Choose(1, 63)
            select (long)((((ulong)(uint)w3 << 48) | ((ulong)(uint)w2 << 32) | ((ulong)(uint)w1 << 16) | (uint)w0) >> shift);
        return Gen.Frequency((9, gen), (1, Gen.Elements(0L, 127L, 128L, 129L, 255L, 256L, long.MaxValue))).ToArbitrary();
    }

    [FsCheck.NUnit.Property(MaxTest = 5000)]
    public Property ShouldReportWithin1Over64_WhenRecordingAnyValue() =>
        Prop.ForAll(AnyLatency(), value =>
        {
            var histogram = new LatencyHistogram();
            histogram.Record(value);
            histogram.Record(long.MaxValue); // so the max does not cap the reported value
            var reported = histogram.ValueAtPercentile(50);
            var error = (double)(reported - value);
            return value < 128
                ? reported == value
                : reported >= value && error <= value / 64.0;
        });

    [FsCheck.NUnit.Property(MaxTest = 5000)]
    public Property ShouldBracketValue_WhenMappingToBucket() =>
        Prop.ForAll(AnyLatency(), value =>
        {
            var index = LatencyHistogram.IndexOf(value);
            var low = LatencyHistogram.LowestEquivalentValue(index);
            var high = LatencyHistogram.HighestEquivalentValue(index);
            return low <= value && value <= high && (value < 128 || (high - low) <= value / 64);
        });

    [Test]
    public void ShouldTileTheWholeRange_WhenWalkingEveryBucket()
    {
        // Arrange
        var gaps = 0;
        var roundTrips = 0;
        long expectedLow = 0;

        // Act: consecutive buckets must cover 0..long.MaxValue with no gap or overlap, and both ends map back.
        for (var index = 0; index <= _lastIndex; index++)
        {
            var low = LatencyHistogram.LowestEquivalentValue(index);
            var high = LatencyHistogram.HighestEquivalentValue(index);
            if (low != expectedLow || high < low)
            {
                gaps++;
            }

            if (LatencyHistogram.IndexOf(low) != index || LatencyHistogram.IndexOf(high) != index)
            {
                roundTrips++;
            }

            expectedLow = high == long.MaxValue ? -1 : high + 1;
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(gaps, Is.Zero, "buckets must be contiguous");
            Assert.That(roundTrips, Is.Zero, "IndexOf(lowest) and IndexOf(highest) must return the bucket");
            Assert.That(LatencyHistogram.HighestEquivalentValue(_lastIndex), Is.EqualTo(long.MaxValue));
            Assert.That(expectedLow, Is.EqualTo(-1), "the last bucket ends at long.MaxValue");
        });
    }

    [Test]
    public void ShouldReportPercentilesWithin1Over64_WhenDistributionIsUniform()
    {
        // Arrange
        var histogram = new LatencyHistogram("uniform");
        for (long v = 1; v <= 10_000; v++)
        {
            histogram.Record(v);
        }

        // Act
        var p50 = histogram.ValueAtPercentile(50);
        var p90 = histogram.ValueAtPercentile(90);
        var p99 = histogram.ValueAtPercentile(99);
        var p100 = histogram.ValueAtPercentile(100);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(p50, Is.InRange(5000, 5000 + (5000 / 64)));
            Assert.That(p90, Is.InRange(9000, 9000 + (9000 / 64)));
            Assert.That(p99, Is.InRange(9900, 10_000));
            Assert.That(p100, Is.EqualTo(10_000));
            Assert.That(histogram.Max, Is.EqualTo(10_000));
            Assert.That(histogram.Min, Is.EqualTo(1));
            Assert.That(histogram.TotalCount, Is.EqualTo(10_000));
            Assert.That(histogram.Mean, Is.EqualTo(5000.5));
            Assert.That(histogram.Name, Is.EqualTo("uniform"));
        });
    }

    [Test]
    public void ShouldKeepMaxExact_WhenValueIsInAWideBucket()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        const long Odd = 1_000_003;

        // Act
        histogram.Record(5);
        histogram.Record(Odd);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(histogram.Max, Is.EqualTo(Odd));
            Assert.That(histogram.ValueAtPercentile(100), Is.EqualTo(Odd), "percentiles are capped at the exact max");
            Assert.That(histogram.ValueAtPercentile(0), Is.EqualTo(5));
        });
    }

    [Test]
    public void ShouldCountNegativeAsZero_WhenClockReadOutOfOrder()
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act
        histogram.Record(-7);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(histogram.NegativeCount, Is.EqualTo(1));
            Assert.That(histogram.TotalCount, Is.EqualTo(1));
            Assert.That(histogram.Max, Is.Zero);
            Assert.That(histogram.Min, Is.Zero);
        });
    }

    [Test]
    public void ShouldMergeCounts_WhenAddingAnotherHistogram()
    {
        // Arrange
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var both = new LatencyHistogram();
        for (long v = 1; v <= 1000; v++)
        {
            a.Record(v * 3);
            both.Record(v * 3);
        }

        for (long v = 1; v <= 500; v++)
        {
            b.Record(v * 1000);
            both.Record(v * 1000);
        }

        b.Record(-1);
        both.Record(-1);

        // Act
        a.Add(b);
        a.Add(new LatencyHistogram());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(a.TotalCount, Is.EqualTo(both.TotalCount));
            Assert.That(a.Max, Is.EqualTo(both.Max));
            Assert.That(a.Min, Is.EqualTo(both.Min));
            Assert.That(a.Mean, Is.EqualTo(both.Mean).Within(1e-9));
            Assert.That(a.NegativeCount, Is.EqualTo(1));
            foreach (var p in new[] { 0.0, 10, 25, 50, 75, 90, 99, 99.9, 100 })
            {
                Assert.That(a.ValueAtPercentile(p), Is.EqualTo(both.ValueAtPercentile(p)), $"p{p}");
            }
        });
    }

    [Test]
    public void ShouldForgetEverything_WhenReset()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        histogram.Record(1000);
        histogram.Record(-1);

        // Act
        histogram.Reset();
        histogram.Record(200);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(histogram.TotalCount, Is.EqualTo(1));
            Assert.That(histogram.Max, Is.EqualTo(200));
            Assert.That(histogram.Min, Is.EqualTo(200));
            Assert.That(histogram.Mean, Is.EqualTo(200));
            Assert.That(histogram.NegativeCount, Is.Zero);
            Assert.That(histogram.ValueAtPercentile(100), Is.EqualTo(200));
        });
    }

    [Test]
    public void ShouldReportZero_WhenEmpty()
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(histogram.ValueAtPercentile(99), Is.Zero);
            Assert.That(histogram.Min, Is.Zero);
            Assert.That(histogram.Max, Is.Zero);
            Assert.That(histogram.Mean, Is.Zero);
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenRecording()
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (long v = 0; v < 100_000; v += 7)
            {
                histogram.Record(v * 1013);
            }

            histogram.Record(-1);
            histogram.Record(long.MaxValue);
        });
    }

    [Test]
    public void ShouldEnumerateEveryCount_WhenListingBuckets()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        long[] values = [0, 5, 5, 127, 128, 129, 1000, 1001, 65_000, 1_000_000_007, long.MaxValue];
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        // Act
        var buckets = new List<LatencyBucket>();
        foreach (var bucket in histogram.Buckets())
        {
            buckets.Add(bucket);
        }

        // Assert
        Assert.That(buckets.Sum(b => b.Count), Is.EqualTo(histogram.TotalCount));
        Assert.That(buckets.Select(b => b.LowestValueNs), Is.Ordered.Ascending.And.Unique);
        Assert.That(buckets, Has.All.Matches<LatencyBucket>(b => b.Count > 0 && b.LowestValueNs <= b.HighestValueNs));
        foreach (var v in values)
        {
            Assert.That(buckets.Count(b => b.LowestValueNs <= v && v <= b.HighestValueNs), Is.EqualTo(1), $"{v} lies in exactly one bucket");
        }

        Assert.That(buckets[1], Is.EqualTo(new LatencyBucket(5, 5, 2)), "exact below 128");
    }

    [Test]
    public void ShouldNotAllocate_WhenListingBuckets()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        for (long v = 0; v < 100_000; v += 7)
        {
            histogram.Record(v * 1013);
        }

        long total = 0;

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(
            () =>
            {
                foreach (var bucket in histogram.Buckets())
                {
                    total += bucket.Count;
                }
            },
            warmUpRuns: 3);
        Assert.That(total, Is.EqualTo(histogram.TotalCount * 4), "three warm-up runs and the measured one");
    }
}
