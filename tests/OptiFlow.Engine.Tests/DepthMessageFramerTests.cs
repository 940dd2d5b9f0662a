using NUnit.Framework;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

/// <summary>The one framer of depth and snapshot messages: one slot per level, begin/end flags, the empty message, and
/// the ring path (held claim, chunks of at most half the ring).</summary>
[TestFixture]
public sealed class DepthMessageFramerTests
{
    private static readonly BookSide[] Sides = [BookSide.Bid, BookSide.Bid, BookSide.Ask];
    private static readonly long[] Prices = [100, 99, 101];
    private static readonly long[] Quantities = [1, 0, 3];

    [Test]
    public void ShouldFlagTheFirstAndLastLevel_WhenFramingAMessage()
    {
        // Arrange
        var header = Header();
        var slots = new MarketEvent[3];

        // Act
        var written = DepthMessageFramer.Frame(in header, Sides, Prices, Quantities, slots);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.EqualTo(3));
            Assert.That(slots.Select(s => s.Flags & ~MarketEventFlags.HasPreviousFinalUpdateId), Is.EqualTo(new[] { MarketEventFlags.BeginOfMessage, MarketEventFlags.None, MarketEventFlags.EndOfMessage }));
            Assert.That(slots.All(s => s.Flags.HasFlag(MarketEventFlags.HasPreviousFinalUpdateId)), Is.True, "other header flags are kept");
            Assert.That(slots.Select(s => s.LevelIndex), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(slots.All(s => s.LevelCount == 3 && s.FinalUpdateId == 7 && s.SymbolId == 2), Is.True, "every slot copies the header");
            Assert.That(slots.Select(s => (s.Side, s.Price, s.Quantity)), Is.EqualTo(new[] { (BookSide.Bid, 100L, 1L), (BookSide.Bid, 99L, 0L), (BookSide.Ask, 101L, 3L) }));
        }
    }

    [Test]
    public void ShouldWriteOneEmptySlot_WhenTheMessageHasNoLevel()
    {
        // Arrange
        var header = Header();
        header.Side = BookSide.Bid;
        header.Price = 5;
        var slots = new MarketEvent[1];

        // Act
        var written = DepthMessageFramer.Frame(in header, [], [], [], slots);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.EqualTo(1));
            Assert.That(slots[0].Flags & ~MarketEventFlags.HasPreviousFinalUpdateId, Is.EqualTo(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage));
            Assert.That((slots[0].Side, slots[0].Price, slots[0].LevelCount), Is.EqualTo((BookSide.None, 0L, 0)));
        }
    }

    [Test]
    public void ShouldRefuseMismatchedInput_WhenFraming()
    {
        // Arrange
        var header = Header();

        // Act / Assert
        Assert.Throws<ArgumentException>(() => DepthMessageFramer.Frame(in header, Sides, Prices, [1], new MarketEvent[3]));
        Assert.Throws<ArgumentException>(() => DepthMessageFramer.Frame(in header, Sides, Prices, Quantities, new MarketEvent[2]));
    }

    [TestCase(-1, 1)]
    [TestCase(-1, 2)]
    [TestCase(0, 1)]
    [TestCase(0, 8)]
    public void ShouldPublishEveryLevelInOrder_WhenPublishedInChunks(long held, int maxChunk)
    {
        // Arrange: a held claim (sequence 0) or none; chunks of maxChunk slots.
        var ring = new RingBuffer<MarketEvent>(16, new BlockingWaitStrategy());
        var heldSequence = held >= 0 ? ring.Next() : -1;
        var header = Header();
        DepthMessageFramer.PrepareHeader(ref header, Sides.Length);

        // Act
        var stamp = DepthMessageFramer.Publish(ring, heldSequence, in header, Sides, Prices, Quantities, maxChunk);

        // Assert
        var slots = Enumerable.Range(0, 3).Select(i => ring[i]).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ring.Cursor.Value, Is.EqualTo(2), "three slots published");
            Assert.That(slots.Select(s => s.Price), Is.EqualTo(Prices));
            Assert.That(slots[0].Flags.HasFlag(MarketEventFlags.BeginOfMessage) && slots[2].Flags.HasFlag(MarketEventFlags.EndOfMessage), Is.True);
            Assert.That(slots[2].PublishTimestampNs, Is.EqualTo(stamp), "the last chunk's publish time is returned");
        }
    }

    private static MarketEvent Header() => new()
    {
        Kind = MarketEventKind.DepthLevel,
        Market = Market.Futures,
        SymbolId = 2,
        FirstUpdateId = 5,
        FinalUpdateId = 7,
        PreviousFinalUpdateId = 4,
        Flags = MarketEventFlags.HasPreviousFinalUpdateId,
    };
}
