using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

public class VpinBucketsTests
{
    private const long S = FixedPoint.Scale;

    [Test]
    public void ShouldSplitTradesAcrossBuckets_WhenATradeOverfillsSeveral()
    {
        // Arrange: V = 10, N = 2, symbol 1; symbol 0 trades in between and must not disturb it.
        var buckets = new VpinBuckets(2, 10 * S, 2);
        var sink = new CollectingSink();

        // Act
        buckets.OnTrade(1, 4 * S, buyerIsMaker: false, 1, ref sink);   // open: buy 4
        buckets.OnTrade(0, 9 * S, buyerIsMaker: true, 2, ref sink);    // symbol 0: sell 9
        buckets.OnTrade(1, 3 * S, buyerIsMaker: true, 3, ref sink);    // open: buy 4, sell 3
        var completed = buckets.OnTrade(1, 25 * S, buyerIsMaker: false, 4, ref sink);
        // bucket 1 = buy 7, sell 3 (|4|); bucket 2 = buy 10 (|10|); bucket 3 = buy 10 (|10|); open: buy 2
        buckets.OnTrade(1, 8 * S, buyerIsMaker: true, 5, ref sink);    // bucket 4 = buy 2, sell 8 (|6|)
        buckets.OnTrade(1, S / 2, buyerIsMaker: true, 6, ref sink);    // open: sell 0.5

        // Assert: rows from bucket N = 2 on; vpin_k = (|imb_{k-1}| + |imb_k|) / 20.
        Assert.Multiple(() =>
        {
            Assert.That(completed, Is.EqualTo(3));
            Assert.That(sink.Rows.Select(r => (r.SymbolId, r.Bucket, r.EventTimeMs, r.BuyVolume, r.SellVolume)), Is.EqualTo(new[]
            {
                (1, 2L, 4L, 10 * S, 0L),
                (1, 3L, 4L, 10 * S, 0L),
                (1, 4L, 5L, 2 * S, 8 * S),
            }));
            Assert.That(sink.Rows.Select(r => r.Vpin), Is.EqualTo(new[] { 14.0 / 20, 20.0 / 20, 16.0 / 20 }));
            Assert.That(buckets.CompletedBuckets(1), Is.EqualTo(4));
            Assert.That(buckets.Buckets, Is.EqualTo(4));
            Assert.That(buckets.Trades, Is.EqualTo(6));
            Assert.That(buckets.OpenVolume(1), Is.EqualTo(S / 2));
            Assert.That(buckets.OpenVolume(0), Is.EqualTo(9 * S));
        });
    }

    [Test]
    public void ShouldReportEveryBucket_WhenTheWindowIsOne()
    {
        // Arrange: V = 0.3, N = 1: after a 0.1 sell, a 1.0 buy completes three buckets and leaves 0.2 open.
        var buckets = new VpinBuckets(1, 3 * S / 10, 1);
        var sink = new CollectingSink();

        // Act
        buckets.OnTrade(0, S / 10, buyerIsMaker: true, 10, ref sink);
        buckets.OnTrade(0, S, buyerIsMaker: false, 11, ref sink);

        // Assert: bucket 1 = sell 0.1 + buy 0.2 → |0.1|/0.3; buckets 2 and 3 = buy 0.3 → 1.
        Assert.That(sink.Rows.Select(r => (r.Bucket, r.BuyVolume, r.SellVolume, r.EventTimeMs)), Is.EqualTo(new[]
        {
            (1L, 2 * S / 10, S / 10, 11L),
            (2L, 3 * S / 10, 0L, 11L),
            (3L, 3 * S / 10, 0L, 11L),
        }));
        Assert.That(sink.Rows[0].Vpin, Is.EqualTo(1.0 / 3).Within(1e-15));
        Assert.That(buckets.OpenVolume(0), Is.EqualTo(2 * S / 10));
    }

    [Test]
    public void ShouldRefuseBadArguments_WhenConstructedOrFed()
    {
        // Arrange
        var buckets = new VpinBuckets(1, S, 1);
        var sink = new CollectingSink();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => new VpinBuckets(1, 0, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new VpinBuckets(1, S, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => buckets.OnTrade(1, S, false, 0, ref sink), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => buckets.OnTrade(0, -1, false, 0, ref sink), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenFedTrades()
    {
        // Arrange
        var buckets = new VpinBuckets(4, 5 * S, 50);
        var sink = default(CountingSink);

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                buckets.OnTrade(i & 3, (i % 7) * S / 3, (i & 1) == 0, i, ref sink);
            }
        });
        Assert.That(sink.Rows, Is.Positive);
    }

    private sealed class CollectingSink : IVpinBucketSink
    {
        public List<VpinBucket> Rows { get; } = [];

        public void OnBucket(in VpinBucket bucket) => Rows.Add(bucket);
    }

    private struct CountingSink : IVpinBucketSink
    {
        public long Rows;

        public void OnBucket(in VpinBucket bucket) => Rows++;
    }
}
