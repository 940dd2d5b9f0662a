using OptiFlow.Testing;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Tests;

public class ImbalanceEvaluatorTests
{
    private const long S = FixedPoint.Scale;

    [Test]
    public void ShouldComputeObiAndMicroprice_WhenBookHasTwelveLevelsPerSide()
    {
        // Arrange: bids 100,99,…,89 with qty 1..12; asks 101,…,112 with qty 2 each.
        var book = new OrderBook(0, 32);
        for (var i = 0; i < 12; i++)
        {
            book.Set(BookSide.Bid, (100 - i) * S, (i + 1) * S);
            book.Set(BookSide.Ask, (101 + i) * S, 2 * S);
        }

        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(book, ref signal);

        // Assert: OBI1 = (1-2)/3; OBI5 = (15-10)/25; OBI10 = (55-20)/75; wmid = (101·1 + 100·2)/3.
        Assert.Multiple(() =>
        {
            Assert.That(signal.BestBid, Is.EqualTo(100 * S));
            Assert.That(signal.BestAsk, Is.EqualTo(101 * S));
            Assert.That(signal.MidDoubled, Is.EqualTo(201 * S));
            Assert.That(signal.Obi1, Is.EqualTo(-1.0 / 3).Within(1e-12));
            Assert.That(signal.Obi5, Is.EqualTo(5.0 / 25).Within(1e-12));
            Assert.That(signal.Obi10, Is.EqualTo(35.0 / 75).Within(1e-12));
            Assert.That(signal.WeightedMid, Is.EqualTo(301.0 / 3).Within(1e-9));
        });
    }

    [Test]
    public void ShouldUseEveryLevel_WhenFewerThanTenLevels()
    {
        // Arrange: bids 3 levels (qty 4, 4, 4); asks 2 levels (qty 1, 3).
        var book = new OrderBook(0, 8);
        book.Set(BookSide.Bid, 50 * S, 4 * S);
        book.Set(BookSide.Bid, 49 * S, 4 * S);
        book.Set(BookSide.Bid, 48 * S, 4 * S);
        book.Set(BookSide.Ask, 51 * S, 1 * S);
        book.Set(BookSide.Ask, 52 * S, 3 * S);
        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(book, ref signal);

        // Assert: OBI1 = (4-1)/5; OBI5 = OBI10 = (12-4)/16; wmid = (51·4 + 50·1)/5 = 50.8.
        Assert.Multiple(() =>
        {
            Assert.That(signal.Obi1, Is.EqualTo(3.0 / 5).Within(1e-12));
            Assert.That(signal.Obi5, Is.EqualTo(0.5).Within(1e-12));
            Assert.That(signal.Obi10, Is.EqualTo(0.5).Within(1e-12));
            Assert.That(signal.WeightedMid, Is.EqualTo(50.8).Within(1e-9));
        });
    }

    [Test]
    public void ShouldGiveNaNMicropriceAndZeroBid_WhenBidSideIsEmpty()
    {
        // Arrange
        var book = new OrderBook(0, 8);
        book.Set(BookSide.Ask, 10 * S, 1 * S);
        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(book, ref signal);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(signal.BestBid, Is.Zero);
            Assert.That(signal.BestAsk, Is.EqualTo(10 * S));
            Assert.That(signal.MidDoubled, Is.Zero);
            Assert.That(signal.WeightedMid, Is.NaN);
            Assert.That(signal.Obi1, Is.EqualTo(-1.0));
        });
    }

    [Test]
    public void ShouldGiveNaNRatios_WhenBookIsEmpty()
    {
        // Arrange
        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(new OrderBook(0, 8), ref signal);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(signal.Obi1, Is.NaN);
            Assert.That(signal.Obi5, Is.NaN);
            Assert.That(signal.Obi10, Is.NaN);
            Assert.That(signal.WeightedMid, Is.NaN);
        });
    }

    [Test]
    public void ShouldNotOverflow_WhenQuantitiesAreAtBinanceMaximum()
    {
        // Arrange: maxQty 92233720368 on both sides at a price in the millions.
        var book = new OrderBook(0, 8);
        book.Set(BookSide.Bid, 4_000_000 * S, long.MaxValue);
        book.Set(BookSide.Ask, 4_000_001 * S, long.MaxValue);
        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(book, ref signal);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(signal.Obi1, Is.Zero);
            Assert.That(signal.WeightedMid, Is.EqualTo(4_000_000.5).Within(1e-6));
        });
    }

    [Test]
    public void ShouldComputeWobi10FromDistanceWeights_WhenBookIsSmall()
    {
        // Arrange: bids 100 x 2, 99 x 1; asks 101 x 1, 103 x 4. m = 100.5.
        var book = new OrderBook(0, 8);
        book.Set(BookSide.Bid, 100 * S, 2 * S);
        book.Set(BookSide.Bid, 99 * S, 1 * S);
        book.Set(BookSide.Ask, 101 * S, 1 * S);
        book.Set(BookSide.Ask, 103 * S, 4 * S);
        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(book, ref signal);

        // Assert: w(100) = w(101) = 1/(1 + 0.5/100.5) = 100.5/101, w(99) = 100.5/102, w(103) = 100.5/103;
        // B = 2·100.5/101 + 100.5/102, A = 100.5/101 + 4·100.5/103 (by hand, in decimal).
        var w100 = 100.5m / 101m;
        var w99 = 100.5m / 102m;
        var w103 = 100.5m / 103m;
        var bid = (2 * w100) + w99;
        var ask = w100 + (4 * w103);
        var expected = (double)((bid - ask) / (bid + ask));
        Assert.That(signal.Wobi10, Is.EqualTo(expected).Within(1e-15));
        Assert.That(signal.Wobi10, Is.EqualTo(-0.24418674590).Within(1e-10));
    }

    [Test]
    public void ShouldWeightOnlyTheTopTenLevels_WhenBookHasTwelveLevelsPerSide()
    {
        // Arrange: bids 100,99,…,89 with qty 1..12; asks 101,…,112 with qty 2 each; m = 100.5.
        var book = new OrderBook(0, 32);
        for (var i = 0; i < 12; i++)
        {
            book.Set(BookSide.Bid, (100 - i) * S, (i + 1) * S);
            book.Set(BookSide.Ask, (101 + i) * S, 2 * S);
        }

        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(book, ref signal);

        // Assert: level i is at distance i + 0.5 from the mid on both sides.
        decimal bid = 0, ask = 0;
        for (var i = 0; i < 10; i++)
        {
            var w = 1m / (1m + ((i + 0.5m) / 100.5m));
            bid += w * (i + 1);
            ask += w * 2;
        }

        Assert.That(signal.Wobi10, Is.EqualTo((double)((bid - ask) / (bid + ask))).Within(1e-15));
    }

    [Test]
    public void ShouldGiveNaNWobi10_WhenASideIsEmpty()
    {
        // Arrange
        var book = new OrderBook(0, 8);
        book.Set(BookSide.Bid, 100 * S, 2 * S);
        var signal = default(SignalEvent);

        // Act
        ImbalanceEvaluator.Evaluate(book, ref signal);

        // Assert
        Assert.That(signal.Wobi10, Is.NaN);
        Assert.That(ImbalanceEvaluator.DistanceWeightedImbalance(new PriceLevels(false, 4), new PriceLevels(true, 4), 10), Is.NaN);
    }

    [Test]
    public void ShouldNotAllocate_WhenComputingWobi10()
    {
        // Arrange
        var book = new OrderBook(0, 32);
        for (var i = 0; i < 12; i++)
        {
            book.Set(BookSide.Bid, (100 - i) * S, (i + 1) * S);
            book.Set(BookSide.Ask, (101 + i) * S, 2 * S);
        }

        var signal = default(SignalEvent);

        // Act / Assert
        Assert.That(OptiFlow.Testing.AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                ImbalanceEvaluator.Evaluate(book, ref signal);
            }
        }), Is.Zero);
    }
}
