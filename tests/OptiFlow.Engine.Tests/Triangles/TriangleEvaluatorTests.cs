using System.Runtime.InteropServices;
using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests.Triangles;

/// <summary>The triangle evaluator on a core: against an independent decimal evaluator on seeded streams over a real
/// sub-universe, against hand-computed values on real books, its plans, its record layout and 0 B per event.</summary>
public class TriangleEvaluatorTests
{
    private const long S = FixedPoint.Scale;

    [TestCase(1, -25.0)]
    [TestCase(2, 0.0)]
    [TestCase(3, 5.0)]
    public void ShouldEmitWhatTheDecimalReferenceFinds_OnASeededStreamOverARealSubUniverse(int seed, double minEdgeBps)
    {
        // Arrange: the priced sub-universe; every 7th instrument is left out of the session's table (never quoted).
        var instruments = TriangleData.PricedSubUniverse();
        var universe = new TriangleUniverse(instruments);
        var names = instruments.Where((_, i) => i % 7 != 3).Select(i => i.Symbol).ToArray();
        var table = TriangleData.TableOf(names.Reverse());
        var evaluator = new TriangleEvaluator(universe, table, 10, minEdgeBps);
        var sink = new RecordingOutboundSink(64);
        var core = new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator]));
        var events = new SeededBookTickerStream(instruments, table, seed).Generate(4_000);
        var reference = new ReferenceTriangles(universe, 10m, (decimal)minEdgeBps);
        var expected = new List<ReferenceTriangles.Row>();

        // Act
        for (var i = 0; i < events.Length; i++)
        {
            expected.AddRange(reference.OnBookTicker(i + 1, table.NameOf(events[i].SymbolId), in events[i]));
            core.OnEvent(ref events[i], i);
        }

        // Assert
        var actual = sink.EvaluatorRecords;
        Assert.That(universe.Count, Is.GreaterThan(50), "a sub-universe with triangles");
        Assert.That(expected, Has.Count.GreaterThan(20), "the stream opens opportunities");
        Assert.That(actual, Has.Count.EqualTo(expected.Count), "one record per reference row");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(evaluator.Evaluations, Is.EqualTo(reference.Evaluations));
            Assert.That(evaluator.Opportunities, Is.EqualTo(expected.Count));
            for (var k = 0; k < expected.Count; k++)
            {
                var row = expected[k];
                var record = actual[k];
                var body = record.BodyAs<TriangleOpportunity>();
                var where = $"row {k}: n {row.N} {row.Path}";
                Assert.That(record.Type, Is.EqualTo(EvaluatorRecordType.TriangleOpportunity), where);
                Assert.That((body.N, table.NameOf(record.SymbolId), body.U), Is.EqualTo((row.N, row.Symbol, row.U)), where);
                Assert.That((body.TriangleId, body.Direction), Is.EqualTo((row.TriangleId, row.Direction)), where);
                Assert.That(universe.Triangles[body.TriangleId].Path(body.Direction), Is.EqualTo(row.Path), where);
                Assert.That(body.EdgeBps, Is.EqualTo((double)row.EdgeBps).Within(1e-6), where);
                Assert.That(body.MaxStartQty, Is.EqualTo((double)row.MaxStartQty).Within(1e-9 * (double)row.MaxStartQty), where);
            }
        }
    }

    [TestCase(5UL, -40.0)]
    [TestCase(9UL, 0.0)]
    public void ShouldEmitWhatTheDecimalReferenceFinds_OnAGeneratedRecording(ulong seed, double minEdgeBps)
    {
        // Arrange: a generated recording (optiflow generate spot) over the 80 best connected symbols, with mispricings.
        using var temp = new TempDirectory("optiflow-triangles");
        var path = temp.File("spot.txt");
        var summary = GeneratedSpotData.Generate(path, new Adapters.Binance.Generation.SpotUniverseGeneratorOptions { Seed = seed, FrameCount = 4_000, MaxSymbols = 80, MispricingCount = 8 });
        var frames = GeneratedSpotData.ReadFrames(path);
        var universe = new TriangleUniverse(TriangleData.Trading);
        var table = TriangleData.TableOf(summary.Symbols);
        var evaluator = new TriangleEvaluator(universe, table, 10, minEdgeBps);
        var sink = new RecordingOutboundSink(64);
        var core = new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator]));
        var reference = new ReferenceTriangles(universe, 10m, (decimal)minEdgeBps);
        var expected = new List<ReferenceTriangles.Row>();

        // Act
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            Assert.That(table.TryGet(System.Text.Encoding.ASCII.GetBytes(f.Symbol), out var id), Is.True);
            var e = new MarketEvent
            {
                Kind = MarketEventKind.BookTicker,
                Market = Market.Spot,
                SymbolId = id,
                FinalUpdateId = f.UpdateId,
                BidPrice = f.Bid,
                BidQuantity = f.BidQuantity,
                AskPrice = f.Ask,
                AskQuantity = f.AskQuantity,
                LocalTimestampNs = f.TimestampNs,
            };
            expected.AddRange(reference.OnBookTicker(i + 1, f.Symbol, in e));
            core.OnEvent(ref e, i);
        }

        // Assert
        var actual = sink.EvaluatorRecords;
        Assert.That(summary.Mispricings, Is.Not.Empty);
        Assert.That(expected, Has.Count.GreaterThan(0));
        Assert.That(actual, Has.Count.EqualTo(expected.Count), "one record per reference row");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(evaluator.Evaluations, Is.EqualTo(reference.Evaluations));
            for (var k = 0; k < expected.Count; k++)
            {
                var row = expected[k];
                var body = actual[k].BodyAs<TriangleOpportunity>();
                var where = $"row {k}: n {row.N} {row.Path}";
                Assert.That((body.N, table.NameOf(actual[k].SymbolId), body.U, body.TriangleId, body.Direction), Is.EqualTo((row.N, row.Symbol, row.U, row.TriangleId, row.Direction)), where);
                Assert.That(body.EdgeBps, Is.EqualTo((double)row.EdgeBps).Within(1e-6), where);
                Assert.That(body.MaxStartQty, Is.EqualTo((double)row.MaxStartQty).Within(1e-9 * (double)row.MaxStartQty), where);
            }
        }
    }

    [Test]
    public void ShouldComputeTheHandValues_OnTheRealEurEthUsdtBooks()
    {
        // Arrange: the 13 moments of halo3mic-binance-arb's books.json, each fed as three bookTickers (top of book).
        var path = RecordingData.Require("halo3mic-binance-arb/data/books.json");
        string[] symbols = ["EURUSDT", "ETHEUR", "ETHUSDT"];
        var universe = new TriangleUniverse(
        [
            TriangleUniverseTests.Spec("EURUSDT", "EUR", "USDT"),
            TriangleUniverseTests.Spec("ETHEUR", "ETH", "EUR"),
            TriangleUniverseTests.Spec("ETHUSDT", "ETH", "USDT"),
        ]);
        var table = TriangleData.TableOf(symbols);
        var evaluator = new TriangleEvaluator(universe, table, 10, minEdgeBps: -1_000);
        var sink = new RecordingOutboundSink(64);
        var core = new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator]));
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var sequence = 0L;
        foreach (var moment in document.RootElement.EnumerateObject())
        {
            foreach (var symbol in symbols)
            {
                var book = moment.Value.GetProperty(symbol);
                var e = new MarketEvent
                {
                    Kind = MarketEventKind.BookTicker,
                    Market = Market.Spot,
                    SymbolId = Array.IndexOf(symbols, symbol),
                    FinalUpdateId = book.GetProperty("lastUpdateId").GetInt64(),
                    BidPrice = Units(book.GetProperty("bids")[0][0]),
                    BidQuantity = Units(book.GetProperty("bids")[0][1]),
                    AskPrice = Units(book.GetProperty("asks")[0][0]),
                    AskQuantity = Units(book.GetProperty("asks")[0][1]),
                    LocalTimestampNs = long.Parse(moment.Name, System.Globalization.CultureInfo.InvariantCulture) * 100,
                };
                core.OnEvent(ref e, sequence++);
            }
        }

        // Act
        var byTrigger = sink.EvaluatorRecords.Select(r => r.BodyAs<TriangleOpportunity>()).ToLookup(b => b.N);

        // Assert. By hand, f = 0.001, k = 1 − f = 0.999; start USDT, A = ETH, B = EUR.
        // Moment 1 (15898104831): EURUSDT b 1.0774 × 326.01 / a 1.0781 × 66.64; ETHEUR b 196.72 × 0.06139 / a 197.23 × 0.41862;
        // ETHUSDT b 212.31 × 13.79707 / a 212.32 × 0.00355.
        //   USDT>ETH>EUR>USDT: k³·196.72·1.0774 / 212.32 = 0.995247387…, edge −47.526128370 bps;
        //     caps: 0.00355·212.32 = 0.753736 USDT; 0.06139 / (k/212.32) = 13.0474 USDT; 326.01 / (k²·196.72/212.32) = 352.57 USDT → 0.753736.
        //   USDT>EUR>ETH>USDT: k³·212.31 / (1.0781·197.23) = 0.995485398…, edge −45.146016335 bps;
        //     caps: 66.64·1.0781 = 71.844584 USDT; 0.41862·197.23 / (k/1.0781) = 89.1018 USDT; 13.79707 / (k²/(1.0781·197.23)) = 2939.6 USDT → 71.844584.
        // Moment 2 (15898105242): EURUSDT b 1.0771 × 500; ETHUSDT b 212.29 × 3.995 / a 212.30 × 8.47876; ETHEUR unchanged.
        //   USDT>ETH>EUR>USDT: k³·196.72·1.0771 / 212.30, edge −49.360051180 bps; caps 1800.04 USDT, 0.06139 / (k/212.30) = 13.046143143 USDT, 540.68 → 13.046143143.
        //   USDT>EUR>ETH>USDT: k³·212.29 / (1.0781·197.23), edge −46.083782241 bps; caps 71.844584, 89.1018, 851.17 → 71.844584.
        var moment1 = byTrigger[3].ToArray();
        var moment2 = byTrigger[6].ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(byTrigger[1].Concat(byTrigger[2]), Is.Empty, "no record before the three legs are known");
            Assert.That(moment1.Select(b => b.Direction), Is.EqualTo(new[] { TriangleDirection.Forward, TriangleDirection.Reverse }), "USDT>ETH>EUR>USDT sorts before USDT>EUR>ETH>USDT");
            Assert.That(moment1[0].EdgeBps, Is.EqualTo(-47.52612837048455).Within(1e-6));
            Assert.That(moment1[0].MaxStartQty, Is.EqualTo(0.753736).Within(1e-9 * 0.753736));
            Assert.That(moment1[1].EdgeBps, Is.EqualTo(-45.14601633467604).Within(1e-6));
            Assert.That(moment1[1].MaxStartQty, Is.EqualTo(71.844584).Within(1e-9 * 71.844584));
            Assert.That(moment2[0].EdgeBps, Is.EqualTo(-49.360051179986435).Within(1e-6));
            Assert.That(moment2[0].MaxStartQty, Is.EqualTo(13.046143143143142).Within(1e-9 * 13.05));
            Assert.That(moment2[1].EdgeBps, Is.EqualTo(-46.08378224147886).Within(1e-6));
            Assert.That(moment2[1].MaxStartQty, Is.EqualTo(71.844584).Within(1e-9 * 71.844584));
            Assert.That(evaluator.Triggers, Is.EqualTo(39));
            Assert.That(evaluator.Evaluations, Is.EqualTo(2 * 37));
        }
    }

    [Test]
    public void ShouldRoundEachLegDownToItsStepAndDateItsLegs_WhenThePlanIsExecutable()
    {
        // Arrange: USDT>BTC>ETH>USDT buys BTC at 26000, buys ETH at 0.0631 BTC, sells ETH at 1660 (+88 bps).
        var (evaluator, core, sink) = HandMade(minNotionalUsdt: 5 * S);
        Feed(core, Ethbtc, 1_000, bid: 6_300_000, bidQty: 5 * S, ask: 6_310_000, askQty: 2 * S);
        Feed(core, Ethusdt, 5_000, bid: 1_660 * S, bidQty: 10 * S, ask: 166_001_000_000, askQty: 10 * S);

        // Act: the trigger.
        Feed(core, Btcusdt, 12_000, bid: 25_999 * S, bidQty: S / 2, ask: 26_000 * S, askQty: S / 2);

        // Assert. Size: caps 0.5·26000 = 13000 USDT; 2 ETH·0.0631 = 0.1262 BTC, / (0.999/26000) = 3284.484484… USDT
        // (binds); 10 ETH / (0.999²/(26000·0.0631)) = 16439 USDT. Plan, by hand in 10⁻⁸ units: 3284.48448448 USDT buys
        // floor(3284.48448448/26000) = 0.12632632 BTC, rounded down to the step 0.00001: 0.12632 BTC; it receives
        // 0.12632·0.999 = 0.12619368 BTC, which buys floor(0.12619368/0.0631) = 1.99989984 ETH, rounded down to the step
        // 0.0001: 1.9998 ETH; it receives 1.9998·0.999 = 1.99780020 ETH, sold rounded down to the step: 1.9978 ETH.
        var record = sink.EvaluatorRecords.Single();
        var body = record.BodyAs<TriangleOpportunity>();
        var triangle = evaluator.Universe.Triangles[body.TriangleId];
        var legs = triangle.Legs(body.Direction);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(triangle.Path(body.Direction), Is.EqualTo("USDT>BTC>ETH>USDT"));
            Assert.That(body.N, Is.EqualTo(3));
            Assert.That(body.EdgeBps, Is.EqualTo(((1_660.0 / (26_000.0 * 0.0631) * 0.999 * 0.999 * 0.999) - 1) * 10_000).Within(1e-9));
            Assert.That(body.MaxStartQty, Is.EqualTo(0.1262 / (0.999 / 26_000)).Within(1e-9));
            Assert.That(body.Status, Is.EqualTo(TrianglePlanStatus.Executable));
            Assert.That(body.FailedLeg, Is.EqualTo(TriangleOpportunity.NoFailedLeg));
            Assert.That((body.Quantity0, body.Quantity1, body.Quantity2), Is.EqualTo((12_632_000L, 199_980_000L, 199_780_000L)));
            Assert.That((body.AgeNs0, body.AgeNs1, body.AgeNs2), Is.EqualTo((0L, 11_000L, 7_000L)), "trigger's receive time minus each leg's");
            Assert.That(legs.Select(l => (l.Instrument.Symbol, l.Side)), Is.EqualTo(new[] { ("BTCUSDT", OrderSide.Buy), ("ETHBTC", OrderSide.Buy), ("ETHUSDT", OrderSide.Sell) }));
            Assert.That(legs.Select(evaluator.LimitPriceOf), Is.EqualTo(new[] { 26_000 * S, 6_310_000, 1_660 * S }), "ask, ask, bid");
            Assert.That(legs.Select(l => evaluator.SymbolIdOf(l.InstrumentIndex)), Is.EqualTo(new[] { Btcusdt, Ethbtc, Ethusdt }));
            Assert.That(evaluator.CurrentOpportunities.ToArray(), Is.EqualTo(new[] { body }));
            Assert.That(Enumerable.Range(0, 3).Select(leg => evaluator.LegOrder(in body, leg)), Is.EqualTo(new[]
            {
                new TriangleLegOrder(Btcusdt, evaluator.Universe.IndexOf("BTCUSDT"), OrderSide.Buy, 26_000 * S, 12_632_000),
                new TriangleLegOrder(Ethbtc, evaluator.Universe.IndexOf("ETHBTC"), OrderSide.Buy, 6_310_000, 199_980_000),
                new TriangleLegOrder(Ethusdt, evaluator.Universe.IndexOf("ETHUSDT"), OrderSide.Sell, 1_660 * S, 199_780_000),
            }), "the three IOC orders of the plan");
            Assert.That(evaluator.PlanCount(TrianglePlanStatus.Executable), Is.EqualTo(1));
            Assert.That(evaluator.Evaluations, Is.EqualTo(2), "both directions of the one triangle");
        }
    }

    [Test]
    public void ShouldCountAMinNotionalFailureByReason_WhenTheFirstLegIsTooSmall()
    {
        // Arrange: the same prices, but only 0.0001 BTC at the ask: 0.0001·26000 = 2.6 USDT < 5 USDT.
        var (evaluator, core, sink) = HandMade(minNotionalUsdt: 5 * S);
        Feed(core, Ethbtc, 1_000, bid: 6_300_000, bidQty: 5 * S, ask: 6_310_000, askQty: 2 * S);
        Feed(core, Ethusdt, 5_000, bid: 1_660 * S, bidQty: 10 * S, ask: 166_001_000_000, askQty: 10 * S);

        // Act
        Feed(core, Btcusdt, 12_000, bid: 25_999 * S, bidQty: S / 2, ask: 26_000 * S, askQty: S / 10_000);

        // Assert
        var body = sink.EvaluatorRecords.Single().BodyAs<TriangleOpportunity>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.MaxStartQty, Is.EqualTo(2.6).Within(1e-12));
            Assert.That(body.Status, Is.EqualTo(TrianglePlanStatus.NotionalBelowMin));
            Assert.That(body.FailedLeg, Is.Zero);
            Assert.That((body.Quantity0, body.Quantity1, body.Quantity2), Is.EqualTo((10_000L, 0L, 0L)), "0.0001 BTC, the legs after the failure are not planned");
            Assert.That(evaluator.PlanCount(TrianglePlanStatus.NotionalBelowMin), Is.EqualTo(1));
            Assert.That(evaluator.PlanCount(TrianglePlanStatus.Executable), Is.Zero);
        }
    }

    [Test]
    public void ShouldCountAQuantityBelowTheStep_WhenALegRoundsDownToZero()
    {
        // Arrange: ETHBTC trades whole ETH (step 1) and its ask holds 0.5 ETH, which binds the size: the second leg
        // buys min(0.4999… ETH affordable, 0.5) rounded down to the step: 0.
        var (evaluator, core, sink) = HandMade(minNotionalUsdt: 0, ethbtcStep: S);
        Feed(core, Ethbtc, 1_000, bid: 6_300_000, bidQty: 5 * S, ask: 6_310_000, askQty: S / 2);
        Feed(core, Ethusdt, 5_000, bid: 1_660 * S, bidQty: 10 * S, ask: 166_001_000_000, askQty: 10 * S);

        // Act
        Feed(core, Btcusdt, 12_000, bid: 25_999 * S, bidQty: S / 2, ask: 26_000 * S, askQty: S / 2);

        // Assert
        var body = sink.EvaluatorRecords.Single().BodyAs<TriangleOpportunity>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.Status, Is.EqualTo(TrianglePlanStatus.QuantityBelowMin));
            Assert.That(body.FailedLeg, Is.EqualTo(1));
            Assert.That((body.Quantity0, body.Quantity1), Is.EqualTo((3_158_000L, 0L)), "0.5·0.0631 BTC / (0.999/26000) = 821.2 USDT buys 0.03158 BTC");
            Assert.That(evaluator.PlanCount(TrianglePlanStatus.QuantityBelowMin), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldNeverQuoteAnInstrument_WhenTheSessionsTableLacksIt()
    {
        // Arrange: the table has BTCUSDT and ETHUSDT but not ETHBTC.
        var universe = HandUniverse(0);
        var table = TriangleData.TableOf(["BTCUSDT", "ETHUSDT", "BNBUSDT"]);
        var evaluator = new TriangleEvaluator(universe, table, 10, minEdgeBps: -10_000);
        var sink = new RecordingOutboundSink(4);
        var core = new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator]));

        // Act
        Feed(core, 0, 1, 25_999 * S, S, 26_000 * S, S);
        Feed(core, 1, 2, 1_659 * S, S, 1_660 * S, S);
        Feed(core, 2, 3, 215 * S, S, 216 * S, S);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.EvaluatorRecords, Is.Empty);
            Assert.That(evaluator.Triggers, Is.EqualTo(2), "BNBUSDT is in no triangle: not dispatched");
            Assert.That(evaluator.Wants(2), Is.False);
            Assert.That(evaluator.SymbolIdOf(universe.IndexOf("ETHBTC")), Is.EqualTo(-1));
            Assert.That(evaluator.QuoteOf(universe.IndexOf("ETHBTC")).IsKnown, Is.False);
        }
    }

    [Test]
    public void ShouldLayOutTheBodyAtTheDescriptorsOffsets()
    {
        // Arrange / Act
        static int Offset(string field) => (int)Marshal.OffsetOf<TriangleOpportunity>(field);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(TriangleOpportunityDescriptor.MatchesRuntimeLayout(), Is.True);
            Assert.That(TriangleOpportunityDescriptor.Size, Is.EqualTo(88));
            Assert.That(TriangleOpportunityDescriptor.Size, Is.LessThanOrEqualTo(EvaluatorRecordDescriptor.BodySize));
            Assert.That(Offset(nameof(TriangleOpportunity.N)), Is.EqualTo(0));
            Assert.That(Offset(nameof(TriangleOpportunity.U)), Is.EqualTo(8));
            Assert.That(Offset(nameof(TriangleOpportunity.EdgeBps)), Is.EqualTo(16));
            Assert.That(Offset(nameof(TriangleOpportunity.MaxStartQty)), Is.EqualTo(24));
            Assert.That(Offset(nameof(TriangleOpportunity.Quantity0)), Is.EqualTo(32));
            Assert.That(Offset(nameof(TriangleOpportunity.Quantity1)), Is.EqualTo(40));
            Assert.That(Offset(nameof(TriangleOpportunity.Quantity2)), Is.EqualTo(48));
            Assert.That(Offset(nameof(TriangleOpportunity.AgeNs0)), Is.EqualTo(56));
            Assert.That(Offset(nameof(TriangleOpportunity.AgeNs1)), Is.EqualTo(64));
            Assert.That(Offset(nameof(TriangleOpportunity.AgeNs2)), Is.EqualTo(72));
            Assert.That(Offset(nameof(TriangleOpportunity.TriangleId)), Is.EqualTo(80));
            Assert.That(Offset(nameof(TriangleOpportunity.Direction)), Is.EqualTo(84));
            Assert.That(Offset(nameof(TriangleOpportunity.Status)), Is.EqualTo(85));
            Assert.That(Offset(nameof(TriangleOpportunity.FailedLeg)), Is.EqualTo(86));
        }
    }

    [Test]
    public void ShouldAllocateNothingPerEvent_WhenEvaluatingTheFullUniverseOnTheCore()
    {
        // Arrange: all 2,207 triangles, 25,000 bookTickers over all 1,340 symbols, opportunities emitted (min edge -5 bps).
        var trading = TriangleData.Trading;
        var universe = new TriangleUniverse(trading);
        var table = TriangleData.TableOf(trading.Select(i => i.Symbol));
        var evaluator = new TriangleEvaluator(universe, table, 10, minEdgeBps: -5);
        var core = new MarketCore(table.Capacity, new DiscardingSink(), evaluators: new EvaluatorSet([evaluator]));
        var events = new SeededBookTickerStream(trading, table, 42).Generate(25_000);
        for (var i = 0; i < events.Length; i++)
        {
            core.OnEvent(ref events[i], i); // warm-up: every symbol's state, every JIT path
        }

        // Act
        var emittedBefore = evaluator.Opportunities;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < events.Length; i++)
        {
            core.OnEvent(ref events[i], events.Length + i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero, "bytes allocated on the core thread over 25,000 bookTickers");
            Assert.That(evaluator.Opportunities - emittedBefore, Is.GreaterThan(0), "records were emitted during the measured loop");
            Assert.That(evaluator.Evaluations, Is.GreaterThan(100_000));
        }
    }

    internal const int Btcusdt = 0;
    internal const int Ethusdt = 1;
    internal const int Ethbtc = 2;

    internal static TriangleUniverse HandUniverse(long minNotionalUsdt, long ethbtcStep = 10_000) => new(
    [
        new InstrumentSpec { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT", TickSize = S / 100, MinPrice = S / 100, MaxPrice = 1_000_000 * S, StepSize = 1_000, MinQty = 1_000, MaxQty = 9_000 * S, MinNotional = minNotionalUsdt, MaxNotional = 9_000_000 * S },
        new InstrumentSpec { Symbol = "ETHUSDT", BaseAsset = "ETH", QuoteAsset = "USDT", TickSize = S / 100, MinPrice = S / 100, MaxPrice = 1_000_000 * S, StepSize = 10_000, MinQty = 10_000, MaxQty = 9_000 * S, MinNotional = minNotionalUsdt, MaxNotional = 9_000_000 * S },
        new InstrumentSpec { Symbol = "ETHBTC", BaseAsset = "ETH", QuoteAsset = "BTC", TickSize = 1_000, MinPrice = 1_000, MaxPrice = 100_000 * S, StepSize = ethbtcStep, MinQty = 10_000, MaxQty = 100_000 * S, MinNotional = 10_000 },
        new InstrumentSpec { Symbol = "BNBUSDT", BaseAsset = "BNB", QuoteAsset = "USDT", TickSize = S / 10, StepSize = 100_000 },
    ]);

    private static (TriangleEvaluator Evaluator, MarketCore Core, RecordingOutboundSink Sink) HandMade(long minNotionalUsdt, long ethbtcStep = 10_000)
    {
        var table = TriangleData.TableOf(["BTCUSDT", "ETHUSDT", "ETHBTC"]);
        var evaluator = new TriangleEvaluator(HandUniverse(minNotionalUsdt, ethbtcStep), table, 10, minEdgeBps: 0);
        var sink = new RecordingOutboundSink(4);
        return (evaluator, new MarketCore(table.Capacity, sink, evaluators: new EvaluatorSet([evaluator])), sink);
    }

    internal static void Feed(MarketCore core, int symbolId, long localTimestampNs, long bid, long bidQty, long ask, long askQty)
    {
        var e = new MarketEvent
        {
            Kind = MarketEventKind.BookTicker,
            Market = Market.Spot,
            SymbolId = symbolId,
            FinalUpdateId = localTimestampNs + 100,
            BidPrice = bid,
            BidQuantity = bidQty,
            AskPrice = ask,
            AskQuantity = askQty,
            LocalTimestampNs = localTimestampNs,
        };
        core.OnEvent(ref e, localTimestampNs);
    }

    private static long Units(JsonElement text)
    {
        Assert.That(FixedPoint.TryParse(System.Text.Encoding.ASCII.GetBytes(text.GetString()!), out var units), Is.EqualTo(FixedPointParseStatus.Ok));
        return units;
    }

    private sealed class DiscardingSink : IOutboundSink
    {
        public void OnSignal(in SignalEvent signal, OrderBook book)
        {
        }

        public void OnSnapshotRequest(in SnapshotRequest request)
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
