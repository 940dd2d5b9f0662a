using OptiFlow.Testing;
using NUnit.Framework;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Tests.Support;
using static OptiFlow.Engine.Tests.Support.Level;

namespace OptiFlow.Engine.Tests;

/// <summary>The evaluator API on the core thread: dispatch by kind and symbol, output into the outbound stream,
/// isolation of an evaluator that throws, and 0 B per event.</summary>
public class EvaluatorSetTests
{
    private const long S = FixedPoint.Scale;

    [Test]
    public void ShouldCallEachEvaluatorOnlyForTheKindsAndSymbolsItSubscribed_WhenEventsArrive()
    {
        // Arrange: tickers of symbol 1 only; trades of every symbol; applied depth of every symbol.
        var tickers = new CountingEvaluator("tickers", EvaluatorInputs.BookTicker, wants: id => id == 1);
        var trades = new CountingEvaluator("trades", EvaluatorInputs.Trade);
        var depth = new CountingEvaluator("depth", EvaluatorInputs.DepthApplied);
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink, evaluators: new EvaluatorSet([tickers, trades, depth]));
        var feed = new FakeDepthFeed(core, 2, Market.Futures);

        // Act
        var sequence = 1_000L;
        foreach (var symbol in new[] { 1, 2, 1, 3 })
        {
            var ticker = Ticker(symbol, 100 * S, 101 * S);
            core.OnEvent(ref ticker, sequence++);
            var trade = Trade(symbol, 100 * S, S);
            core.OnEvent(ref trade, sequence++);
        }

        feed.FuturesDiff(96, 102, 95, Bid(100, 2), Ask(102, 1));
        feed.Snapshot(100, Bid(98, 5), Ask(103, 5));
        feed.FuturesDiff(103, 105, 102, Ask(101, 3));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tickers.Symbols, Is.EqualTo(new[] { 1, 1 }), "only symbol 1's tickers");
            Assert.That(trades.Symbols, Is.EqualTo(new[] { 1, 2, 1, 3 }), "every trade");
            Assert.That(depth.Symbols, Is.EqualTo(new[] { 2, 2 }), "one call per applied message, after the core's signal");
            Assert.That(depth.LastSignalApplied, Is.EqualTo(core.StateOf(2)!.Applied));
            Assert.That(depth.BookBestAskAtCall, Is.EqualTo(101 * S), "the book holds the message when the evaluator is called");
            Assert.That(sink.EvaluatorRecords, Has.Count.EqualTo(2 + 4 + 2), "each call emitted one record");
            Assert.That(sink.EvaluatorRecords.Select(r => r.EvaluatorId).Distinct(), Is.EquivalentTo(new ushort[] { 0, 1, 2 }));
            Assert.That(sink.EvaluatorRecords[0].CausingSequence, Is.EqualTo(1_000));
            Assert.That(sink.EvaluatorRecords[0].LocalTimestampNs, Is.EqualTo(7_000), "the causing event's receive time");
            Assert.That(core.Evaluators!.Status.Select(s => s.Calls), Is.EqualTo(new long[] { 2, 4, 2 }));
            Assert.That(core.Evaluators.Status.Select(s => s.RecordsEmitted), Is.EqualTo(new long[] { 2, 4, 2 }));
        }
    }

    [Test]
    public void ShouldQuarantineAndCountTheEvaluatorThatThrows_WhileTheCoreAndTheOthersGoOn()
    {
        // Arrange: the first evaluator throws on its second ticker.
        var throwing = new CountingEvaluator("throwing", EvaluatorInputs.BookTicker, throwOnCall: 2);
        var healthy = new CountingEvaluator("healthy", EvaluatorInputs.BookTicker);
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink, evaluators: new EvaluatorSet([throwing, healthy]));

        // Act
        for (var i = 0; i < 5; i++)
        {
            var ticker = Ticker(1, (100 + i) * S, (101 + i) * S);
            core.OnEvent(ref ticker, i);
        }

        // Assert
        var status = core.Evaluators!.Status;
        var faults = sink.EvaluatorRecords.Where(r => r.Type == EvaluatorRecordType.Fault).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(core.EventCount, Is.EqualTo(5), "the core handled every event");
            Assert.That(core.StateOf(1)!.LastBookTicker.BidPrice, Is.EqualTo(104 * S));
            Assert.That(healthy.Symbols, Has.Count.EqualTo(5), "the other evaluator saw every event");
            Assert.That(throwing.Symbols, Has.Count.EqualTo(1), "quarantined after its throw");
            Assert.That(status[0].IsQuarantined, Is.True);
            Assert.That(status[0].Fault, Is.TypeOf<InvalidOperationException>());
            Assert.That(status[0].FaultSequence, Is.EqualTo(1));
            Assert.That(status[0].Calls, Is.EqualTo(2));
            Assert.That(status[0].SkippedCalls, Is.EqualTo(3));
            Assert.That(status[1].IsQuarantined, Is.False);
            Assert.That(core.Evaluators.Quarantined, Is.EqualTo(1));
            Assert.That(faults, Has.Count.EqualTo(1), "the fault is a record on the outbound stream (journaled, replayed)");
            Assert.That(faults[0].EvaluatorId, Is.EqualTo(0));
            Assert.That(faults[0].CausingSequence, Is.EqualTo(1));
            Assert.That(faults[0].BodyAs<EvaluatorFault>().HResult, Is.EqualTo(new InvalidOperationException().HResult));
            Assert.That(faults[0].BodyAs<EvaluatorFault>().Input, Is.EqualTo(EvaluatorInputs.BookTicker));
        }
    }

    [Test]
    public void ShouldPassOrderCommandsToTheOutboundSink_WhenAnEvaluatorEmitsThem()
    {
        // Arrange
        var ordering = new CountingEvaluator("orders", EvaluatorInputs.BookTicker, emitOrder: true);
        var sink = new RecordingOutboundSink();
        var core = new MarketCore(4, sink, evaluators: new EvaluatorSet([ordering]));
        var ticker = Ticker(1, 100 * S, 101 * S);

        // Act
        core.OnEvent(ref ticker, 42);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Orders, Has.Count.EqualTo(1));
            Assert.That(sink.Orders[0].CausingSequence, Is.EqualTo(42));
            Assert.That(sink.Orders[0].Validate(), Is.EqualTo(OrderCommandFault.None));
            Assert.That(core.Evaluators!.Status[0].OrdersEmitted, Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldRefuseASecondAttach_WhenASetOrAnEvaluatorIsReused()
    {
        // Arrange
        var evaluator = new CountingEvaluator("once", EvaluatorInputs.BookTicker);
        var set = new EvaluatorSet([evaluator]);
        _ = new MarketCore(4, evaluators: set);

        // Act / Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<InvalidOperationException>(() => _ = new MarketCore(4, evaluators: set));
            Assert.Throws<InvalidOperationException>(() => _ = new MarketCore(4, evaluators: new EvaluatorSet([evaluator])));
            Assert.Throws<ArgumentException>(() => _ = new EvaluatorSet([evaluator, evaluator]));
        }
    }

    [Test]
    public void ShouldAllocateNothingPerEvent_WhenEvaluatorsEmitOnEveryEvent()
    {
        // Arrange: a ticker and a trade evaluator that each emit a record per call, into a sink that keeps nothing.
        var core = new MarketCore(4, new DiscardingSink(), evaluators: new EvaluatorSet(
            [new CountingEvaluator("tickers", EvaluatorInputs.BookTicker, keep: false), new CountingEvaluator("trades", EvaluatorInputs.Trade, keep: false)]));
        var events = new MarketEvent[2_000];
        for (var i = 0; i < events.Length; i += 2)
        {
            events[i] = Ticker(1 + (i % 3), (100 + (i % 7)) * S, (101 + (i % 7)) * S);
            events[i + 1] = Trade(1 + (i % 3), 100 * S, S);
        }

        var sequence = 0L;

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < events.Length; i++)
            {
                core.OnEvent(ref events[i], sequence++);
            }
        });
        var emitted = core.Evaluators!.Status.Sum(s => s.RecordsEmitted);
        Assert.That(emitted > 0 && emitted % events.Length == 0, Is.True, $"every event of every run emitted one record ({emitted})");
    }

    private static MarketEvent Ticker(int symbol, long bid, long ask) => new()
    {
        Kind = MarketEventKind.BookTicker,
        SymbolId = symbol,
        Market = Market.Spot,
        BidPrice = bid,
        BidQuantity = S,
        AskPrice = ask,
        AskQuantity = 2 * S,
        LocalTimestampNs = 7_000,
    };

    private static MarketEvent Trade(int symbol, long price, long quantity) => new()
    {
        Kind = MarketEventKind.Trade,
        SymbolId = symbol,
        Market = Market.Spot,
        Price = price,
        Quantity = quantity,
        EventTimeMs = 1_700_000_000_000,
    };

    private sealed class CountingEvaluator(string name, EvaluatorInputs inputs, Func<int, bool>? wants = null, int throwOnCall = 0, bool emitOrder = false, bool keep = true) : Evaluator
    {
        private int _calls;

        public override string Name => name;

        public override EvaluatorInputs Inputs => inputs;

        public List<int> Symbols { get; } = [];

        public long LastSignalApplied { get; private set; }

        public long BookBestAskAtCall { get; private set; }

        public override bool Wants(int symbolId) => wants?.Invoke(symbolId) ?? true;

        public override void OnBookTicker(ref readonly MarketEvent e, long sequence) => Called(in e, sequence);

        public override void OnTrade(ref readonly MarketEvent e, long sequence) => Called(in e, sequence);

        public override void OnDepthApplied(ref readonly MarketEvent last, long sequence, SymbolState state, ref readonly SignalEvent signal)
        {
            LastSignalApplied = signal.Applied;
            BookBestAskAtCall = state.Book.Asks.PriceAt(0);
            Called(in last, sequence);
        }

        private void Called(ref readonly MarketEvent e, long sequence)
        {
            if (++_calls == throwOnCall)
            {
                throw new InvalidOperationException("evaluator bug");
            }

            if (keep)
            {
                Symbols.Add(e.SymbolId);
            }

            Context!.Emit(EvaluatorRecordType.StrategyDecision, in e, sequence, (long)_calls);
            if (emitOrder)
            {
                Context.EmitOrder(OrderCommand.NewLimit(e.SymbolId, OrderSide.Buy, e.BidPrice, S, TimeInForce.ImmediateOrCancel, _calls, sequence, e.EventTimeMs));
            }
        }
    }

    private sealed class DiscardingSink : Outbound.IOutboundSink
    {
        public void OnSignal(in SignalEvent signal, Books.OrderBook book)
        {
        }

        public void OnSnapshotRequest(in Outbound.SnapshotRequest request)
        {
        }

        public void OnEvaluatorRecord(in EvaluatorRecord record)
        {
        }

        public void OnOrderCommand(in OrderCommand command)
        {
        }
    }
}
