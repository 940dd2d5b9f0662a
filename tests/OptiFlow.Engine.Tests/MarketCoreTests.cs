using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Engine.WaitStrategies;
using static OptiFlow.Engine.Tests.Support.Level;

namespace OptiFlow.Engine.Tests;

public class MarketCoreTests
{
    private const int Symbol = 1;
    private const long S = FixedPoint.Scale;

    private static (MarketCore Core, FakeDepthFeed Feed, RecordingOutboundSink Sink) Create(Market market)
    {
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink);
        return (core, new FakeDepthFeed(core, Symbol, market), sink);
    }

    /// <summary>Futures, synced from buffered diffs on snapshot 100; live with u = 105 afterwards.</summary>
    private static (MarketCore Core, FakeDepthFeed Feed, RecordingOutboundSink Sink) SyncedFutures()
    {
        var (core, feed, sink) = Create(Market.Futures);
        feed.FuturesDiff(90, 95, 89, Bid(99, 1));
        feed.FuturesDiff(96, 102, 95, Bid(100, 2), Ask(102, 1));
        feed.FuturesDiff(103, 105, 102, Ask(101, 3));
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));
        return (core, feed, sink);
    }

    [Test]
    public void ShouldBufferWithoutSignals_WhenNoSnapshotYet()
    {
        // Arrange
        var (core, feed, _) = Create(Market.Futures);

        // Act
        feed.FuturesDiff(96, 102, 95, Bid(100, 2));
        feed.FuturesDiff(103, 105, 102, Ask(101, 3));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.AwaitingSnapshot));
            Assert.That(state.BufferedMessages, Is.EqualTo(2));
            Assert.That(state.DepthMessages, Is.EqualTo(2));
            Assert.That(state.Book.Bids.Count + state.Book.Asks.Count, Is.Zero, "nothing applied before a snapshot");
            Assert.That(core.SignalCount, Is.Zero);
        });
    }

    [Test]
    public void ShouldDropStaleAndApplyBracketingThenChainedDiffs_WhenFuturesSnapshotArrives()
    {
        // Act
        var (core, _, sink) = SyncedFutures();

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.DroppedBeforeSnapshot, Is.EqualTo(1), "u = 95 < lastUpdateId 100");
            Assert.That(state.Applied, Is.EqualTo(2));
            Assert.That(state.Gaps, Is.Zero);
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(state.LastAppliedUpdateId, Is.EqualTo(105));
            Assert.That(state.LastAppliedEventTimeMs, Is.EqualTo(1050));
            Assert.That(state.Snapshots, Is.EqualTo(1));
            Assert.That(state.SnapshotLastUpdateId, Is.EqualTo(100));
            Assert.That(state.Market, Is.EqualTo(Market.Futures));
            Assert.That(state.Book.Bids.PriceAt(0), Is.EqualTo(100 * S));
            Assert.That(state.Book.Bids.Count, Is.EqualTo(2), "the dropped diff's bid 99 is not in the book");
            Assert.That(state.Book.Asks.PriceAt(0), Is.EqualTo(101 * S));
            Assert.That(core.SignalCount, Is.EqualTo(2));
            Assert.That(sink.Signals, Has.Count.EqualTo(2));
            Assert.That(sink.Signals[0].Applied, Is.EqualTo(1));
            Assert.That(sink.Signals[0].FinalUpdateId, Is.EqualTo(102));
            Assert.That(sink.Signals[0].EventTimeMs, Is.EqualTo(1020));
            Assert.That(sink.Signals[0].BestBid, Is.EqualTo(100 * S));
            Assert.That(sink.Signals[0].BestAsk, Is.EqualTo(102 * S));
            Assert.That(sink.Signals[0].SymbolId, Is.EqualTo(Symbol));
            Assert.That(sink.Signals[1].Applied, Is.EqualTo(2));
            Assert.That(sink.Signals[1].FinalUpdateId, Is.EqualTo(105));
            Assert.That(sink.Signals[1].BestAsk, Is.EqualTo(101 * S));
            Assert.That(sink.Tops[1], Is.EqualTo((100 * S, 101 * S, 2, 3)), "the book handed to the sink is the applied book");
        });
    }

    [Test]
    public void ShouldApplyFirstDiff_WhenFuturesFinalIdEqualsLastUpdateId()
    {
        // Arrange
        var (core, feed, _) = Create(Market.Futures);
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));

        // Act: U ≤ 100 ≤ u with u == 100 (spot would drop it).
        feed.FuturesDiff(95, 100, 94, Bid(99, 1));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.Applied, Is.EqualTo(1));
            Assert.That(state.DroppedBeforeSnapshot, Is.Zero);
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live));
        });
    }

    [Test]
    public void ShouldCountGap_WhenFirstFuturesDiffDoesNotBracketTheSnapshot()
    {
        // Arrange
        var (core, feed, _) = Create(Market.Futures);
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));

        // Act: U = 102 > lastUpdateId 100.
        feed.FuturesDiff(102, 105, 101, Bid(99, 1));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.Gaps, Is.EqualTo(1));
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.AwaitingSnapshot));
            Assert.That(state.Applied, Is.Zero);
            Assert.That(core.SignalCount, Is.Zero);
        });
    }

    [Test]
    public void ShouldStopSignalsUntilResync_WhenFuturesPreviousIdBreaks()
    {
        // Arrange
        var (core, feed, sink) = SyncedFutures();
        var signalsBefore = core.SignalCount;

        // Act 1: pu 104 ≠ previous u 105, then a diff chained on the broken one.
        feed.FuturesDiff(106, 108, 104, Bid(100, 9));
        feed.FuturesDiff(109, 110, 108, Bid(100, 7));
        var state = core.StateOf(Symbol)!;
        var afterGap = (state.Gaps, state.SyncState, core.SignalCount);

        // Act 2: a later snapshot brackets the buffered diffs; signals resume, and live diffs chain again.
        feed.Snapshot(107, Bid(97, 1), Ask(104, 1));
        var afterResync = (state.SyncState, core.SignalCount, state.LastAppliedUpdateId);
        feed.FuturesDiff(111, 112, 110, Ask(103, 2));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(afterGap, Is.EqualTo((1L, BookSyncState.AwaitingSnapshot, signalsBefore)), "a gap stops signals");
            Assert.That(afterResync, Is.EqualTo((BookSyncState.Live, signalsBefore + 2, 110L)));
            Assert.That(core.SignalCount, Is.EqualTo(signalsBefore + 3));
            Assert.That(state.Gaps, Is.EqualTo(1));
            Assert.That(state.Book.Bids.QuantityAt(0), Is.EqualTo(7 * S));
            Assert.That(state.Book.Asks.PriceAt(0), Is.EqualTo(103 * S));
            Assert.That(sink.Signals[^1].FinalUpdateId, Is.EqualTo(112));
            Assert.That(sink.Signals[^1].Applied, Is.EqualTo(5));
        });
    }

    [Test]
    public void ShouldDropStaleAndApplyBracketingThenChainedDiffs_WhenSpotSnapshotArrives()
    {
        // Arrange
        var (core, feed, sink) = Create(Market.Spot);
        feed.SpotDiff(95, 100, Bid(99, 1));
        feed.SpotDiff(101, 103, Bid(100, 2), Ask(102, 1));
        feed.SpotDiff(104, 106, Ask(101, 3));

        // Act
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.DroppedBeforeSnapshot, Is.EqualTo(1), "spot drops u ≤ lastUpdateId (u = 100)");
            Assert.That(state.Applied, Is.EqualTo(2));
            Assert.That(state.LastAppliedUpdateId, Is.EqualTo(106));
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(sink.Signals.Select(s => s.FinalUpdateId), Is.EqualTo(new long[] { 103, 106 }));
        });
    }

    [Test]
    public void ShouldCountGap_WhenSpotFirstIdSkipsAhead()
    {
        // Arrange
        var (core, feed, _) = Create(Market.Spot);
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));
        feed.SpotDiff(101, 103, Bid(100, 2));

        // Act: U = 105 ≠ previous u + 1 = 104.
        feed.SpotDiff(105, 106, Bid(100, 3));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.Gaps, Is.EqualTo(1));
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.AwaitingSnapshot));
            Assert.That(core.SignalCount, Is.EqualTo(1));
            Assert.That(state.Book.Bids.QuantityAt(0), Is.EqualTo(2 * S), "the gapped diff is not applied");
        });
    }

    [Test]
    public void ShouldCountAndDropDuplicate_WhenTheLastFuturesDiffIsDeliveredAgain()
    {
        // Arrange: live at u = 105 (SyncedFutures), then one more diff.
        var (core, feed, sink) = SyncedFutures();
        feed.FuturesDiff(106, 108, 105, Bid(100, 9));
        var state = core.StateOf(Symbol)!;
        var digestBefore = state.Book.Digest();
        var signalsBefore = core.SignalCount;

        // Act: the same diff again (u = 108 = last applied u), then an older one (u = 105 < 108), then the next.
        feed.FuturesDiff(106, 108, 105, Bid(100, 9));
        feed.FuturesDiff(103, 105, 102, Ask(101, 3));
        var afterDuplicates = (state.SyncState, state.Gaps, state.DuplicateDiffs, core.SignalCount, state.Book.Digest());
        feed.FuturesDiff(109, 110, 108, Bid(100, 4));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(afterDuplicates, Is.EqualTo((BookSyncState.Live, 0L, 2L, signalsBefore, digestBefore)), "dropped, counted, book untouched, no signal");
            Assert.That(sink.Requests, Is.Empty, "a duplicate requests no snapshot");
            Assert.That(state.Applied, Is.EqualTo(4), "the chain goes on after the duplicates");
            Assert.That(state.LastAppliedUpdateId, Is.EqualTo(110));
            Assert.That(state.Book.Bids.QuantityAt(0), Is.EqualTo(4 * S));
            Assert.That(state.DepthMessages, Is.EqualTo(7), "duplicates are still depth messages received");
        });
    }

    [Test]
    public void ShouldCountAndDropDuplicate_WhenASpotDiffIsDeliveredAgain()
    {
        // Arrange
        var (core, feed, sink) = Create(Market.Spot);
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));
        feed.SpotDiff(101, 103, Bid(100, 2));
        feed.SpotDiff(104, 106, Bid(100, 3));

        // Act: the diff ending at 106 again, and the one ending at 103 again; then the next one chains on 106.
        feed.SpotDiff(104, 106, Bid(100, 3));
        feed.SpotDiff(101, 103, Bid(100, 2));
        feed.SpotDiff(107, 107, Ask(102, 1));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.DuplicateDiffs, Is.EqualTo(2));
            Assert.That(state.Gaps, Is.Zero, "a duplicate is not a gap");
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(sink.Requests, Is.Empty);
            Assert.That(sink.Signals.Select(s => s.FinalUpdateId), Is.EqualTo(new long[] { 103, 106, 107 }), "no signal for a duplicate");
            Assert.That(state.Book.Bids.QuantityAt(0), Is.EqualTo(3 * S), "the older duplicate did not roll the level back");
        });
    }

    [Test]
    public void ShouldKeepBufferedDiffs_WhenADuplicateArrivesWhileAwaitingTheSnapshot()
    {
        // Arrange: two buffered futures diffs, then the second one again before the snapshot.
        var (core, feed, _) = Create(Market.Futures);
        feed.FuturesDiff(96, 102, 95, Bid(100, 2), Ask(102, 1));
        feed.FuturesDiff(103, 105, 102, Ask(101, 3));
        feed.FuturesDiff(103, 105, 102, Ask(101, 3));

        // Act
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));

        // Assert: before, the duplicate broke the buffered chain (a gap) and the book never synced.
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.DuplicateDiffs, Is.EqualTo(1));
            Assert.That(state.Gaps, Is.Zero);
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(state.Applied, Is.EqualTo(2));
            Assert.That(state.LastAppliedUpdateId, Is.EqualTo(105));
        });
    }

    [Test]
    public void ShouldCountGap_WhenFirstSpotDiffDoesNotBracketTheSnapshot()
    {
        // Arrange
        var (core, feed, _) = Create(Market.Spot);
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));

        // Act: U = 102 > lastUpdateId + 1.
        feed.SpotDiff(102, 104, Bid(99, 1));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(core.StateOf(Symbol)!.Gaps, Is.EqualTo(1));
            Assert.That(core.SignalCount, Is.Zero);
        });
    }

    [Test]
    public void ShouldCountCrossedBook_WhenAppliedDiffCrossesIt()
    {
        // Arrange
        var (core, feed, _) = SyncedFutures();

        // Act: a bid at 101 meets the best ask 101.
        feed.FuturesDiff(106, 107, 105, Bid(101, 1));
        var crossedAt = feed.LastSequence;
        feed.FuturesDiff(108, 109, 107, Bid(101, 0));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.CrossedBooks, Is.EqualTo(1));
            Assert.That(state.FirstCrossedSequence, Is.EqualTo(crossedAt));
            Assert.That(state.Book.Bids.PriceAt(0), Is.EqualTo(100 * S), "the book is reported, never fixed");
            Assert.That(core.SignalCount, Is.EqualTo(4), "a crossed book still signals");
        });
    }

    [Test]
    public void ShouldAdvanceFinalId_WhenDiffIsEmpty()
    {
        // Arrange
        var (core, feed, sink) = SyncedFutures();

        // Act
        feed.FuturesDiff(106, 107, 105);
        feed.FuturesDiff(108, 109, 107, Ask(101, 4));

        // Assert
        var state = core.StateOf(Symbol)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.Gaps, Is.Zero);
            Assert.That(state.Applied, Is.EqualTo(4));
            Assert.That(state.LastAppliedUpdateId, Is.EqualTo(109));
            Assert.That(sink.Signals[2].FinalUpdateId, Is.EqualTo(107));
            Assert.That(state.Book.Asks.QuantityAt(0), Is.EqualTo(4 * S));
        });
    }

    [Test]
    public void ShouldCountAndRecordDecodeErrors_WhenErrorSlotsArrive()
    {
        // Arrange
        var (core, feed, _) = Create(Market.Futures);

        // Act
        feed.DecodeError(DecodeErrorCode.InvalidNumber, 2, 17, 33);
        var firstSequence = feed.LastSequence;
        feed.DecodeError(DecodeErrorCode.TooManyDecimals, 0, 18, 5);
        feed.DecodeError(DecodeErrorCode.InvalidNumber, 2, 40, 1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(core.DecodeErrors, Is.EqualTo(3));
            Assert.That(core.ErrorsOfCode(DecodeErrorCode.InvalidNumber), Is.EqualTo(2));
            Assert.That(core.ErrorsOfCode(DecodeErrorCode.TooManyDecimals), Is.EqualTo(1));
            Assert.That(core.ErrorsOfCode(DecodeErrorCode.Truncated), Is.Zero);
            Assert.That(core.RecordedErrors.Length, Is.EqualTo(3));
            Assert.That(core.RecordedErrors[0], Is.EqualTo(new DecodeErrorRecord(firstSequence, 2, 17, DecodeErrorCode.InvalidNumber, 33)));
            Assert.That(core.RecordedErrors[2].Line, Is.EqualTo(40));
            Assert.That(core.Symbols, Is.Empty, "an error slot creates no symbol state");
        });
    }

    [Test]
    public void ShouldCountTickersAndTrades_WhenTheyArrive()
    {
        // Arrange
        var core = new MarketCore(4);
        var ticker = new MarketEvent { Kind = MarketEventKind.BookTicker, SymbolId = 2, FinalUpdateId = 7, BidPrice = 5, AskPrice = 6 };
        var trade = new MarketEvent { Kind = MarketEventKind.Trade, SymbolId = 2 };
        var aggTrade = new MarketEvent { Kind = MarketEventKind.AggTrade, SymbolId = 2 };

        // Act
        core.OnEvent(ref ticker, 0);
        core.OnEvent(ref trade, 1);
        core.OnEvent(ref aggTrade, 2);

        // Assert
        var state = core.StateOf(2)!;
        Assert.Multiple(() =>
        {
            Assert.That(state.BookTickers, Is.EqualTo(1));
            Assert.That(state.LastBookTicker.FinalUpdateId, Is.EqualTo(7));
            Assert.That(state.Trades, Is.EqualTo(2));
            Assert.That(core.EventCount, Is.EqualTo(3));
            Assert.That(core.EventsOfKind(MarketEventKind.BookTicker), Is.EqualTo(1));
            Assert.That(core.StateOf(3), Is.Null);
            Assert.That(core.StateOf(99), Is.Null);
        });
    }

    [Test]
    public void ShouldProduceEqualDigests_WhenTwoCoresSeeTheSameEvents()
    {
        // Arrange
        var (first, feed, _) = SyncedFutures();
        feed.FuturesDiff(106, 107, 105, Bid(100, 4), Ask(104, 1));
        var second = new MarketCore(4);
        var altered = new MarketCore(4);
        var changed = feed.Sent.ToList();
        var last = changed[^1];
        last.Quantity += 1;
        changed[^1] = last;

        // Act
        FakeDepthFeed.Replay(second, feed.Sent);
        FakeDepthFeed.Replay(altered, changed);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(second.SignalCount, Is.EqualTo(first.SignalCount));
            Assert.That(second.SignalDigest, Is.EqualTo(first.SignalDigest));
            Assert.That(second.BooksDigest(), Is.EqualTo(first.BooksDigest()));
            Assert.That(altered.SignalDigest, Is.Not.EqualTo(first.SignalDigest));
            Assert.That(altered.BooksDigest(), Is.Not.EqualTo(first.BooksDigest()));
        });
    }

    [Test]
    public void ShouldBehaveAsInReplay_WhenRunBehindAProcessor()
    {
        // Arrange
        var (replayed, feed, _) = SyncedFutures();
        feed.FuturesDiff(106, 107, 105, Bid(100, 4), Ask(104, 1));
        var live = new MarketCore(4);
        var ring = new RingBuffer<MarketEvent>(8, new BlockingWaitStrategy());
        using var processor = new BatchEventProcessor<MarketEvent, CoreEventHandler>(ring, ring.Sequencer.NewBarrier(), new CoreEventHandler(live));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        processor.Start("core");

        // Act
        try
        {
            foreach (var e in feed.Sent)
            {
                var sequence = ring.Next();
                try
                {
                    ring[sequence] = e;
                }
                finally
                {
                    ring.Publish(sequence);
                }
            }
        }
        finally
        {
            // Halt only after the core has caught up: wait on its sequence through a bounded join of a waiter thread.
            var caughtUp = new Thread(() => ring.Sequencer.NewBarrier(processor.Sequence).WaitFor(feed.Sent.Count - 1));
            caughtUp.Start();
            Await.Join(caughtUp, "core catching up");
            Await.Halt(processor, "core");
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(live.EventCount, Is.EqualTo(feed.Sent.Count));
            Assert.That(live.SignalDigest, Is.EqualTo(replayed.SignalDigest));
            Assert.That(live.BooksDigest(), Is.EqualTo(replayed.BooksDigest()));
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenHandlingTenThousandEventsAfterWarmUp()
    {
        // Arrange: a synced futures book, then 12,000 one-level diffs over 20 prices per side (no growth, no new symbol).
        var sink = new RecordingOutboundSink(16_000);
        var core = new MarketCore(4, sink, measureLatency: true) { SteadyStateAfterEvents = 2_000 };
        var feed = new FakeDepthFeed(core, Symbol, Market.Futures);
        feed.Snapshot(1001, Bid(100, 1), Ask(200, 1));
        var events = new MarketEvent[12_000];
        long previous = 1000;
        for (var i = 0; i < events.Length; i++)
        {
            var level = i % 2 == 0 ? Bid(100 - (i % 20), (i % 7) + 1) : Ask(200 + (i % 20), i % 5);
            var final = previous + 1 + (i % 3);
            events[i] = FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, previous + 1, final, previous, final, [level])[0];
            previous = final;
        }

        for (var i = 0; i < 2_000; i++)
        {
            core.OnEvent(ref events[i], i + 100);
        }

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 2_000; i < events.Length; i++)
        {
            core.OnEvent(ref events[i], i + 100);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        core.OnShutdown();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, "bytes allocated by 10,000 events after warm-up");
            Assert.That(core.SteadyStateAllocatedBytes, Is.Zero);
            Assert.That(core.StateOf(Symbol)!.Gaps, Is.Zero);
            Assert.That(core.SignalCount, Is.EqualTo(events.Length));
            Assert.That(core.HandlingLatency.TotalCount, Is.EqualTo(events.Length + 2));
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenALiveBookFirstBuffersAndReplaysDiffsAfterWarmUp()
    {
        // Arrange: the same run once on another core first, so first-call costs (JIT, type loads) are paid.
        _ = GapAfterWarmUp();

        // Act
        var (core, state) = GapAfterWarmUp();

        // Assert: the diff buffers were allocated at the symbol's first depth message, before the window.
        Assert.Multiple(() =>
        {
            Assert.That(state.Gaps, Is.EqualTo(1));
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.Live), "the buffered diffs were replayed on the new snapshot");
            Assert.That(core.SteadyStateAllocatedBytes, Is.Zero);
        });
    }

    /// <summary>A book synced and live before the steady-state window opens (it never buffered a diff); in the window a
    /// gap buffers diffs for the first time and a new snapshot replays them.</summary>
    private static (MarketCore Core, SymbolState State) GapAfterWarmUp()
    {
        // Every slot built first: the feed's own allocations must not fall in the window.
        MarketEvent[][] messages =
        [
            FakeDepthFeed.BuildMessage(MarketEventKind.SnapshotLevel, Symbol, Market.Futures, 0, 100, 0, 0, [Bid(98, 5), Ask(103, 5)]),
            FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 100, 101, 99, 1_010, [Bid(99, 1)]),
            FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 102, 102, 101, 1_020, [Bid(99, 2)]),
            FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 103, 103, 102, 1_030, [Bid(99, 3)]),
            FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 110, 111, 105, 1_110, [Bid(97, 1)]),
            FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 112, 112, 111, 1_120, [Bid(97, 2)]),
            FakeDepthFeed.BuildMessage(MarketEventKind.SnapshotLevel, Symbol, Market.Futures, 0, 110, 0, 0, [Bid(97, 9), Ask(104, 9)]),
        ];
        var core = new MarketCore(4, new RecordingOutboundSink(64)) { SteadyStateAfterEvents = 6 };
        var sequence = 0L;
        foreach (var message in messages)
        {
            for (var i = 0; i < message.Length; i++)
            {
                core.OnEvent(ref message[i], sequence++);
            }
        }

        core.OnShutdown();
        return (core, core.StateOf(Symbol)!);
    }

    [Test]
    public void ShouldRecordFeedLatencyOncePerStreamFrame_WhenItCarriesBothTimes()
    {
        // Arrange: E = 1,000,000 ms; received 5 ms later (a 3-level depth message), 2 ms earlier (a trade: clocks skewed).
        var core = new MarketCore(4, measureLatency: true);
        const long e = 1_000_000;
        var depth = FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 1, 2, 0, e, [Bid(99, 1), Bid(98, 1), Ask(101, 1)]);
        var snapshot = FakeDepthFeed.BuildMessage(MarketEventKind.SnapshotLevel, Symbol, Market.Futures, 0, 5, 0, e, [Bid(99, 1)]);
        for (var i = 0; i < depth.Length; i++)
        {
            depth[i].LocalTimestampNs = (e * 1_000_000) + 5_000_000;
        }

        snapshot[0].LocalTimestampNs = (e * 1_000_000) + 9_000_000;
        var trade = new MarketEvent { Kind = MarketEventKind.Trade, SymbolId = Symbol, EventTimeMs = e, LocalTimestampNs = (e * 1_000_000) - 2_000_000, Price = 100 * S, Quantity = S };
        var spotTicker = new MarketEvent { Kind = MarketEventKind.BookTicker, SymbolId = Symbol, LocalTimestampNs = e * 1_000_000, BidPrice = 99 * S, AskPrice = 101 * S };

        // Act
        var sequence = 0L;
        foreach (var events in new[] { depth, snapshot, [trade], [spotTicker] })
        {
            for (var i = 0; i < events.Length; i++)
            {
                core.OnEvent(ref events[i], sequence++);
            }
        }

        // Assert: the depth message once (not per level), the trade once (negative), not the snapshot, not the spot ticker (no E).
        Assert.Multiple(() =>
        {
            Assert.That(core.FeedLatency.TotalCount, Is.EqualTo(2));
            Assert.That(core.FeedLatency.NegativeCount, Is.EqualTo(1));
            Assert.That(core.FeedLatencyMinimumNs, Is.EqualTo(-2_000_000));
            Assert.That(core.FeedLatency.Max, Is.InRange(5_000_000, 5_000_000 * 1.01), "5 ms, within the histogram's precision");
        });
    }

    [Test]
    public void ShouldTakeEachEventsPickUpFromThePreviousEnd_WhenEventsAreChainedInABatch()
    {
        // Arrange: five bookTickers published at the same instant P, handed over as one batch.
        var core = new MarketCore(4, measureLatency: true);
        var published = Telemetry.MonotonicClock.NowNs;
        var events = new MarketEvent[5];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new MarketEvent { Kind = MarketEventKind.BookTicker, SymbolId = Symbol, BidPrice = (99 * S) + i, AskPrice = 101 * S, PublishTimestampNs = published };
        }

        // Act: the first four inside the batch, then read how long they took in all, then the batch's last event.
        for (var i = 0; i < events.Length - 1; i++)
        {
            core.OnEvent(ref events[i], i, endOfBatch: false);
        }

        var handledBeforeLast = Math.Round(core.HandlingLatency.Mean * core.HandlingLatency.TotalCount);
        core.OnEvent(ref events[^1], events.Length - 1, endOfBatch: true);

        // Assert: with one clock read between events, the last pick-up is the fourth event's end, so the pick-ups span
        // exactly the first four events' handling (two reads per event would leave the gaps between them out).
        using (Assert.EnterMultipleScope())
        {
            Assert.That(core.PickupLatency.TotalCount, Is.EqualTo(events.Length));
            Assert.That(core.HandlingLatency.TotalCount, Is.EqualTo(events.Length));
            Assert.That(core.PickupLatency.Max - core.PickupLatency.Min, Is.EqualTo(handledBeforeLast).Within(1), "last pick-up - first pick-up = the four handlings back to back");
        }
    }

    [Test]
    public void ShouldStampOneEventInN_WhenALatencySampleIntervalIsSet()
    {
        // Arrange: 37 bookTickers with a feed time each, in batches of 5, through a core stamping every event and one
        // stamping one in 8.
        var every = new MarketCore(4, measureLatency: true);
        var sampled = new MarketCore(4, measureLatency: true) { LatencySampleInterval = 8 };
        var now = Telemetry.MonotonicClock.NowNs;
        var events = new MarketEvent[37];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new MarketEvent
            {
                Kind = MarketEventKind.BookTicker, SymbolId = Symbol, Market = Market.Futures, BidPrice = (99 * S) + i, AskPrice = 101 * S,
                PublishTimestampNs = now, ReceiveTimestampNs = now, EventTimeMs = 1_700_000_000_000 + i, LocalTimestampNs = (1_700_000_000_000 + i + 2) * 1_000_000,
            };
        }

        // Act
        foreach (var core in new[] { every, sampled })
        {
            for (var i = 0; i < events.Length; i++)
            {
                var copy = events[i];
                core.OnEvent(ref copy, i, endOfBatch: i % 5 == 4);
            }
        }

        // Assert: events 0, 8, 16, 24 and 32 stamped; the feed latency (no clock read) of every event; the same books.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sampled.LatencySampleInterval, Is.EqualTo(8));
            Assert.That(every.HandlingLatency.TotalCount, Is.EqualTo(37));
            Assert.That(sampled.HandlingLatency.TotalCount, Is.EqualTo(5));
            Assert.That(sampled.PickupLatency.TotalCount, Is.EqualTo(5));
            Assert.That(sampled.ReceiveToCoreLatency.TotalCount, Is.EqualTo(5));
            Assert.That(sampled.FeedLatency.TotalCount, Is.EqualTo(37), "every frame's feed latency");
            Assert.That(sampled.EventCount, Is.EqualTo(37));
            Assert.That(sampled.BooksDigest(), Is.EqualTo(every.BooksDigest()));
        }
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(-8)]
    public void ShouldRefuseALatencySampleInterval_WhenItIsNotAPowerOfTwo(int interval)
    {
        // Act
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MarketCore(4, measureLatency: true) { LatencySampleInterval = interval });

        // Assert
        Assert.That(error!.Message, Does.Contain("power of two"));
    }

    [Test]
    public void ShouldRecordReceiveToCoreLatency_OnlyForEventsThatCarryAReceiveStamp()
    {
        // Arrange: two depth messages stamped as received 5 ms ago, one message without a receive stamp.
        var core = new MarketCore(4, measureLatency: true);
        var received = Telemetry.MonotonicClock.NowNs - 5_000_000;
        var stamped = FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 10, 11, 9, 11, [Bid(100, 1), Ask(101, 1)]);
        var unstamped = FakeDepthFeed.BuildMessage(MarketEventKind.DepthLevel, Symbol, Market.Futures, 12, 12, 11, 12, [Bid(100, 2)]);
        for (var i = 0; i < stamped.Length; i++)
        {
            stamped[i].ReceiveTimestampNs = received;
            stamped[i].PublishTimestampNs = received;
        }

        // Act
        var sequence = 0L;
        foreach (var e in stamped.Concat(unstamped))
        {
            var copy = e;
            core.OnEvent(ref copy, sequence++);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(core.ReceiveToCoreLatency.TotalCount, Is.EqualTo(stamped.Length), "unstamped events are not recorded");
            Assert.That(core.ReceiveToCoreLatency.Min, Is.GreaterThanOrEqualTo(5_000_000 * 0.99), "at least the 5 ms since the stamp (histogram precision)");
            Assert.That(core.PickupLatency.TotalCount, Is.EqualTo(stamped.Length + unstamped.Length));
        }
    }

    [Test]
    public void ShouldPublishOneSnapshotRequestPerTransitionOutOfSync_WhenTheBookBreaks()
    {
        // Arrange: synced (no request), then a live break, more diffs while unsynced, then a stale snapshot.
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink);
        var feed = new FakeDepthFeed(core, Symbol, Market.Futures);
        feed.FuturesDiff(96, 102, 95, Bid(100, 2));
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));
        var whileSyncing = sink.Requests.Count;

        // Act 1: pu 101 ≠ previous u 102, then a diff chained on it (still unsynced: no second request).
        feed.FuturesDiff(103, 104, 101, Bid(100, 9));
        var breakingSequence = feed.LastSequence;
        feed.FuturesDiff(105, 106, 104, Bid(100, 8));
        var afterGap = sink.Requests.ToArray();

        // Act 2: a snapshot older than the first buffered diff: the first replayed diff does not bracket it.
        feed.Snapshot(101, Bid(97, 1), Ask(104, 1));

        // Assert
        var state = core.StateOf(Symbol)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileSyncing, Is.Zero, "a normal sync asks for nothing");
            Assert.That(afterGap, Has.Length.EqualTo(1), "one request per transition out of sync");
            Assert.That(afterGap[0].SymbolId, Is.EqualTo(Symbol));
            Assert.That(afterGap[0].FirstBufferedUpdateId, Is.EqualTo(103), "U of the first buffered diff");
            Assert.That(afterGap[0].LastAppliedUpdateId, Is.EqualTo(102), "the live book's last applied u");
            Assert.That(afterGap[0].Reason, Is.EqualTo(SnapshotRequestReason.ChainBroken));
            Assert.That(afterGap[0].CausingSequence, Is.EqualTo(breakingSequence), "the sequence of the slot that broke the chain");
            Assert.That(afterGap[0].EventTimeMs, Is.EqualTo(1_040), "the breaking diff's E (the feed stamps u × 10)");
            Assert.That(sink.Requests, Has.Count.EqualTo(2), "the stale snapshot asks again");
            Assert.That(sink.Requests[1].Reason, Is.EqualTo(SnapshotRequestReason.SnapshotDidNotBridge));
            Assert.That(sink.Requests[1].FirstBufferedUpdateId, Is.EqualTo(103));
            Assert.That(sink.Requests[1].LastAppliedUpdateId, Is.Zero, "nothing applied since the snapshot");
            Assert.That(state.SnapshotRequests, Is.EqualTo(2));
            Assert.That(state.SyncState, Is.EqualTo(BookSyncState.AwaitingSnapshot));
        }
    }

    [Test]
    public void ShouldDecideIdentically_WithOrWithoutAnOutboundSink()
    {
        // Arrange
        var with = new MarketCore(4, new RecordingOutboundSink());
        var without = new MarketCore(4);

        // Act
        foreach (var core in new[] { with, without })
        {
            var feed = new FakeDepthFeed(core, Symbol, Market.Futures);
            feed.FuturesDiff(96, 102, 95, Bid(100, 2));
            feed.Snapshot(100, Bid(98, 5), Ask(103, 5));
            feed.FuturesDiff(103, 104, 101, Bid(100, 9));
            feed.Snapshot(103, Bid(97, 1), Ask(104, 1));
            feed.FuturesDiff(105, 106, 104, Ask(103, 2));
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(with.BooksDigest(), Is.EqualTo(without.BooksDigest()));
            Assert.That(with.SignalDigest, Is.EqualTo(without.SignalDigest));
            Assert.That(with.StateOf(Symbol)!.SyncState, Is.EqualTo(BookSyncState.Live));
            Assert.That(without.StateOf(Symbol)!.SnapshotRequests, Is.EqualTo(1), "the core counts its requests whoever listens");
            Assert.That(with.StateOf(Symbol)!.SnapshotRequests, Is.EqualTo(1));
        }
    }
}
