using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Engine.Books;

namespace OptiFlow.Engine.Tests;

public class PriceLevelsTests
{
    [Test]
    public void ShouldInsertUpdateAndRemove_WhenSettingLevels()
    {
        // Arrange
        var bids = new PriceLevels(isAsk: false, 4);

        // Act
        bids.Set(100, 5);
        bids.Set(101, 7);
        bids.Set(99, 1);
        bids.Set(100, 8);
        bids.Set(101, 0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bids.Count, Is.EqualTo(2));
            Assert.That((bids.PriceAt(0), bids.QuantityAt(0)), Is.EqualTo((100L, 8L)));
            Assert.That((bids.PriceAt(1), bids.QuantityAt(1)), Is.EqualTo((99L, 1L)));
        });
    }

    [Test]
    public void ShouldFindTheQuantityAtAPrice_OnEitherSide()
    {
        // Arrange
        var asks = new PriceLevels(isAsk: true, 4);
        asks.Set(101, 3);
        asks.Set(102, 4);

        // Act
        var present = asks.QuantityOf(102);
        var absent = asks.QuantityOf(100);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(present, Is.EqualTo(4));
            Assert.That(absent, Is.Zero);
        });
    }

    [Test]
    public void ShouldIgnore_WhenRemovingAnUnknownLevel()
    {
        // Arrange
        var asks = new PriceLevels(isAsk: true, 4);
        asks.Set(200, 3);
        var before = asks.Digest(0);

        // Act
        asks.Set(250, 0);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(asks.Count, Is.EqualTo(1));
            Assert.That(asks.Digest(0), Is.EqualTo(before));
        });
    }

    [Test]
    public void ShouldOrderBestFirst_WhenReadingEitherSide()
    {
        // Arrange
        var bids = new PriceLevels(isAsk: false, 8);
        var asks = new PriceLevels(isAsk: true, 8);
        foreach (var p in new long[] { 5, 1, 9, 3, 7 })
        {
            bids.Set(p, p * 10);
            asks.Set(p, p * 10);
        }

        // Act
        var bidPrices = Enumerable.Range(0, bids.Count).Select(bids.PriceAt).ToArray();
        var askPrices = Enumerable.Range(0, asks.Count).Select(asks.PriceAt).ToArray();
        var askQuantities = Enumerable.Range(0, asks.Count).Select(asks.QuantityAt).ToArray();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bidPrices, Is.EqualTo(new long[] { 9, 7, 5, 3, 1 }));
            Assert.That(askPrices, Is.EqualTo(new long[] { 1, 3, 5, 7, 9 }));
            Assert.That(askQuantities, Is.EqualTo(new long[] { 10, 30, 50, 70, 90 }));
        });
    }

    [Test]
    public void ShouldSumTopLevels_WhenAskedForMoreOrFewerThanTheDepth()
    {
        // Arrange
        var asks = new PriceLevels(isAsk: true, 8);
        asks.Set(10, 1);
        asks.Set(11, 2);
        asks.Set(12, 4);
        asks.Set(13, long.MaxValue);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(asks.SumQuantity(0), Is.EqualTo((Int128)0));
            Assert.That(asks.SumQuantity(1), Is.EqualTo((Int128)1));
            Assert.That(asks.SumQuantity(3), Is.EqualTo((Int128)7));
            Assert.That(asks.SumQuantity(10), Is.EqualTo((Int128)7 + long.MaxValue), "no overflow: summed in Int128");
        });
    }

    [Test]
    public void ShouldGrowAndKeepOrder_WhenExceedingCapacity()
    {
        // Arrange
        // The sorted array alone (the ladder would take over at its default 64 levels).
        var bids = new PriceLevels(isAsk: false, 2, PriceLevels.DefaultLadderSpan, ladderThreshold: 1000);

        // Act
        for (long p = 1; p <= 100; p++)
        {
            bids.Set(p * 7 % 101, p);
        }

        // Assert
        var prices = Enumerable.Range(0, bids.Count).Select(bids.PriceAt).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(bids.Count, Is.EqualTo(100));
            Assert.That(bids.GrowCount, Is.EqualTo(6), "2 → 4 → 8 → 16 → 32 → 64 → 128");
            Assert.That(prices, Is.Ordered.Descending);
        });
    }

    [Test]
    public void ShouldBeEmpty_WhenCleared()
    {
        // Arrange
        var bids = new PriceLevels(isAsk: false, 4);
        bids.Set(1, 1);

        // Act
        bids.Clear();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bids.Count, Is.Zero);
            Assert.That(bids.SumQuantity(10), Is.EqualTo((Int128)0));
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property ShouldMatchASortedDictionary_WhenApplyingRandomOperations()
    {
        // Small price range so updates and removals of existing levels are frequent; quantity 0 removes.
        var operation =
            from price in Gen.Choose(1, 40)
            from quantity in Gen.Frequency((3, Gen.Choose(1, 1000)), (1, Gen.Constant(0)))
            select (Price: (long)price, Quantity: (long)quantity);
        var gen =
            from isAsk in Gen.Elements(true, false)
            from ops in Gen.ListOf(operation)
            select (IsAsk: isAsk, Ops: ops.ToArray());
        return Prop.ForAll(gen.ToArbitrary(), test =>
        {
            var side = new PriceLevels(test.IsAsk, 4);
            var model = new SortedDictionary<long, long>();
            foreach (var (price, quantity) in test.Ops)
            {
                side.Set(price, quantity);
                if (quantity == 0)
                {
                    model.Remove(price);
                }
                else
                {
                    model[price] = quantity;
                }
            }

            var expected = (test.IsAsk ? model : model.Reverse()).Select(kv => (kv.Key, kv.Value)).ToArray();
            var actual = Enumerable.Range(0, side.Count).Select(d => (side.PriceAt(d), side.QuantityAt(d))).ToArray();
            var top5 = expected.Take(5).Sum(l => l.Value);
            return actual.SequenceEqual(expected) && side.SumQuantity(5) == top5;
        });
    }
}
