using NUnit.Framework;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Hosting.Trading;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Strategies;
using OptiFlow.Simulator.Tests.Support;

namespace OptiFlow.Simulator.Tests.Trading;

/// <summary>
/// The whole trading path over loopback: the simulator replays the demo recording and is the exchange (WebSocket API,
/// HMAC-signed requests, its matching engine on the book it replays); a live session runs the OBI maker, the order gateway
/// and <see cref="BinanceOrderVenue"/>. Each scripted order fault must end in a defined state: every order known as
/// filled, cancelled, rejected or expired, no client order id sent twice, the position equal to the sum of the fills.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LoopbackTradingTests
{
    private const string ApiKey = "loopback-key";
    private const string Secret = "loopback-secret";
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    [TestCase("", TestName = "ShouldEndWithEveryOrderKnown_WhenNothingGoesWrong")]
    [TestCase("drop@2", TestName = "ShouldReconcileByOrderStatus_WhenAResponseIsDropped")]
    [TestCase("delay@2=400", TestName = "ShouldEndWithEveryOrderKnown_WhenAResponseIsDelayed")]
    [TestCase("unknown@2", TestName = "ShouldReconcileByOrderStatus_WhenTheVenueAnswersUnknownAndPlacedTheOrder")]
    [TestCase("unknown-not-placed@2", TestName = "ShouldReportTheOrderNotFound_WhenTheVenueAnswersUnknownAndNeverPlacedIt")]
    [TestCase("disconnect@2", TestName = "ShouldReconnectRelogOnAndReconcile_WhenTheConnectionDropsMidOrder")]
    [TestCase("disconnect-not-placed@2", TestName = "ShouldReportTheOrderNotFound_WhenTheConnectionDropsBeforeTheOrderIsPlaced")]
    [TestCase("429@2=300", TestName = "ShouldReportRateLimitedAndBackOff_WhenTheVenueAnswers429")]
    public async Task ShouldEndInADefinedState(string faults)
    {
        // Act
        var run = await RunAsync(faults, killAfterOrders: 0);

        // Assert
        AssertDefinedEnd(run);
        if (faults.Length > 0)
        {
            Assert.That(run.Exchange.Faults, Is.GreaterThanOrEqualTo(1), "the fault fired");
        }

        using (Assert.EnterMultipleScope())
        {
            if (faults.StartsWith("drop", StringComparison.Ordinal) || faults.StartsWith("unknown", StringComparison.Ordinal) || faults.StartsWith("disconnect", StringComparison.Ordinal))
            {
                Assert.That(run.Venue.Counters.UnknownOutcomes, Is.GreaterThanOrEqualTo(1), "the outcome was unknown");
                Assert.That(run.Venue.Counters.ReconciliationsSent, Is.GreaterThanOrEqualTo(1), "and was asked with order.status, not re-sent");
            }

            var notFound = run.Trading.RejectedByReason.GetValueOrDefault(ExecutionReason.NotFoundAfterUnknownOutcome);
            if (faults.StartsWith("unknown-not-placed", StringComparison.Ordinal))
            {
                Assert.That(notFound, Is.EqualTo(1), "only the faulted order was never placed");
            }

            if (faults.StartsWith("disconnect-not-placed", StringComparison.Ordinal))
            {
                // The faulted order, and any request the client sent after it before the drop reached it (how many depends
                // on timing), were never placed; a request placed before the drop whose answer was lost is found instead.
                Assert.That(notFound, Is.InRange(1, run.Venue.Counters.UnknownOutcomes), "every order never placed was reported not found, and only those");
            }

            if (faults.StartsWith("disconnect", StringComparison.Ordinal))
            {
                Assert.That(run.Exchange.Logons + run.Exchange.Connections, Is.GreaterThan(2), "the venue reconnected");
            }

            if (faults.StartsWith("429", StringComparison.Ordinal))
            {
                Assert.That(run.Trading.RejectedByReason.GetValueOrDefault(ExecutionReason.RateLimited), Is.EqualTo(1));
            }
        }
    }

    [Test]
    public async Task ShouldCancelEverythingAndRefuseNewOrders_WhenTheKillSwitchTrips()
    {
        // Act: the host trips the kill switch once the fourth order command has reached the gateway.
        var run = await RunAsync("", killAfterOrders: 4);

        // Assert
        AssertDefinedEnd(run);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Trading.KillSwitchTripped, Is.True);
            Assert.That(run.Trading.RiskRejections.GetValueOrDefault(Engine.Risk.RiskReason.KillSwitch), Is.Positive, "new orders after the trip were refused");
        }
    }

    private static void AssertDefinedEnd(LoopbackRun run)
    {
        var trading = run.Trading;
        var ledger = run.Result.Core.OrdersSnapshot();
        TestContext.Out.WriteLine($"commands {trading.Commands} sent {trading.Sent} acked {trading.Acknowledged} filled {trading.Filled} canceled {trading.Canceled} expired {trading.Expired} rejected {trading.Rejected} ({string.Join(", ", trading.RejectedByReason.Select(kv => $"{kv.Key} {kv.Value}"))}) fills {trading.Fills}");
        TestContext.Out.WriteLine($"venue: unknown outcomes {run.Venue.Counters.UnknownOutcomes}, reconciliations {run.Venue.Counters.ReconciliationsSent}, duplicates refused {run.Venue.Counters.DuplicatesRefused}; exchange: placed {run.Exchange.OrdersPlaced}, faults {run.Exchange.Faults}, duplicate ids {run.Exchange.DuplicateClientOrderIds}; ledger anomalies {string.Join(", ", ledger.Anomalies.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}"))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading.Fault, Is.Null);
            Assert.That(run.Finished, Is.True, "the feed reached the end of the recording");
            Assert.That(trading.NewOrders, Is.GreaterThan(2), "the maker traded");
            Assert.That(run.Exchange.DuplicateClientOrderIds, Is.Zero, "no client order id was sent twice");
            Assert.That(trading.OpenOrdersAtEnd, Is.Zero, "the gateway knows no open order at the end");
            Assert.That(ledger.OpenOrders, Is.Empty, "the core knows every order as filled, cancelled, rejected or expired");
            var symbol = trading.Symbols.Single();
            Assert.That(symbol.Position, Is.EqualTo(symbol.BoughtQuantity - symbol.SoldQuantity), "position = sum of fills");
            // The core lists a symbol's position once it has a fill; no fills means a flat position.
            var corePosition = ledger.SymbolPositions.Where(p => p.SymbolId == 0).Sum(p => p.NetQuantity);
            Assert.That(corePosition, Is.EqualTo(symbol.Position), "the core's position = the gateway's");
        }
    }

    private static async Task<LoopbackRun> RunAsync(string faults, int killAfterOrders)
    {
        var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [DemoRecording.Path],
            Market = Market.Futures,
            Pace = SimulatorPace.TryParse("x20", out var pace) ? pace : throw new InvalidOperationException("pace"),
            ApiKeys = [SimulatorApiKey.Hmac(ApiKey, Secret)],
            OrderFaults = OrderFault.ParseScript(faults),
        });
        await simulator.StartAsync();
        BinanceOrderVenue? venue = null;
        var client = new MarketDataClientOptions
        {
            Venue = BinanceVenue.UsdmFutures,
            Symbols = ["btcusdt"],
            Streams = DemoRecording.Streams,
            StreamBaseAddress = simulator.StreamBaseAddress,
            FinishOnRecordingEnd = true,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        };
        var exchangeInfo = ExchangeInfoParser.ParseFile(Path.Combine(Path.GetDirectoryName(DemoRecording.Path)!, "demo-filters.json"));
        var options = new EngineOptions
        {
            DrainTimeout = TimeSpan.FromSeconds(30),
            Evaluators = [new ObiMakerFactory(new ObiMakerOptions { Threshold = 0.3, Quantity = FixedPoint.Scale / 100, Limits = new StrategyLimits { CooldownMs = 200 } })],
            Trading = new TradingOptions
            {
                Mode = TradingMode.Simulator,
                VenueFactory = (symbols, market) => venue = new BinanceOrderVenue(new OrderVenueOptions
                {
                    Market = market,
                    Credentials = ApiCredentials.FromHmacSecret(ApiKey, Secret),
                    Symbols = symbols,
                    ApiUri = new Uri(simulator.StreamBaseAddress, simulator.TradingPath),
                    FuturesUserDataUri = new Uri(simulator.StreamBaseAddress, "/private/ws"),
                    RequestTimeout = TimeSpan.FromSeconds(1),
                    ReconcileRetryDelay = TimeSpan.FromMilliseconds(200),
                    ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
                    ClientOrderIdPrefix = "lt-",
                }),
                VenueDrainTimeout = TimeSpan.FromSeconds(10),
            }.WithExchangeInfo(exchangeInfo),
        };
        try
        {
            using var session = EngineSession.ForLive(client, options);
            session.Start();
            using var stop = new CancellationTokenSource();
            var killer = killAfterOrders > 0
                ? Task.Run(async () =>
                {
                    // Bounded: polls the exchange's count every 10 ms until it has seen enough orders or the run ends.
                    while (!stop.IsCancellationRequested && simulator.ExchangeStatistics.OrdersReceived < killAfterOrders)
                    {
                        await Task.Delay(10);
                    }

                    session.TripKillSwitch();
                })
                : Task.CompletedTask;
            var completion = await Task.Run(() => session.RunLive(RunBound, CancellationToken.None));
            await stop.CancelAsync();
            await killer;
            var result = session.Stop();
            return new LoopbackRun(result, result.Trading!, venue!, simulator.ExchangeStatistics, completion is not MarketDataClientCompletion.Stopped);
        }
        finally
        {
            await simulator.StopAsync();
        }
    }

    private sealed record LoopbackRun(SessionResult Result, TradingResult Trading, BinanceOrderVenue Venue, ExchangeStatistics Exchange, bool Finished);
}
