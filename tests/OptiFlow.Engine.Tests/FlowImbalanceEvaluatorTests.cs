using NUnit.Framework;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Tests.Support;
using static OptiFlow.Engine.Tests.Support.Level;

namespace OptiFlow.Engine.Tests;

/// <summary>OFI and TFI as an evaluator on the core: the values equal the stand-alone calculators fed the same quotes and
/// trades, non-market trades are skipped, records come every N updates, and a resynced book starts its OFI afresh.</summary>
public class FlowImbalanceEvaluatorTests
{
    private const long S = FixedPoint.Scale;

    [Test]
    public void ShouldMatchTheStandAloneCalculatorsAndEmitEveryNth_WhenFedTickersAndTrades()
    {
        // Arrange
        var evaluator = new FlowImbalanceEvaluator(ofiWindow: 3, tfiWindow: 2, emitEvery: 2, fromBookTicker: true);
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink, evaluators: new EvaluatorSet([evaluator]));
        var ofi = new OrderFlowImbalance(4, 3);
        var tfi = new TradeFlowImbalance(4, 2);
        (long Bid, long BidQty, long Ask, long AskQty)[] quotes = [(100, 5, 101, 5), (100, 7, 101, 5), (101, 2, 102, 4), (101, 2, 101, 1), (99, 3, 101, 9)];
        (long Qty, bool Maker, bool NonMarket)[] trades = [(3, false, false), (2, true, false), (9, false, true), (4, true, false)];

        // Act
        var sequence = 0L;
        foreach (var (bid, bidQty, ask, askQty) in quotes)
        {
            var e = new MarketEvent { Kind = MarketEventKind.BookTicker, SymbolId = 1, BidPrice = bid * S, BidQuantity = bidQty * S, AskPrice = ask * S, AskQuantity = askQty * S };
            core.OnEvent(ref e, sequence++);
            ofi.OnTopOfBook(1, bid * S, bidQty * S, ask * S, askQty * S, out _);
        }

        foreach (var (qty, maker, nonMarket) in trades)
        {
            var e = new MarketEvent
            {
                Kind = MarketEventKind.Trade,
                Market = Market.Futures,
                SymbolId = 1,
                Price = 100 * S,
                Quantity = qty * S,
                Flags = (maker ? MarketEventFlags.BuyerIsMaker : MarketEventFlags.None) | (nonMarket ? MarketEventFlags.NonMarketTrade : MarketEventFlags.None),
            };
            core.OnEvent(ref e, sequence++);
            if (!nonMarket)
            {
                tfi.OnTrade(1, qty * S, maker);
            }
        }

        // Assert: by hand, e = [+2, (b up: +2) − (a up... ) …] is what the calculator's own tests check; here the wiring.
        var ofiRecords = sink.EvaluatorRecords.Where(r => r.Type == EvaluatorRecordType.OrderFlowImbalance).ToList();
        var tfiRecords = sink.EvaluatorRecords.Where(r => r.Type == EvaluatorRecordType.TradeFlowImbalance).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(evaluator.Ofi(1), Is.EqualTo(ofi.Value(1)));
            Assert.That(evaluator.Ofi(1), Is.Not.EqualTo((Int128)0), "the quotes moved the book");
            Assert.That(evaluator.Tfi(1), Is.EqualTo(tfi.Value(1)));
            Assert.That(evaluator.Tfi(1), Is.EqualTo((0.0 - 2 - 4) / 6).Within(1e-15), "the window holds the last two market trades: two sells");
            Assert.That(ofiRecords, Has.Count.EqualTo(2), "4 updates with an e_n, one record every 2");
            Assert.That(ofiRecords[^1].BodyAs<OrderFlowImbalanceBody>().Ofi, Is.EqualTo(ofi.Value(1)));
            Assert.That(ofiRecords[^1].BodyAs<OrderFlowImbalanceBody>().Updates, Is.EqualTo(4));
            Assert.That(ofiRecords[^1].CausingSequence, Is.EqualTo(4));
            Assert.That(tfiRecords, Has.Count.EqualTo(1), "3 market trades, one record every 2");
            Assert.That(tfiRecords[0].BodyAs<TradeFlowImbalanceBody>().Tfi, Is.EqualTo((3.0 - 2) / 5).Within(1e-15));
            Assert.That(tfiRecords[0].BodyAs<TradeFlowImbalanceBody>().BuyVolume, Is.EqualTo(3 * S));
            Assert.That(tfiRecords[0].BodyAs<TradeFlowImbalanceBody>().SellVolume, Is.EqualTo(2 * S));
        }
    }

    [Test]
    public void ShouldStartTheOfiAfresh_WhenTheBookResyncsFromANewSnapshot()
    {
        // Arrange: OFI from applied depth; a gap, then a new snapshot.
        var evaluator = new FlowImbalanceEvaluator(ofiWindow: 10, tfiWindow: 10, emitEvery: 0, fromBookTicker: false);
        var core = new MarketCore(4, new RecordingOutboundSink(), evaluators: new EvaluatorSet([evaluator]));
        var feed = new FakeDepthFeed(core, 1, Market.Futures);
        feed.Snapshot(100, Bid(100, 1), Ask(101, 1));
        feed.FuturesDiff(100, 101, 99, Bid(100, 2));
        feed.FuturesDiff(102, 102, 101, Bid(100, 3));       // e = +3 − 2 = +1 (bid unchanged, qty up)
        var beforeGap = evaluator.Ofi(1);

        // Act: a gap (pu ≠ u) whose diff is buffered, then a snapshot far away that it bridges (applied on load).
        feed.FuturesDiff(200, 205, 150, Bid(50, 1));
        feed.Snapshot(204, Bid(50, 7), Ask(52, 7));
        var afterResync = evaluator.Ofi(1);
        feed.FuturesDiff(206, 206, 205, Bid(50, 9));         // e = +9 − 1 = +8 in the new book

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeGap, Is.EqualTo((Int128)S), "one update with e = +1");
            Assert.That(core.StateOf(1)!.Snapshots, Is.EqualTo(2));
            Assert.That(afterResync, Is.EqualTo((Int128)0), "the resynced book's first top has no predecessor");
            Assert.That(evaluator.Ofi(1), Is.EqualTo((Int128)(8 * S)), "only the new book's change, not the jump across the gap");
        }
    }
}
