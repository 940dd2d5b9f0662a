using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;
using static OptiFlow.Simulator.Tests.Exchange.ExchangeScenario;

namespace OptiFlow.Simulator.Tests.Exchange;

/// <summary>
/// Orders against the replayed book (the engine's MatchingEngine fed in serve order): walking levels, post-only,
/// queue position through trades only, cancel, cancel-all, status, duplicates, and the user data of each.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ExchangeMatchingTests
{
    private static KeyValuePair<string, string>[] Limit(string side, string price, string quantity, string clientOrderId, string timeInForce = "GTC") =>
        [P("symbol", "BTCUSDT"), P("side", side), P("type", "LIMIT"), P("timeInForce", timeInForce), P("price", price), P("quantity", quantity), P("newClientOrderId", clientOrderId)];

    private static int Status(JsonElement response) => response.GetProperty("status").GetInt32();

    private static int Code(JsonElement response) => response.GetProperty("error").GetProperty("code").GetInt32();

    [Test]
    public async Task ShouldWalkTheAskLevels_WhenASpotMarketBuyExceedsTheBestAsk()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        client.ApiKey = EdKey;
        client.Signer = EdSigner();
        Assert.That(Status(await client.RequestAsync("session.logon", [])), Is.EqualTo(200));
        Assert.That(Status(await client.RequestAsync("userDataStream.subscribe", [], sign: false, withTimestamp: false)), Is.EqualTo(200));

        // Act
        var placed = await client.RequestAsync("order.place", [P("symbol", "BTCUSDT"), P("side", "BUY"), P("type", "MARKET"), P("quantity", "3"), P("newClientOrderId", "walk-1")], sign: false);
        var created = await client.EventAsync("executionReport", e => e.GetProperty("x").GetString() == "NEW");
        var trade1 = await client.EventAsync("executionReport", e => e.GetProperty("x").GetString() == "TRADE");
        var trade2 = await client.EventAsync("executionReport", e => e.GetProperty("x").GetString() == "TRADE");

        // Assert
        var result = placed.GetProperty("result");
        var fills = result.GetProperty("fills");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(placed), Is.EqualTo(200), placed.GetRawText());
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("FILLED"));
            Assert.That(result.GetProperty("executedQty").GetString(), Is.EqualTo("3.00000000"));
            Assert.That(result.GetProperty("cummulativeQuoteQty").GetString(), Is.EqualTo("300.40000000"), "2×100.1 + 1×100.2");
            Assert.That(fills.GetArrayLength(), Is.EqualTo(2));
            Assert.That(fills[0].GetProperty("price").GetString(), Is.EqualTo("100.10000000"));
            Assert.That(fills[0].GetProperty("qty").GetString(), Is.EqualTo("2.00000000"));
            Assert.That(fills[1].GetProperty("price").GetString(), Is.EqualTo("100.20000000"));
            Assert.That(fills[1].GetProperty("qty").GetString(), Is.EqualTo("1.00000000"));
            Assert.That(fills[0].GetProperty("commissionAsset").GetString(), Is.EqualTo("USDT"));
            Assert.That(created.GetProperty("c").GetString(), Is.EqualTo("walk-1"));
            Assert.That(created.GetProperty("X").GetString(), Is.EqualTo("NEW"));
            Assert.That(trade1.GetProperty("L").GetString(), Is.EqualTo("100.10000000"));
            Assert.That(trade1.GetProperty("X").GetString(), Is.EqualTo("PARTIALLY_FILLED"));
            Assert.That(trade1.GetProperty("m").GetBoolean(), Is.False, "taker");
            Assert.That(trade2.GetProperty("L").GetString(), Is.EqualTo("100.20000000"));
            Assert.That(trade2.GetProperty("z").GetString(), Is.EqualTo("3.00000000"));
            Assert.That(trade2.GetProperty("X").GetString(), Is.EqualTo("FILLED"));
            Assert.That(trade2.GetProperty("Z").GetString(), Is.EqualTo("300.40000000"));
            Assert.That(trade2.GetProperty("i").GetInt64(), Is.EqualTo(result.GetProperty("orderId").GetInt64()));
            Assert.That(scenario.Simulator.ExchangeStatistics.Fills, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ShouldExpireTheRestOfAnIocOrder_WhenTheBookRunsOutWithinItsLimit()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        Assert.That(Status(await client.RequestAsync("userDataStream.subscribe.signature", [])), Is.EqualTo(200));

        // Act
        var placed = await client.RequestAsync("order.place", [.. Limit("BUY", "100.1", "5", "ioc-1", "IOC"), P("newOrderRespType", "RESULT")]);
        var expired = await client.EventAsync("executionReport", e => e.GetProperty("x").GetString() == "EXPIRED");

        // Assert
        var result = placed.GetProperty("result");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("EXPIRED"));
            Assert.That(result.GetProperty("executedQty").GetString(), Is.EqualTo("2.00000000"), "only the 100.1 level is within the limit");
            Assert.That(result.TryGetProperty("fills", out _), Is.False, "RESULT has no fills");
            Assert.That(expired.GetProperty("eR").GetString(), Is.EqualTo("UNFILLED_IOC_QUANTITY_EXPIRED"));
            Assert.That(expired.GetProperty("z").GetString(), Is.EqualTo("2.00000000"));
        }
    }

    [Test]
    public async Task ShouldRejectWith2010_WhenASpotLimitMakerWouldCross()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var crossing = await client.RequestAsync("order.place", [P("symbol", "BTCUSDT"), P("side", "BUY"), P("type", "LIMIT_MAKER"), P("price", "100.1"), P("quantity", "1"), P("newClientOrderId", "pm-1")]);
        var resting = await client.RequestAsync("order.place", [P("symbol", "BTCUSDT"), P("side", "BUY"), P("type", "LIMIT_MAKER"), P("price", "100.0"), P("quantity", "1"), P("newClientOrderId", "pm-2")]);
        var status = await client.RequestAsync("order.status", [P("symbol", "BTCUSDT"), P("origClientOrderId", "pm-1")]);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(crossing), Is.EqualTo(400));
            Assert.That(Code(crossing), Is.EqualTo(-2010));
            Assert.That(crossing.GetProperty("error").GetProperty("msg").GetString(), Is.EqualTo("Order would immediately match and take."));
            Assert.That(Status(resting), Is.EqualTo(200));
            Assert.That(resting.GetProperty("result").TryGetProperty("status", out _), Is.False, "LIMIT_MAKER answers ACK by default");
            Assert.That(Code(status), Is.EqualTo(-2013), "a rejected order does not exist");
        }
    }

    [Test]
    public async Task ShouldExpireAFuturesGtxOrder_WhenItWouldCross()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Futures);
        await using var client = await scenario.ConnectTradingAsync();
        await using var userData = await scenario.ConnectUserDataAsync(client);

        // Act
        var placed = await client.RequestAsync("order.place", [.. Limit("BUY", "100.1", "1", "gtx-1", "GTX"), P("newOrderRespType", "RESULT")]);
        var created = await userData.EventAsync("ORDER_TRADE_UPDATE", e => e.GetProperty("o").GetProperty("x").GetString() == "NEW");
        var expired = await userData.EventAsync("ORDER_TRADE_UPDATE", e => e.GetProperty("o").GetProperty("x").GetString() == "EXPIRED");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(placed), Is.EqualTo(200), placed.GetRawText());
            Assert.That(placed.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("EXPIRED"));
            Assert.That(placed.GetProperty("result").GetProperty("executedQty").GetString(), Is.EqualTo("0"));
            Assert.That(created.GetProperty("o").GetProperty("c").GetString(), Is.EqualTo("gtx-1"));
            Assert.That(expired.GetProperty("o").GetProperty("X").GetString(), Is.EqualTo("EXPIRED"));
            Assert.That(expired.GetProperty("o").GetProperty("f").GetString(), Is.EqualTo("GTX"));
        }
    }

    [Test]
    public async Task ShouldReportAFuturesOrder_WhenItIsPlacedTheMomentTheUserDataConnectReturns()
    {
        // Arrange: each round opens a new user data connection and places an order at once; the server subscribes a
        // connection before its handshake answers, so no round may miss its order's NEW event. Before that, 300 rounds
        // under four busy-looping processes missed one in one of three runs (the handshake answered, then it subscribed).
        const int rounds = 300;
        await using var scenario = await StartSyntheticAsync(Market.Futures);
        await using var client = await scenario.ConnectTradingAsync();
        var reported = new List<string?>();

        // Act
        for (var round = 0; round < rounds; round++)
        {
            await using var userData = await scenario.ConnectUserDataAsync(client);
            var id = "race-" + round.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var placed = await client.RequestAsync("order.place", Limit("BUY", "100.1", "1", id, "GTX"));
            Assert.That(Status(placed), Is.EqualTo(200), placed.GetRawText());
            var created = await userData.EventAsync("ORDER_TRADE_UPDATE", e => e.GetProperty("o").GetProperty("x").GetString() == "NEW");
            reported.Add(created.GetProperty("o").GetProperty("c").GetString());
        }

        // Assert
        Assert.That(reported, Is.EqualTo(Enumerable.Range(0, rounds).Select(r => "race-" + r.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Test]
    public async Task ShouldFillARestingOrderOnlyThroughTrades_WhenTheQueueAheadIsTradedAway()
    {
        // Arrange: at the pause the bid 100.0 holds 5; trades at 100.0 of 3, 1, 4 follow, and the ask 100.2 is removed
        // by a diff with no trade.
        await using var scenario = await StartSyntheticAsync(Market.Futures);
        await using var client = await scenario.ConnectTradingAsync();
        await using var userData = await scenario.ConnectUserDataAsync(client);
        var buy = await client.RequestAsync("order.place", Limit("BUY", "100.0", "2", "rest-buy"));
        var sell = await client.RequestAsync("order.place", Limit("SELL", "100.2", "1", "rest-sell"));
        Assert.That(new[] { Status(buy), Status(sell) }, Is.All.EqualTo(200), "both rest");

        // Act
        scenario.Simulator.ResumeFeed();
        await scenario.Simulator.Completion.WaitAsync(WsApiTestClient.Timeout);
        var filled = await userData.EventAsync("ORDER_TRADE_UPDATE", e => e.GetProperty("o").GetProperty("x").GetString() == "TRADE");
        var account = await userData.EventAsync("ACCOUNT_UPDATE");
        var buyStatus = await client.RequestAsync("order.status", [P("symbol", "BTCUSDT"), P("origClientOrderId", "rest-buy")]);
        var sellStatus = await client.RequestAsync("order.status", [P("symbol", "BTCUSDT"), P("origClientOrderId", "rest-sell")]);
        var moreTrades = await userData.TryNextAsync(f => f.TryGetProperty("o", out var o) && o.GetProperty("x").GetString() == "TRADE", TimeSpan.FromMilliseconds(500));

        // Assert
        var o = filled.GetProperty("o");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(o.GetProperty("c").GetString(), Is.EqualTo("rest-buy"));
            Assert.That(o.GetProperty("L").GetString(), Is.EqualTo("100"));
            Assert.That(o.GetProperty("l").GetString(), Is.EqualTo("2"), "one fill: the third trade's excess over the volume ahead");
            Assert.That(o.GetProperty("X").GetString(), Is.EqualTo("FILLED"));
            Assert.That(o.GetProperty("m").GetBoolean(), Is.True, "maker");
            Assert.That(account.GetProperty("a").GetProperty("P")[0].GetProperty("pa").GetString(), Is.EqualTo("2"));
            Assert.That(buyStatus.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("FILLED"));
            Assert.That(buyStatus.GetProperty("result").GetProperty("avgPrice").GetString(), Is.EqualTo("100"));
            Assert.That(sellStatus.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("NEW"), "a level removed without a trade fills nothing");
            Assert.That(sellStatus.GetProperty("result").GetProperty("executedQty").GetString(), Is.EqualTo("0"));
            Assert.That(scenario.Simulator.ExchangeStatistics.Fills, Is.EqualTo(1), "one fill in the whole (completed) feed");
            Assert.That(moreTrades, Is.Null, "no other fill event");
        }
    }

    [Test]
    public async Task ShouldCancelByClientOrderId_AndReportTheCancel()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        Assert.That(Status(await client.RequestAsync("userDataStream.subscribe.signature", [])), Is.EqualTo(200));
        Assert.That(Status(await client.RequestAsync("order.place", Limit("BUY", "99", "1", "c-1"))), Is.EqualTo(200));

        // Act
        var cancelled = await client.RequestAsync("order.cancel", [P("symbol", "BTCUSDT"), P("origClientOrderId", "c-1"), P("newClientOrderId", "cancel-c-1")]);
        var report = await client.EventAsync("executionReport", e => e.GetProperty("x").GetString() == "CANCELED");
        var again = await client.RequestAsync("order.cancel", [P("symbol", "BTCUSDT"), P("origClientOrderId", "c-1")]);
        var status = await client.RequestAsync("order.status", [P("symbol", "BTCUSDT"), P("origClientOrderId", "c-1")]);
        var unknown = await client.RequestAsync("order.status", [P("symbol", "BTCUSDT"), P("origClientOrderId", "never-sent")]);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(cancelled), Is.EqualTo(200), cancelled.GetRawText());
            Assert.That(cancelled.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("CANCELED"));
            Assert.That(cancelled.GetProperty("result").GetProperty("origClientOrderId").GetString(), Is.EqualTo("c-1"));
            Assert.That(cancelled.GetProperty("result").GetProperty("clientOrderId").GetString(), Is.EqualTo("cancel-c-1"));
            Assert.That(report.GetProperty("c").GetString(), Is.EqualTo("cancel-c-1"));
            Assert.That(report.GetProperty("C").GetString(), Is.EqualTo("c-1"));
            Assert.That(report.GetProperty("X").GetString(), Is.EqualTo("CANCELED"));
            Assert.That(Code(again), Is.EqualTo(-2011));
            Assert.That(status.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("CANCELED"));
            Assert.That(status.GetProperty("result").GetProperty("isWorking").GetBoolean(), Is.True);
            Assert.That(Code(unknown), Is.EqualTo(-2013));
            Assert.That(unknown.GetProperty("error").GetProperty("msg").GetString(), Is.EqualTo("Order does not exist."));
        }
    }

    [Test]
    public async Task ShouldCancelEveryOpenOrder_WhenCancelAllIsSent()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        Assert.That(Status(await client.RequestAsync("order.place", Limit("BUY", "99", "1", "all-1"))), Is.EqualTo(200));
        Assert.That(Status(await client.RequestAsync("order.place", Limit("SELL", "101", "2", "all-2"))), Is.EqualTo(200));

        // Act
        var cancelled = await client.RequestAsync("openOrders.cancelAll", [P("symbol", "BTCUSDT")]);
        var none = await client.RequestAsync("openOrders.cancelAll", [P("symbol", "BTCUSDT")]);

        // Assert
        var results = cancelled.GetProperty("result").EnumerateArray().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(cancelled), Is.EqualTo(200), cancelled.GetRawText());
            Assert.That(results.Select(r => r.GetProperty("origClientOrderId").GetString()), Is.EqualTo(new[] { "all-1", "all-2" }));
            Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.All.EqualTo("CANCELED"));
            Assert.That(Code(none), Is.EqualTo(-2011));
            Assert.That(scenario.Simulator.ExchangeStatistics.Cancels, Is.EqualTo(2));
        }
    }

    [TestCase(Market.Spot, -2010)]
    [TestCase(Market.Futures, -4116)]
    public async Task ShouldRejectAndCountADuplicateClientOrderId_WhenTheFirstOrderIsOpen(Market market, int code)
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(market);
        await using var client = await scenario.ConnectTradingAsync();
        Assert.That(Status(await client.RequestAsync("order.place", Limit("BUY", "99", "1", "dup-1"))), Is.EqualTo(200));

        // Act
        var duplicate = await client.RequestAsync("order.place", Limit("BUY", "99", "1", "dup-1"));
        Assert.That(Status(await client.RequestAsync("order.cancel", [P("symbol", "BTCUSDT"), P("origClientOrderId", "dup-1")])), Is.EqualTo(200));
        var reused = await client.RequestAsync("order.place", Limit("BUY", "99", "1", "dup-1"));

        // Assert
        var statistics = scenario.Simulator.ExchangeStatistics;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Code(duplicate), Is.EqualTo(code));
            Assert.That(Status(reused), Is.EqualTo(200), "unique among open orders only");
            Assert.That(statistics.DuplicateOpenRejects, Is.EqualTo(1));
            Assert.That(statistics.DuplicateClientOrderIds, Is.EqualTo(2), "every reuse is counted, open or not");
            Assert.That(statistics.RequestsOf("order.place"), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task ShouldWalkTheReplayedLevels_WhenAMarketBuyHitsARealRecording()
    {
        // Arrange: a real USDⓈ-M recording, paused at its 500th depth frame.
        var path = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20230404.dat.gz");
        await using var scenario = await StartAsync(
            new SimulatorOptions
            {
                Files = [path],
                Market = Market.Futures,
                Faults = SimulatorFault.ParseScript("pause@depth:500"),
                SnapshotRendezvousTimeout = TimeSpan.Zero,
                ApiKeys = TestKeys(),
            },
            "btcusdt@depth@0ms/btcusdt@trade/btcusdt@bookTicker");
        Assert.That(await scenario.Simulator.WaitForFeedPausedAsync(WsApiTestClient.Timeout), Is.True, "the feed pauses at depth frame 500");
        var exchange = scenario.Simulator.Exchange;
        long ask0, ask0Quantity, ask1, ask1Quantity;
        lock (exchange.Sync)
        {
            var asks = exchange.Engine.Book(exchange.SymbolIdOf("BTCUSDT")).Asks;
            Assert.That(asks.Count, Is.GreaterThan(2), "the replayed book is known");
            (ask0, ask0Quantity, ask1, ask1Quantity) = (asks.PriceAt(0), asks.QuantityAt(0), asks.PriceAt(1), asks.QuantityAt(1));
        }

        var secondLevelTake = Math.Max(1_000_000, ask1Quantity / 2 / 100_000 * 100_000); // 0.001 steps, at least 0.01
        secondLevelTake = Math.Min(secondLevelTake, ask1Quantity);
        var quantity = ask0Quantity + secondLevelTake;
        await using var client = await scenario.ConnectTradingAsync();
        await using var userData = await scenario.ConnectUserDataAsync(client);

        // Act
        var placed = await client.RequestAsync("order.place", [P("symbol", "BTCUSDT"), P("side", "BUY"), P("type", "MARKET"), P("quantity", FixedPoint.ToString(quantity)), P("newClientOrderId", "real-walk"), P("newOrderRespType", "RESULT")]);
        var fill1 = await userData.EventAsync("ORDER_TRADE_UPDATE", e => e.GetProperty("o").GetProperty("x").GetString() == "TRADE");
        var fill2 = await userData.EventAsync("ORDER_TRADE_UPDATE", e => e.GetProperty("o").GetProperty("x").GetString() == "TRADE");
        var status = await client.RequestAsync("order.status", [P("symbol", "BTCUSDT"), P("origClientOrderId", "real-walk")]);

        // Assert
        var expectedQuote = (long)(((Int128)ask0 * ask0Quantity / FixedPoint.Scale) + ((Int128)ask1 * secondLevelTake / FixedPoint.Scale));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(placed), Is.EqualTo(200), placed.GetRawText());
            Assert.That(placed.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("FILLED"));
            Assert.That(placed.GetProperty("result").GetProperty("executedQty").GetString(), Is.EqualTo(FixedPoint.ToString(quantity)));
            Assert.That(fill1.GetProperty("o").GetProperty("L").GetString(), Is.EqualTo(FixedPoint.ToString(ask0)));
            Assert.That(fill1.GetProperty("o").GetProperty("l").GetString(), Is.EqualTo(FixedPoint.ToString(ask0Quantity)));
            Assert.That(fill2.GetProperty("o").GetProperty("L").GetString(), Is.EqualTo(FixedPoint.ToString(ask1)));
            Assert.That(fill2.GetProperty("o").GetProperty("l").GetString(), Is.EqualTo(FixedPoint.ToString(secondLevelTake)));
            Assert.That(status.GetProperty("result").GetProperty("cumQuote").GetString(), Is.EqualTo(FixedPoint.ToString(expectedQuote)));
        }

        scenario.Simulator.ResumeFeed();
    }
}
