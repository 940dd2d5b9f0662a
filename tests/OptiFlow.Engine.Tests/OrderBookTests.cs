using OptiFlow.Engine.Books;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Tests;

public class OrderBookTests
{
    [Test]
    public void ShouldRouteLevelsToTheirSide_WhenSetting()
    {
        // Arrange
        var book = new OrderBook(symbolId: 3, capacity: 8);

        // Act
        book.Set(BookSide.Bid, 100, 1);
        book.Set(BookSide.Bid, 101, 2);
        book.Set(BookSide.Ask, 103, 3);
        book.Set(BookSide.Ask, 102, 4);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(book.SymbolId, Is.EqualTo(3));
            Assert.That(book.Bids.PriceAt(0), Is.EqualTo(101));
            Assert.That(book.Asks.PriceAt(0), Is.EqualTo(102));
            Assert.That(book.IsCrossed, Is.False);
        });
    }

    [TestCase(102, true)]
    [TestCase(103, true)]
    [TestCase(101, false)]
    public void ShouldReportCrossed_WhenBestBidReachesBestAsk(long bid, bool crossed)
    {
        // Arrange
        var book = new OrderBook(0, 8);
        book.Set(BookSide.Ask, 102, 1);

        // Act
        book.Set(BookSide.Bid, bid, 1);

        // Assert
        Assert.That(book.IsCrossed, Is.EqualTo(crossed));
    }

    [Test]
    public void ShouldNotBeCrossed_WhenASideIsEmpty()
    {
        // Arrange
        var book = new OrderBook(0, 8);

        // Act
        book.Set(BookSide.Bid, 200, 1);

        // Assert
        Assert.That(book.IsCrossed, Is.False);
    }

    [Test]
    public void ShouldDigestEqualBooksEqually_WhenBuiltInDifferentOrders()
    {
        // Arrange
        var a = new OrderBook(0, 8);
        var b = new OrderBook(0, 8);
        a.Set(BookSide.Bid, 1, 1);
        a.Set(BookSide.Ask, 2, 2);
        b.Set(BookSide.Ask, 2, 2);
        b.Set(BookSide.Bid, 9, 9);
        b.Set(BookSide.Bid, 1, 1);
        b.Set(BookSide.Bid, 9, 0);
        var before = a.Digest();

        // Act
        a.Set(BookSide.Ask, 2, 3);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(b.Digest()));
            Assert.That(a.Digest(), Is.Not.EqualTo(before));
        });
    }

    [Test]
    public void ShouldEmptyBothSides_WhenCleared()
    {
        // Arrange
        var book = new OrderBook(0, 8);
        book.Set(BookSide.Bid, 1, 1);
        book.Set(BookSide.Ask, 2, 1);

        // Act
        book.Clear();

        // Assert
        Assert.That(book.Bids.Count + book.Asks.Count, Is.Zero);
    }
}
