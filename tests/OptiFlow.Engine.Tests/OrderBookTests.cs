using OptiFlow.Testing;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Tests.Support;

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

    [Test]
    public void ShouldDigestAsTheSortedArrayDid_WhenBothSidesAreOnTheirLadders()
    {
        // Arrange: a 1,000-level futures-like book (0.1 tick, 10⁻⁸ units), then a seeded stream of updates, removals,
        // far levels and a touch that walks up 10,000 ticks, applied to the book and to main's sorted array.
        const long tick = 10_000_000;
        const long mid = 6_000_000_000_000;
        var book = new OrderBook(1);
        var bids = new SortedArrayPriceLevels(isAsk: false, OrderBook.DefaultCapacity);
        var asks = new SortedArrayPriceLevels(isAsk: true, OrderBook.DefaultCapacity);
        void Both(BookSide side, long price, long quantity)
        {
            book.Set(side, price, quantity);
            (side == BookSide.Bid ? bids : asks).Set(price, quantity);
        }

        for (var i = 0; i < 1000; i++)
        {
            Both(BookSide.Bid, mid - ((i + 1) * tick), 1 + i);
            Both(BookSide.Ask, mid + (i * tick), 1 + i);
        }

        var random = new Random(20);

        // Act
        for (var i = 0; i < 50_000; i++)
        {
            var shift = i / 5 * tick;
            var side = random.Next(2) == 0 ? BookSide.Bid : BookSide.Ask;
            var distance = random.Next(10) == 0 ? random.Next(100_000) : random.Next(300);
            var price = side == BookSide.Bid ? mid + shift - ((distance + 1) * tick) : mid + shift + (distance * tick);
            Both(side, price, random.Next(3) == 0 ? 0 : random.Next(1, 1_000_000));
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(book.Digest(), Is.EqualTo(asks.Digest(bids.Digest(0))));
            Assert.That((book.Bids.Count, book.Asks.Count), Is.EqualTo((bids.Count, asks.Count)));
            Assert.That(book.Bids.RecenterCount + book.Asks.RecenterCount, Is.GreaterThan(2), "the touch walked out of the first windows");
            Assert.That(book.Bids.LevelsOutsideLadder + book.Asks.LevelsOutsideLadder, Is.GreaterThan(0), "far levels kept in the sorted array");
        });
    }
}
