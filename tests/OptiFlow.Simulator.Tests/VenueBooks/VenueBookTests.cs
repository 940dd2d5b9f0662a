using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.VenueBooks;

/// <summary>
/// The simulator's own book of one symbol: a recorded snapshot seeds it and recorded diffs move it by Binance's rules
/// (binance.md §3.1 spot, §3.2 futures), so the snapshot it serves is the book as of the diffs sent so far.
/// </summary>
[TestFixture]
public sealed class VenueBookTests
{
    private const BookSide Bid = BookSide.Bid;
    private const BookSide Ask = BookSide.Ask;

    [Test]
    public void ShouldBeUnknownAndBuffer_WhenDiffsComeBeforeAnySnapshot()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);

        // Act
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2)));
        book.ApplyDiff(103, 105, 102, 1050, Levels.Of((Ask, 101, 3)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Unknown));
            Assert.That(book.IsKnown, Is.False);
            Assert.That(book.BufferedCount, Is.EqualTo(2));
            Assert.That(book.Bids.Count + book.Asks.Count, Is.Zero, "nothing applied");
        }
    }

    [Test]
    public void ShouldHoldSnapshotAndServeItsId_WhenSnapshotLoaded()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);

        // Act
        var loaded = book.LoadSnapshot(100, Levels.Of((Bid, 98, 5), (Bid, 99, 1), (Ask, 103, 5)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded, Is.True);
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Seeded));
            Assert.That(book.LastUpdateId, Is.EqualTo(100));
            Assert.That(book.LastAppliedEventTimeMs, Is.Zero, "no diff applied yet");
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (99L, 1L), (98L, 5L) }));
            Assert.That(Levels.Pairs(book.Asks.BestFirst), Is.EqualTo(new[] { (103L, 5L) }));
        }
    }

    [Test]
    public void ShouldReplaceEverything_WhenSecondSnapshotLoadedOnSeededBook()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5), (Ask, 103, 5)));

        // Act
        book.LoadSnapshot(90, Levels.Of((Bid, 97, 1)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.LastUpdateId, Is.EqualTo(90));
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (97L, 1L) }));
            Assert.That(book.Asks.Count, Is.Zero);
        }
    }

    [Test]
    public void ShouldApplyBridgingDiffThenChainOnPu_WhenFuturesDiffsFollowSnapshot()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5), (Ask, 103, 5)));

        // Act: U ≤ 100 ≤ u, then pu == previous u.
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2), (Ask, 103, 0)));
        book.ApplyDiff(103, 105, 102, 1050, Levels.Of((Ask, 101, 3), (Bid, 98, 7)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Live));
            Assert.That(book.Applied, Is.EqualTo(2));
            Assert.That(book.LastUpdateId, Is.EqualTo(105), "served id: the last applied u");
            Assert.That(book.LastAppliedEventTimeMs, Is.EqualTo(1050));
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (100L, 2L), (98L, 7L) }));
            Assert.That(Levels.Pairs(book.Asks.BestFirst), Is.EqualTo(new[] { (101L, 3L) }));
        }
    }

    [Test]
    public void ShouldDropDiffEndingBeforeSnapshotAndApplyOneEndingAtIt_WhenFutures()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5)));

        // Act: u = 99 < 100 is dropped; u = 100 brackets (u ≥ lastUpdateId is inclusive, binance.md §3.2).
        book.ApplyDiff(95, 99, 94, 990, Levels.Of((Bid, 97, 1)));
        book.ApplyDiff(100, 100, 99, 1000, Levels.Of((Bid, 96, 1)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.DroppedBeforeSnapshot, Is.EqualTo(1));
            Assert.That(book.Applied, Is.EqualTo(1));
            Assert.That(book.LastUpdateId, Is.EqualTo(100));
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (98L, 5L), (96L, 1L) }));
        }
    }

    [Test]
    public void ShouldDropDiffEndingAtSnapshotAndChainOnU_WhenSpot()
    {
        // Arrange
        var book = new VenueBook(Market.Spot);
        book.LoadSnapshot(100, Levels.Of((Ask, 103, 5)));

        // Act: spot drops u ≤ 100, applies U ≤ 101 ≤ u, then needs U == previous u + 1 (pu is not looked at).
        book.ApplyDiff(99, 100, 0, 1000, Levels.Of((Ask, 104, 1)));
        book.ApplyDiff(101, 102, 0, 1020, Levels.Of((Ask, 102, 1)));
        book.ApplyDiff(103, 104, 0, 1040, Levels.Of((Ask, 103, 0)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.DroppedBeforeSnapshot, Is.EqualTo(1));
            Assert.That(book.Applied, Is.EqualTo(2));
            Assert.That(book.Gaps, Is.Zero);
            Assert.That(book.LastUpdateId, Is.EqualTo(104));
            Assert.That(Levels.Pairs(book.Asks.BestFirst), Is.EqualTo(new[] { (102L, 1L) }));
        }
    }

    [Test]
    public void ShouldApplyBufferedDiffs_WhenSnapshotComesAfterThem()
    {
        // Arrange: the recorder got these diffs before the REST snapshot's response.
        var book = new VenueBook(Market.Futures);
        book.ApplyDiff(90, 95, 89, 950, Levels.Of((Bid, 90, 9)));
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2)));
        book.ApplyDiff(103, 105, 102, 1050, Levels.Of((Ask, 101, 3)));

        // Act
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5), (Ask, 103, 5)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Live));
            Assert.That(book.DroppedBeforeSnapshot, Is.EqualTo(1), "u = 95 ends before the snapshot");
            Assert.That(book.Applied, Is.EqualTo(2));
            Assert.That(book.BufferedCount, Is.Zero);
            Assert.That(book.LastUpdateId, Is.EqualTo(105));
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (100L, 2L), (98L, 5L) }));
            Assert.That(Levels.Pairs(book.Asks.BestFirst), Is.EqualTo(new[] { (101L, 3L), (103L, 5L) }));
        }
    }

    [Test]
    public void ShouldAdvanceId_WhenDiffHasNoLevels()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5)));
        book.ApplyDiff(96, 102, 95, 1020, Levels.None);

        // Act
        book.ApplyDiff(103, 105, 102, 1050, Levels.Of((Bid, 99, 1)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Applied, Is.EqualTo(2));
            Assert.That(book.Gaps, Is.Zero, "the empty diff moved u to 102");
            Assert.That(book.LastUpdateId, Is.EqualTo(105));
        }
    }

    [Test]
    public void ShouldForgetBookAndBuffer_WhenFuturesDiffDoesNotChain()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5)));
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2)));

        // Act: the diff 103..105 is missing from the recording.
        book.ApplyDiff(106, 108, 105, 1080, Levels.Of((Bid, 99, 4)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Gaps, Is.EqualTo(1));
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Unknown));
            Assert.That(book.IsKnown, Is.False);
            Assert.That(book.BufferedCount, Is.EqualTo(1), "kept for the next snapshot");
            Assert.That(book.LastAppliedUpdateId, Is.EqualTo(102));
        }
    }

    [Test]
    public void ShouldForgetBook_WhenSpotDiffSkipsAnId()
    {
        // Arrange
        var book = new VenueBook(Market.Spot);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5)));
        book.ApplyDiff(101, 102, 0, 1020, Levels.Of((Bid, 100, 2)));

        // Act: U must be 103.
        book.ApplyDiff(104, 105, 0, 1050, Levels.Of((Bid, 99, 4)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Gaps, Is.EqualTo(1));
            Assert.That(book.IsKnown, Is.False);
        }
    }

    [Test]
    public void ShouldGap_WhenFirstDiffAfterSnapshotStartsPastIt()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5)));

        // Act: U = 103 > 100: the diffs between the snapshot and this one are missing.
        book.ApplyDiff(103, 105, 102, 1050, Levels.Of((Bid, 99, 4)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Gaps, Is.EqualTo(1));
            Assert.That(book.IsKnown, Is.False);
            Assert.That(book.Applied, Is.Zero);
        }
    }

    [Test]
    public void ShouldResyncFromBuffer_WhenSnapshotFollowsGap()
    {
        // Arrange: live at 102, then the recording breaks; 106..108 and 109..110 are buffered.
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5), (Ask, 103, 5)));
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2)));
        book.ApplyDiff(106, 108, 105, 1080, Levels.Of((Bid, 99, 4)));
        book.ApplyDiff(109, 110, 108, 1100, Levels.Of((Ask, 102, 1)));

        // Act: a later snapshot (lastUpdateId 107) seeds the book again.
        book.LoadSnapshot(107, Levels.Of((Bid, 97, 1), (Ask, 104, 1)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Live));
            Assert.That(book.Gaps, Is.EqualTo(1));
            Assert.That(book.SnapshotsLoaded, Is.EqualTo(2));
            Assert.That(book.LastUpdateId, Is.EqualTo(110));
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (99L, 4L), (97L, 1L) }), "the new snapshot's book, not the old one");
            Assert.That(Levels.Pairs(book.Asks.BestFirst), Is.EqualTo(new[] { (102L, 1L), (104L, 1L) }));
        }
    }

    [Test]
    public void ShouldDiscardEarlierBufferedDiffs_WhenBufferedDiffsDoNotChain()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2)));

        // Act: 103..105 is missing; the buffered 96..102 can never be applied.
        book.ApplyDiff(106, 108, 105, 1080, Levels.Of((Bid, 99, 4)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.Gaps, Is.EqualTo(1));
            Assert.That(book.BufferedCount, Is.EqualTo(1));
        }
    }

    [TestCase(108, TestName = "ShouldKeepLiveBook_WhenSnapshotEqualsLastApplied")]
    [TestCase(106, TestName = "ShouldKeepLiveBook_WhenSnapshotIsOlderThanLastApplied")]
    public void ShouldKeepLiveBook_WhenSnapshotIsBehindIt(long lastUpdateId)
    {
        // Arrange: live at u = 108.
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5), (Ask, 103, 5)));
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2)));
        book.ApplyDiff(103, 108, 102, 1080, Levels.Of((Ask, 101, 3)));

        // Act
        var loaded = book.LoadSnapshot(lastUpdateId, Levels.Of((Bid, 1, 1)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded, Is.False);
            Assert.That(book.SnapshotsBehindBook, Is.EqualTo(1));
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Live));
            Assert.That(book.LastUpdateId, Is.EqualTo(108));
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (100L, 2L), (98L, 5L) }));
        }
    }

    [Test]
    public void ShouldReseedLiveBook_WhenSnapshotIsAheadOfIt()
    {
        // Arrange: live at u = 105.
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5)));
        book.ApplyDiff(96, 105, 95, 1050, Levels.Of((Bid, 100, 2)));

        // Act
        var loaded = book.LoadSnapshot(108, Levels.Of((Bid, 97, 1)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded, Is.True);
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Seeded));
            Assert.That(book.LastUpdateId, Is.EqualTo(108));
            Assert.That(book.LastAppliedEventTimeMs, Is.EqualTo(1050), "E of the last applied diff is kept");
            Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(new[] { (97L, 1L) }));
        }
    }

    [Test]
    public void ShouldDiscardBufferAndMissSnapshot_WhenBufferedLevelsOverflow()
    {
        // Arrange: the bridging diff (96..102) is buffered, then more levels than the buffer holds.
        var book = new VenueBook(Market.Futures);
        book.ApplyDiff(96, 102, 95, 1020, Levels.Of((Bid, 100, 2)));
        var big = Levels.Of([.. Enumerable.Range(1, VenueBook.BufferCapacityLevels).Select(i => (Bid, (long)i, 1L))]);

        // Act
        book.ApplyDiff(103, 105, 102, 1050, big);
        book.LoadSnapshot(100, Levels.Of((Bid, 98, 5)));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.BufferOverflowMessages, Is.EqualTo(1), "the bridging diff was discarded");
            Assert.That(book.Gaps, Is.EqualTo(1), "103..105 does not bracket 100");
            Assert.That(book.IsKnown, Is.False);
        }
    }

    [Test]
    public void ShouldDropDiff_WhenItAloneExceedsBuffer()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        var huge = Levels.Of([.. Enumerable.Range(1, VenueBook.BufferCapacityLevels + 1).Select(i => (Ask, (long)i, 1L))]);

        // Act
        book.ApplyDiff(96, 102, 95, 1020, huge);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(book.BufferOverflowMessages, Is.EqualTo(1));
            Assert.That(book.BufferedCount, Is.Zero);
        }
    }
}
