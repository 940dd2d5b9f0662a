using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

public class OrderFlowImbalanceTests
{
    private const long S = FixedPoint.Scale;

    [Test]
    public void ShouldSumTheLastUpdatesEvents_WhenQuotesMove()
    {
        // Arrange: window 2.
        var ofi = new OrderFlowImbalance(1, 2);
        var events = new List<Int128>();
        var sums = new List<Int128>();

        void Quote(long bid, long bidQty, long ask, long askQty)
        {
            if (ofi.OnTopOfBook(0, bid * S, bidQty * S, ask * S, askQty * S, out var e))
            {
                events.Add(e);
                sums.Add(ofi.Value(0));
            }
        }

        // Act
        Quote(100, 5, 101, 3);  // first: no e
        Quote(100, 7, 101, 3);  // bid same price: +7 − 5; ask same: −3 + 3  → e = 2
        Quote(101, 1, 102, 4);  // bid up: +1; ask up: +3 (the previous ask qty) → e = 4
        Quote(99, 2, 100, 6);   // bid down: −1 (previous bid qty); ask down: −6  → e = −7
        Quote(99, 2, 100, 6);   // nothing moved: e = 2 − 2 − 6 + 6 = 0

        // Assert: window sums 2, 2 + 4, 4 − 7, −7 + 0.
        Assert.Multiple(() =>
        {
            Assert.That(events, Is.EqualTo(new Int128[] { 2 * S, 4 * S, -7 * S, 0 }));
            Assert.That(sums, Is.EqualTo(new Int128[] { 2 * S, 6 * S, -3 * S, -7 * S }));
            Assert.That(ofi.Events(0), Is.EqualTo(4));
        });
    }

    [Test]
    public void ShouldStartAfresh_WhenASideIsEmptyOrReset()
    {
        // Arrange
        var ofi = new OrderFlowImbalance(2, 10);
        ofi.OnTopOfBook(1, 100 * S, S, 101 * S, S, out _);
        ofi.OnTopOfBook(1, 100 * S, 3 * S, 101 * S, S, out _);

        // Act
        var emptyAsk = ofi.OnTopOfBook(1, 100 * S, S, 0, 0, out _);
        var afterGap = ofi.OnTopOfBook(1, 100 * S, 2 * S, 101 * S, S, out _);
        var next = ofi.OnTopOfBook(1, 100 * S, 5 * S, 101 * S, S, out var e);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(emptyAsk, Is.False);
            Assert.That(afterGap, Is.False);
            Assert.That(next, Is.True);
            Assert.That(e, Is.EqualTo((Int128)(3 * S)));
            Assert.That(ofi.Value(1), Is.EqualTo((Int128)(3 * S)), "the window was cleared at the gap");
            Assert.That(ofi.Value(0), Is.EqualTo(Int128.Zero));
        });
    }

    [Test]
    public void ShouldNotOverflow_WhenQuantitiesAreAtTheLongLimit()
    {
        // Arrange: both sides improve with maximal quantities: e = q^b_n + q^a_{n−1} > long.MaxValue.
        var ofi = new OrderFlowImbalance(1, 4);
        ofi.OnTopOfBook(0, 100 * S, long.MaxValue, 101 * S, long.MaxValue, out _);

        // Act
        ofi.OnTopOfBook(0, 101 * S, long.MaxValue, 102 * S, long.MaxValue, out var e);

        // Assert
        Assert.That(e, Is.EqualTo((Int128)long.MaxValue * 2));
    }

    [Test]
    public void ShouldNotAllocate_WhenFedQuotes()
    {
        // Arrange
        var ofi = new OrderFlowImbalance(4, 100);

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                var bid = (1000 + (i % 5)) * S;
                ofi.OnTopOfBook(i & 3, bid, ((i % 3) + 1) * S, bid + S, ((i % 4) + 1) * S, out _);
            }
        });
    }
}
