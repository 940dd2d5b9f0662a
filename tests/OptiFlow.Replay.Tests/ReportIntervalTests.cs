using HdrHistogram;
using NUnit.Framework;
using OptiFlow.Engine.Hosting.Reports;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <see cref="LatencyIntervalRecorder"/> on its own: a thread records into a <see cref="LatencyHistogram"/> while the
/// recorder's control thread takes interval snapshots; every value lands in exactly one interval, the log reads back
/// with HdrHistogram's <see cref="HistogramLogReader"/>, and a run shorter than one period still gets its interval.
/// </summary>
[TestFixture]
public sealed class ReportIntervalTests
{
    [Test]
    public void ShouldCountEveryValueInExactlyOneInterval_WhenAThreadRecordsWhileSampled()
    {
        // Arrange
        using var temp = new TempDirectory("intervals");
        var histogram = new LatencyHistogram("stage");
        var path = temp.File(LatencyIntervalRecorder.FileName);
        var stop = 0;
        var recorder = LatencyIntervalRecorder.Start([("stage", () => [histogram])], path, TimeSpan.FromMilliseconds(20));
        var writer = new Thread(() =>
        {
            var random = new Random(19);
            while (Volatile.Read(ref stop) == 0)
            {
                for (var i = 0; i < 2_000; i++)
                {
                    histogram.Record((long)Math.Exp(random.NextDouble() * 14));
                }

                Thread.Sleep(1);
            }
        });

        // Act
        writer.Start();
        BoundedWait.Until(() => recorder.Intervals.Count(i => i.Count > 0) >= 4, TimeSpan.FromSeconds(60), () => $"{recorder.Intervals.Count} intervals so far");
        Volatile.Write(ref stop, 1);
        writer.Join();
        recorder.Stop();
        var intervals = recorder.Intervals;
        List<HistogramBase> read;
        using (var stream = File.OpenRead(path))
        using (var reader = new HistogramLogReader(stream))
        {
            read = [.. reader.ReadHistograms()];
        }

        // Assert
        Assert.That(intervals, Has.Count.GreaterThanOrEqualTo(5), "four while recording, and the last one at Stop");
        Assert.That(intervals.Sum(i => i.Count), Is.EqualTo(histogram.TotalCount), "no value lost or counted twice");
        Assert.That(read.Select(h => h.TotalCount), Is.EqualTo(intervals.Select(i => i.Count)), "the log holds the same intervals");
        Assert.That(read.Select(h => h.Tag), Is.All.EqualTo("stage"));
        Assert.That(intervals.Where(i => i.Count > 0).Select(i => i.MaxNs), Is.All.LessThanOrEqualTo(histogram.Max + (histogram.Max / 128)), "within the log's 2 digits of the exact maximum");
        for (var i = 1; i < intervals.Count; i++)
        {
            Assert.That(intervals[i].StartMsSinceEpoch, Is.EqualTo(intervals[i - 1].EndMsSinceEpoch), "contiguous intervals");
        }
    }

    [Test]
    public void ShouldCloseOneInterval_WhenTheRunIsShorterThanAPeriod()
    {
        // Arrange
        using var temp = new TempDirectory("intervals-short");
        var histogram = new LatencyHistogram("stage");
        var recorder = LatencyIntervalRecorder.Start([("a", () => [histogram]), ("b", () => null)], temp.File("short.hlog"), TimeSpan.FromHours(1));

        // Act
        for (var i = 1; i <= 10; i++)
        {
            histogram.Record(i * 1_000);
        }

        recorder.Stop();
        var intervals = recorder.Intervals;

        // Assert
        Assert.That(intervals.Select(i => i.Key), Is.EqualTo(new[] { "a", "b" }), "one interval per stage, closed at Stop");
        Assert.That(intervals[0].Count, Is.EqualTo(10));
        Assert.That(intervals[0].MaxNs, Is.EqualTo(10_000).Within(10_000 / 128), "capped at the exact maximum, within the log's 2 digits");
        Assert.That(intervals[0].P50Ns, Is.EqualTo(5_000).Within((5_000 / 64) + (5_000 / 128)), "within our bucket (1/64) and the log's 2 digits (1/128)");
        Assert.That(intervals[1].Count, Is.Zero, "a stage whose histogram does not exist yet is empty");
    }

    [Test]
    public void ShouldNotAllocate_WhenASnapshotIsTaken()
    {
        // Arrange
        var histogram = new LatencyHistogram("stage");
        histogram.Record(1_234);
        var snapshot = new long[LatencyHistogram.BucketTableLength];

        // Act + Assert
        AllocationAssert.ShouldNotAllocate(() => histogram.AddCountsTo(snapshot));
        Assert.That(snapshot.Sum(), Is.Positive);
    }

    [Test]
    public void ShouldThrow_WhenTheSnapshotIsTooShort()
    {
        // Arrange
        var histogram = new LatencyHistogram("stage");

        // Act + Assert
        Assert.That(() => histogram.AddCountsTo(new long[10]), Throws.ArgumentException.With.Message.Contains(LatencyHistogram.BucketTableLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
