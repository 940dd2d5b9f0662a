using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

public class TradeFlowImbalanceTests
{
    private const long S = FixedPoint.Scale;

    [Test]
    public void ShouldComputeTheRatioOverTheLastTrades_WhenTheWindowSlides()
    {
        // Arrange: K = 3.
        var tfi = new TradeFlowImbalance(2, 3);

        // Act
        var before = tfi.Value(0);
        var first = tfi.OnTrade(0, 1 * S, buyerIsMaker: false);   // buy 1
        tfi.OnTrade(0, 2 * S, buyerIsMaker: true);                // sell 2
        var full = tfi.OnTrade(0, 3 * S, buyerIsMaker: false);    // buy 3: (4 − 2) / 6
        tfi.OnTrade(1, 9 * S, buyerIsMaker: true);                // another symbol
        var slid = tfi.OnTrade(0, 4 * S, buyerIsMaker: true);     // drops buy 1: (3 − 6) / 9
        var slidAgain = tfi.OnTrade(0, 5 * S, buyerIsMaker: false); // drops sell 2: (8 − 4) / 12

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.NaN);
            Assert.That(first, Is.EqualTo(1.0));
            Assert.That(full, Is.EqualTo(1.0 / 3));
            Assert.That(slid, Is.EqualTo(-1.0 / 3));
            Assert.That(slidAgain, Is.EqualTo(1.0 / 3));
            Assert.That(tfi.BuyVolume(0), Is.EqualTo((Int128)(8 * S)));
            Assert.That(tfi.SellVolume(0), Is.EqualTo((Int128)(4 * S)));
            Assert.That(tfi.Value(1), Is.EqualTo(-1.0));
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenFedTrades()
    {
        // Arrange
        var tfi = new TradeFlowImbalance(4, 100);

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                tfi.OnTrade(i & 3, ((i % 7) + 1) * S, (i & 1) == 0);
            }
        });
    }
}
