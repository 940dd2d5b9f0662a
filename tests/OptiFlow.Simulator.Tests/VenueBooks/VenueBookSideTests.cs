using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.VenueBooks;

/// <summary>One side of the simulator's own book: absolute quantities, 0 removes, best first.</summary>
[TestFixture]
public sealed class VenueBookSideTests
{
    [Test]
    public void ShouldHoldLevel_WhenQuantitySetOnNewPrice()
    {
        // Arrange
        var side = new VenueBookSide(BookSide.Bid);

        // Act
        side.Set(100, 5);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(side.Count, Is.EqualTo(1));
            Assert.That(side.QuantityAt(100), Is.EqualTo(5));
        }
    }

    [Test]
    public void ShouldReplaceQuantity_WhenPriceAlreadyHeld()
    {
        // Arrange
        var side = new VenueBookSide(BookSide.Ask);
        side.Set(100, 5);

        // Act: absolute, not a delta.
        side.Set(100, 3);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(side.Count, Is.EqualTo(1));
            Assert.That(side.QuantityAt(100), Is.EqualTo(3));
        }
    }

    [Test]
    public void ShouldRemoveLevel_WhenQuantityIsZero()
    {
        // Arrange
        var side = new VenueBookSide(BookSide.Bid);
        side.Set(100, 5);
        side.Set(99, 4);

        // Act
        side.Set(100, 0);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(side.Count, Is.EqualTo(1));
            Assert.That(side.QuantityAt(100), Is.Zero);
            Assert.That(side.QuantityAt(99), Is.EqualTo(4));
        }
    }

    [Test]
    public void ShouldChangeNothing_WhenUnknownLevelRemoved()
    {
        // Arrange: "an event that removes a price level that is not in your local order book can happen and is normal".
        var side = new VenueBookSide(BookSide.Ask);
        side.Set(100, 5);

        // Act
        side.Set(101, 0);

        // Assert
        Assert.That(side.BestFirst, Is.EqualTo(new[] { new KeyValuePair<long, long>(100, 5) }));
    }

    [Test]
    public void ShouldListHighestPriceFirst_WhenSideIsBid()
    {
        // Arrange
        var side = new VenueBookSide(BookSide.Bid);

        // Act
        side.Set(99, 1);
        side.Set(101, 2);
        side.Set(100, 3);

        // Assert
        Assert.That(side.BestFirst.Select(level => level.Key), Is.EqualTo(new long[] { 101, 100, 99 }));
    }

    [Test]
    public void ShouldListLowestPriceFirst_WhenSideIsAsk()
    {
        // Arrange
        var side = new VenueBookSide(BookSide.Ask);

        // Act
        side.Set(101, 2);
        side.Set(99, 1);
        side.Set(100, 3);

        // Assert
        Assert.That(side.BestFirst.Select(level => level.Key), Is.EqualTo(new long[] { 99, 100, 101 }));
    }

    [Test]
    public void ShouldBeEmpty_WhenCleared()
    {
        // Arrange
        var side = new VenueBookSide(BookSide.Bid);
        side.Set(100, 5);
        side.Set(99, 4);

        // Act
        side.Clear();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(side.Count, Is.Zero);
            Assert.That(side.BestFirst, Is.Empty);
        }
    }

    [Test]
    public void ShouldThrow_WhenSideIsNeitherBidNorAsk()
    {
        // Arrange, Act and Assert
        Assert.That(() => new VenueBookSide(BookSide.None), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
