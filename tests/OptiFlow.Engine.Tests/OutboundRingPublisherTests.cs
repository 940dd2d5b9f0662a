using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

/// <summary>
/// The core's outbound port: every record a slot of the outbound ring, tagged by kind; book views framed one level per
/// slot with begin/end flags; the slot layout as documented; nothing allocated per record.
/// </summary>
[TestFixture]
public sealed class OutboundRingPublisherTests
{
    [Test]
    public void ShouldPlaceEveryMemberAtTheDocumentedOffset_WhenLaidOut()
    {
        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OutboundEventDescriptor.MatchesRuntimeLayout(), Is.True);
            Assert.That(Unsafe.SizeOf<OutboundEvent>(), Is.EqualTo(128));
            Assert.That(Unsafe.SizeOf<BookLevel>(), Is.EqualTo(64));
            Assert.That(Marshal.OffsetOf<OutboundEvent>(nameof(OutboundEvent.Kind)).ToInt32(), Is.EqualTo(OutboundEventDescriptor.KindOffset));
            Assert.That(Marshal.OffsetOf<OutboundEvent>(nameof(OutboundEvent.Flags)).ToInt32(), Is.EqualTo(OutboundEventDescriptor.FlagsOffset));
            Assert.That(Marshal.OffsetOf<OutboundEvent>(nameof(OutboundEvent.Signal)).ToInt32(), Is.EqualTo(OutboundEventDescriptor.PayloadOffset));
            Assert.That(Marshal.OffsetOf<OutboundEvent>(nameof(OutboundEvent.SnapshotRequest)).ToInt32(), Is.EqualTo(OutboundEventDescriptor.PayloadOffset));
            Assert.That(Marshal.OffsetOf<OutboundEvent>(nameof(OutboundEvent.OrderCommand)).ToInt32(), Is.EqualTo(OutboundEventDescriptor.PayloadOffset));
            Assert.That(Marshal.OffsetOf<OutboundEvent>(nameof(OutboundEvent.BookLevel)).ToInt32(), Is.EqualTo(OutboundEventDescriptor.PayloadOffset));
        }
    }

    [Test]
    public void ShouldPublishSignalsAndRequestsInOrder_WhenNoBookViewIsAsked()
    {
        // Arrange
        var ring = new RingBuffer<OutboundEvent>(16, new BlockingWaitStrategy());
        var publisher = new OutboundRingPublisher(ring);
        var book = Book(bids: 2, asks: 0);
        var signal = new SignalEvent { Sequence = 3, SymbolId = 1, Applied = 1, BestBid = book.Bids.PriceAt(0) };
        var request = new SnapshotRequest { CausingSequence = 4, SymbolId = 1, FirstBufferedUpdateId = 9, Reason = SnapshotRequestReason.ChainBroken };

        // Act
        publisher.OnSignal(in signal, book);
        publisher.OnSnapshotRequest(in request);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ring.Cursor.Value, Is.EqualTo(1));
            Assert.That(ring[0].Kind, Is.EqualTo(OutboundEventKind.Signal));
            Assert.That(ring[0].Signal, Is.EqualTo(signal));
            Assert.That(ring[0].Flags, Is.EqualTo(OutboundEventFlags.AskSideEmpty), "the ask side was empty");
            Assert.That(ring[1].Kind, Is.EqualTo(OutboundEventKind.SnapshotRequest));
            Assert.That(ring[1].SnapshotRequest, Is.EqualTo(request));
            Assert.That(publisher.Published, Is.EqualTo(2));
        }
    }

    [TestCase(3, 2, 2, 2)]
    [TestCase(0, 0, 5, 0)]
    [TestCase(1, 4, 2, 0)]
    [TestCase(40, 40, 20, 20)]
    public void ShouldFrameTheTopLevelsBidsFirst_WhenAViewIsDue(int bids, int asks, int depth, int ringHalfCap)
    {
        // Arrange: a ring small enough that a deep view is published in chunks (half the ring) when ringHalfCap > 0.
        var ringSize = ringHalfCap > 0 ? 64 : 256;
        var ring = new RingBuffer<OutboundEvent>(ringSize, new BlockingWaitStrategy());
        var consumed = new Sequence();
        ring.Sequencer.SetGatingSequences(consumed);
        var publisher = new OutboundRingPublisher(ring, new BookViewPolicy(depth, Every: 2));
        var book = Book(bids, asks);
        var first = new SignalEvent { SymbolId = 1, Applied = 1, FinalUpdateId = 10, EventTimeMs = 100 };
        var second = new SignalEvent { SymbolId = 1, Applied = 2, FinalUpdateId = 11, EventTimeMs = 110 };

        // Act
        publisher.OnSignal(in first, book);
        publisher.OnSignal(in second, book);

        // Assert
        var slots = Enumerable.Range(0, (int)ring.Cursor.Value + 1).Select(i => ring[i]).ToArray();
        var levels = slots.Where(s => s.Kind == OutboundEventKind.BookLevel).Select(s => s.BookLevel).ToArray();
        var expectedBids = Math.Min(depth, bids);
        var expectedAsks = Math.Min(depth, asks);
        var count = expectedBids + expectedAsks;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(slots.Count(s => s.Kind == OutboundEventKind.Signal), Is.EqualTo(2));
            Assert.That(slots[1].Kind, Is.EqualTo(OutboundEventKind.Signal), "no view after applied 1 (every 2)");
            Assert.That(levels, Has.Length.EqualTo(Math.Max(1, count)), "one slot per level, one for an empty view");
            Assert.That(levels.All(l => l.Applied == 2 && l.FinalUpdateId == 11 && l.EventTimeMs == 110 && l.LevelCount == count && l.BidCount == expectedBids), Is.True);
            Assert.That(levels[0].Flags.HasFlag(MarketEventFlags.BeginOfMessage), Is.True);
            Assert.That(levels[^1].Flags.HasFlag(MarketEventFlags.EndOfMessage), Is.True);
            if (count == 0)
            {
                Assert.That(levels[0].Flags.HasFlag(MarketEventFlags.EmptyMessage), Is.True);
            }
            else
            {
                Assert.That(levels.Select(l => l.LevelIndex), Is.EqualTo(Enumerable.Range(0, count)));
                Assert.That(levels.Take(expectedBids).Select(l => l.Price), Is.EqualTo(Enumerable.Range(0, expectedBids).Select(i => book.Bids.PriceAt(i))), "bids best first");
                Assert.That(levels.Skip(expectedBids).Select(l => l.Price), Is.EqualTo(Enumerable.Range(0, expectedAsks).Select(i => book.Asks.PriceAt(i))), "asks best first");
                Assert.That(levels.Take(expectedBids).All(l => l.Side == BookSide.Bid) && levels.Skip(expectedBids).All(l => l.Side == BookSide.Ask), Is.True);
            }
        }
    }

    [Test]
    public void ShouldAllocateNothing_WhenPublishingSignalsRequestsAndViews()
    {
        // Arrange
        var ring = new RingBuffer<OutboundEvent>(1 << 12, new BlockingWaitStrategy());
        var consumed = new Sequence();
        ring.Sequencer.SetGatingSequences(consumed);
        var publisher = new OutboundRingPublisher(ring, new BookViewPolicy(5, 1));
        var book = Book(10, 10);
        var signal = new SignalEvent { SymbolId = 1, Applied = 1 };
        var request = new SnapshotRequest { SymbolId = 1 };

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                publisher.OnSignal(in signal, book);
                publisher.OnSnapshotRequest(in request);
            }

            consumed.SetValue(ring.Cursor.Value);
        });
    }

    private static OrderBook Book(int bids, int asks)
    {
        var book = new OrderBook(1);
        for (var i = 0; i < bids; i++)
        {
            book.Set(BookSide.Bid, (1_000 - i) * FixedPoint.Scale, (i + 1) * FixedPoint.Scale);
        }

        for (var i = 0; i < asks; i++)
        {
            book.Set(BookSide.Ask, (1_001 + i) * FixedPoint.Scale, (i + 2) * FixedPoint.Scale);
        }

        return book;
    }
}
