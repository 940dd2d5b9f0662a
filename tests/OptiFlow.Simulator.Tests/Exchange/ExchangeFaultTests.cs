using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Engine.Model;
using static OptiFlow.Simulator.Tests.Exchange.ExchangeScenario;

namespace OptiFlow.Simulator.Tests.Exchange;

/// <summary>Scripted order faults (issue 18 item 5) and the rate limits: each has the outcome binance.md §5.2 / §8.2 describes.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ExchangeFaultTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private static KeyValuePair<string, string>[] Buy(string clientOrderId) =>
        [P("symbol", "BTCUSDT"), P("side", "BUY"), P("type", "LIMIT"), P("timeInForce", "GTC"), P("price", "99"), P("quantity", "1"), P("newClientOrderId", clientOrderId)];

    private static KeyValuePair<string, string>[] StatusOf(string clientOrderId) => [P("symbol", "BTCUSDT"), P("origClientOrderId", clientOrderId)];

    private static int Status(JsonElement response) => response.GetProperty("status").GetInt32();

    private static int Code(JsonElement response) => response.GetProperty("error").GetProperty("code").GetInt32();

    [Test]
    public void ShouldParseAnOrderFaultScript_WhenEveryKindIsGiven()
    {
        // Act
        var faults = OrderFault.ParseScript("drop@1,delay@2=300,unknown@3,unknown-not-placed@4,disconnect@5,disconnect-not-placed@6,429@7=1000,418@8,drop@cid:abc-1");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(faults.Select(f => f.Kind), Is.EqualTo(new[]
            {
                OrderFaultKind.DropResponse, OrderFaultKind.DelayResponse, OrderFaultKind.UnknownThenStatus, OrderFaultKind.UnknownNotPlaced,
                OrderFaultKind.DisconnectMidOrder, OrderFaultKind.DisconnectMidOrder, OrderFaultKind.TooManyRequests, OrderFaultKind.Ban, OrderFaultKind.DropResponse,
            }));
            Assert.That(faults[1].Argument, Is.EqualTo(300));
            Assert.That(faults[5].Placed, Is.False);
            Assert.That(faults[7].Argument, Is.EqualTo(60_000));
            Assert.That(faults[8].ClientOrderId, Is.EqualTo("abc-1"));
            Assert.That(() => OrderFault.ParseScript("explode@1"), Throws.TypeOf<FormatException>());
        }
    }

    [Test]
    public async Task ShouldPlaceButNeverAnswer_WhenTheResponseIsDropped()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot, "drop@1");
        await using var client = await scenario.ConnectTradingAsync();
        Assert.That(Status(await client.RequestAsync("userDataStream.subscribe.signature", [])), Is.EqualTo(200));

        // Act
        var id = client.NextId();
        await client.SendRequestAsync(id, "order.place", Buy("dropped-1"));
        var created = await client.EventAsync("executionReport", e => e.GetProperty("c").GetString() == "dropped-1");
        var status = await client.RequestAsync("order.status", StatusOf("dropped-1"));
        var response = await client.TryNextAsync(f => f.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt64() == id, Quiet);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.GetProperty("X").GetString(), Is.EqualTo("NEW"), "user data is still sent");
            Assert.That(status.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("NEW"));
            Assert.That(response, Is.Null, "no response ever");
            Assert.That(scenario.Simulator.ExchangeStatistics.Faults, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ShouldAnswerLate_WhenTheResponseIsDelayed()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot, "delay@1=300");
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var placed = await client.RequestAsync("order.place", Buy("late-1"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(placed), Is.EqualTo(200));
            Assert.That(placed.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("NEW"));
            Assert.That(scenario.Simulator.ExchangeStatistics.Faults, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ShouldAnswer503AndKeepTheOrder_WhenTheOutcomeIsUnknownButPlaced()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot, "unknown@1,unknown-not-placed@2");
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var placedUnknown = await client.RequestAsync("order.place", Buy("unknown-1"));
        var notPlacedUnknown = await client.RequestAsync("order.place", Buy("unknown-2"));
        var placedStatus = await client.RequestAsync("order.status", StatusOf("unknown-1"));
        var notPlacedStatus = await client.RequestAsync("order.status", StatusOf("unknown-2"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(placedUnknown), Is.EqualTo(503));
            Assert.That(Code(placedUnknown), Is.EqualTo(-1007));
            Assert.That(placedUnknown.GetProperty("error").GetProperty("msg").GetString(), Does.Contain("execution status unknown"));
            Assert.That(Status(notPlacedUnknown), Is.EqualTo(503));
            Assert.That(placedStatus.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("NEW"), "placed despite the 503");
            Assert.That(Code(notPlacedStatus), Is.EqualTo(-2013), "never placed");
            Assert.That(scenario.Simulator.ExchangeStatistics.Faults, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ShouldDropTheConnectionMidOrder_WithTheOrderPlacedOrNot()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot, "disconnect@1,disconnect-not-placed@2");

        // Act
        bool firstClosed, secondClosed;
        await using (var first = await scenario.ConnectTradingAsync())
        {
            await first.SendRequestAsync(first.NextId(), "order.place", Buy("cut-1"));
            firstClosed = await first.WaitClosedAsync();
        }

        await using (var second = await scenario.ConnectTradingAsync())
        {
            await second.SendRequestAsync(second.NextId(), "order.place", Buy("cut-2"));
            secondClosed = await second.WaitClosedAsync();
        }

        await using var third = await scenario.ConnectTradingAsync();
        var placed = await third.RequestAsync("order.status", StatusOf("cut-1"));
        var notPlaced = await third.RequestAsync("order.status", StatusOf("cut-2"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstClosed, Is.True, "the connection dropped before an answer");
            Assert.That(secondClosed, Is.True);
            Assert.That(placed.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("NEW"));
            Assert.That(Code(notPlaced), Is.EqualTo(-2013));
        }
    }

    [Test]
    public async Task ShouldAnswer429WithRetryAfterAndPlaceNothing_WhenScriptedTooManyRequests()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot, "429@1=2000");
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var refused = await client.RequestAsync("order.place", Buy("throttled-1"));
        var status = await client.RequestAsync("order.status", StatusOf("throttled-1"));

        // Assert
        var data = refused.GetProperty("error").GetProperty("data");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(refused), Is.EqualTo(429));
            Assert.That(Code(refused), Is.EqualTo(-1003));
            Assert.That(data.GetProperty("retryAfter").GetInt64(), Is.GreaterThan(data.GetProperty("serverTime").GetInt64()));
            Assert.That(Code(status), Is.EqualTo(-2013), "nothing placed");
            Assert.That(scenario.Simulator.ExchangeStatistics.RateLimited, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ShouldBanEveryRequestWith418_AfterAScriptedBan()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Futures, "418@1=60000");
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var banned = await client.RequestAsync("order.place", Buy("banned-1"));
        var time = await client.RequestAsync("time", [], sign: false, withTimestamp: false);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(banned), Is.EqualTo(418));
            Assert.That(Code(banned), Is.EqualTo(-1003));
            Assert.That(banned.GetProperty("error").GetProperty("data").GetProperty("retryAfter").GetInt64(), Is.GreaterThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            Assert.That(Status(time), Is.EqualTo(418), "the ban covers every request");
            Assert.That(scenario.Simulator.ExchangeStatistics.Banned, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ShouldRefuseWith1015_WhenTheOrderCountIsUsedUp()
    {
        // Arrange: the day's count governs (no window boundary can reset it during the test).
        await using var scenario = await StartSyntheticAsync(Market.Spot, configure: o => new()
        {
            Files = o.Files, Market = o.Market, Faults = o.Faults, SnapshotRendezvousTimeout = o.SnapshotRendezvousTimeout, ApiKeys = o.ApiKeys,
            Limits = new ExchangeLimits { OrdersPer10Seconds = 1000, OrdersPerDay = 2 },
        });
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var first = await client.RequestAsync("order.place", Buy("count-1"));
        var second = await client.RequestAsync("order.place", Buy("count-2"));
        var third = await client.RequestAsync("order.place", Buy("count-3"));

        // Assert
        var day = third.GetProperty("rateLimits").EnumerateArray().Single(l => l.GetProperty("interval").GetString() == "DAY");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new[] { Status(first), Status(second) }, Is.All.EqualTo(200));
            Assert.That(Status(third), Is.EqualTo(429));
            Assert.That(Code(third), Is.EqualTo(-1015));
            Assert.That(day.GetProperty("count").GetInt64(), Is.EqualTo(2));
            Assert.That(day.GetProperty("limit").GetInt64(), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ShouldApplyAFaultByClientOrderId_WhenTheScriptNamesIt()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot, "unknown-not-placed@cid:lost-1");
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var normal = await client.RequestAsync("order.place", Buy("fine-1"));
        var lost = await client.RequestAsync("order.place", Buy("lost-1"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(normal), Is.EqualTo(200));
            Assert.That(Status(lost), Is.EqualTo(503));
            Assert.That(scenario.Simulator.ExchangeStatistics.OrdersPlaced, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ShouldStillAnswerInOrder_WhenAnOrderEntryLatencyIsSet()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot, configure: o => new()
        {
            Files = o.Files, Market = o.Market, Faults = o.Faults, SnapshotRendezvousTimeout = o.SnapshotRendezvousTimeout, ApiKeys = o.ApiKeys,
            OrderEntryLatency = TimeSpan.FromMilliseconds(50),
        });
        await using var client = await scenario.ConnectTradingAsync();

        // Act: two requests sent back to back; the status must see the order (arrival order is kept).
        var placeId = client.NextId();
        await client.SendRequestAsync(placeId, "order.place", Buy("slow-1"));
        var statusId = client.NextId();
        await client.SendRequestAsync(statusId, "order.status", StatusOf("slow-1"));
        var placed = await client.ResponseAsync(placeId);
        var status = await client.ResponseAsync(statusId);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status(placed), Is.EqualTo(200));
            Assert.That(status.GetProperty("result").GetProperty("status").GetString(), Is.EqualTo("NEW"));
        }
    }
}
