using System.Text;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.VenueBooks;

/// <summary>The REST depth body the simulator serves (binance.md §3.3): exact bytes, best first, cut to the limit.</summary>
[TestFixture]
public sealed class DepthSnapshotEncoderTests
{
    private const BookSide Bid = BookSide.Bid;
    private const BookSide Ask = BookSide.Ask;

    [Test]
    public void ShouldWriteSpotShapeBestFirst_WhenLevelsWereSetInAnyOrder()
    {
        // Arrange
        var book = new VenueBook(Market.Spot);
        book.LoadSnapshot(1027024, Levels.Of((Bid, Units(3.99m), 100 * FixedPoint.Scale), (Bid, Units(4m), Units(431m)), (Ask, Units(4.000002m), 12 * FixedPoint.Scale), (Ask, Units(4.000001m), Units(0.5m))));

        // Act
        var body = DepthSnapshotEncoder.Encode(book, limit: 0);

        // Assert
        Assert.That(
            Encoding.ASCII.GetString(body),
            Is.EqualTo("{\"lastUpdateId\":1027024,\"bids\":[[\"4\",\"431\"],[\"3.99\",\"100\"]],\"asks\":[[\"4.000001\",\"0.5\"],[\"4.000002\",\"12\"]]}"));
    }

    [Test]
    public void ShouldWriteLastAppliedEventTimeAsEAndT_WhenMarketIsFutures()
    {
        // Arrange
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, Units(61800.2m), Units(0.003m)), (Ask, Units(61800.3m), Units(1m))));
        book.ApplyDiff(99, 101, 98, 1723161256501, Levels.Of((Ask, Units(61800.3m), Units(2.5m))));

        // Act
        var body = DepthSnapshotEncoder.Encode(book, limit: 0);

        // Assert
        Assert.That(
            Encoding.ASCII.GetString(body),
            Is.EqualTo("{\"lastUpdateId\":101,\"E\":1723161256501,\"T\":1723161256501,\"bids\":[[\"61800.2\",\"0.003\"]],\"asks\":[[\"61800.3\",\"2.5\"]]}"));
    }

    [Test]
    public void ShouldWriteZeroTimes_WhenFuturesBookHasNoAppliedDiffYet()
    {
        // Arrange: seeded only; the simulator has served E and T of 0 here since it was written (kept byte for byte).
        var book = new VenueBook(Market.Futures);
        book.LoadSnapshot(100, Levels.Of((Bid, Units(1m), Units(1m))));

        // Act
        var body = DepthSnapshotEncoder.Encode(book, limit: 0);

        // Assert
        Assert.That(Encoding.ASCII.GetString(body), Is.EqualTo("{\"lastUpdateId\":100,\"E\":0,\"T\":0,\"bids\":[[\"1\",\"1\"]],\"asks\":[]}"));
    }

    [Test]
    public void ShouldCutEachSideToBestLevels_WhenLimitIsBelowDepth()
    {
        // Arrange
        var book = BookWithThreeLevelsPerSide();

        // Act
        var body = DepthSnapshotEncoder.Encode(book, limit: 2);

        // Assert
        Assert.That(
            Encoding.ASCII.GetString(body),
            Is.EqualTo("{\"lastUpdateId\":7,\"bids\":[[\"10\",\"1\"],[\"9\",\"2\"]],\"asks\":[[\"11\",\"4\"],[\"12\",\"5\"]]}"));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(5000)]
    public void ShouldWriteEveryLevel_WhenLimitIsZeroOrAtLeastDepth(int limit)
    {
        // Arrange
        var book = BookWithThreeLevelsPerSide();

        // Act
        var body = DepthSnapshotEncoder.Encode(book, limit);

        // Assert
        Assert.That(
            Encoding.ASCII.GetString(body),
            Is.EqualTo("{\"lastUpdateId\":7,\"bids\":[[\"10\",\"1\"],[\"9\",\"2\"],[\"8\",\"3\"]],\"asks\":[[\"11\",\"4\"],[\"12\",\"5\"],[\"13\",\"6\"]]}"));
    }

    [Test]
    public void ShouldWriteEmptySides_WhenSnapshotHadNoLevels()
    {
        // Arrange
        var book = new VenueBook(Market.Spot);
        book.LoadSnapshot(5, Levels.None);

        // Act
        var body = DepthSnapshotEncoder.Encode(book, limit: 100);

        // Assert
        Assert.That(Encoding.ASCII.GetString(body), Is.EqualTo("{\"lastUpdateId\":5,\"bids\":[],\"asks\":[]}"));
    }

    private static VenueBook BookWithThreeLevelsPerSide()
    {
        var book = new VenueBook(Market.Spot);
        book.LoadSnapshot(7, Levels.Of(
            (Bid, Units(8m), Units(3m)), (Bid, Units(10m), Units(1m)), (Bid, Units(9m), Units(2m)),
            (Ask, Units(13m), Units(6m)), (Ask, Units(11m), Units(4m)), (Ask, Units(12m), Units(5m))));
        return book;
    }

    private static long Units(decimal value) => (long)(value * FixedPoint.Scale);
}
