using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class RingBufferTests
{
    [Test]
    public void ShouldMapSequencesModuloRingSize_WhenIndexing()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(8, new YieldingWaitStrategy());

        // Act
        ring[3].Value = 42;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ring[11].Value, Is.EqualTo(42));
            Assert.That(Unsafe.AreSame(ref ring[0], ref ring[8]), Is.True);
            Assert.That(Unsafe.AreSame(ref ring[0], ref ring[1]), Is.False);
            Assert.That(ring.BufferSize, Is.EqualTo(8));
            Assert.That(ring.Cursor, Is.SameAs(ring.Sequencer.Cursor));
        });
    }

    [Test]
    public void ShouldPadBothEndsBy128Bytes_WhenAllocatingSlots()
    {
        // Act
        var small = new RingBuffer<StubEvent>(4, new YieldingWaitStrategy());
        var events = new RingBuffer<MarketEvent>(4, new YieldingWaitStrategy());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(small.PaddingSlots, Is.EqualTo(16));
            Assert.That(events.PaddingSlots, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldPublishEveryClaimedSlot_WhenClaimingBatches()
    {
        // Arrange
        var ring = new RingBuffer<StubEvent>(16, new YieldingWaitStrategy());
        var consumer = new Sequence();
        ring.Sequencer.SetGatingSequences(consumer);

        // Act
        var high = ring.Next(4);
        for (var s = high - 3; s <= high; s++)
        {
            ring[s].Value = s * 10;
        }

        ring.Publish(high - 3, high);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ring.Cursor.Value, Is.EqualTo(3));
            Assert.That(new[] { ring[0].Value, ring[1].Value, ring[2].Value, ring[3].Value }, Is.EqualTo(new long[] { 0, 10, 20, 30 }));
        });
    }
}
