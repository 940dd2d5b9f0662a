using System.Globalization;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Engine.Model;
using static OptiFlow.Simulator.Tests.Exchange.ExchangeScenario;

namespace OptiFlow.Simulator.Tests.Exchange;

/// <summary>The WebSocket API's envelope and authentication (binance.md §5.2, §5.5–§5.8): logon, signatures, timestamps, ids, rateLimits.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ExchangeAuthenticationTests
{
    private static KeyValuePair<string, string>[] RestingBuy(string clientOrderId) =>
        [P("symbol", "BTCUSDT"), P("side", "BUY"), P("type", "LIMIT"), P("timeInForce", "GTC"), P("price", "99.5"), P("quantity", "1"), P("newClientOrderId", clientOrderId)];

    [Test]
    public void ShouldVerifyTheDocumentedEd25519Vector_WhenGivenItsPublicKey()
    {
        // Arrange: binance.md §5.8 self-generated vector.
        var key = SimulatorApiKey.Ed25519("4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO", Convert.FromHexString("f26308c80d119bdadac6553c77f3b54d95c7832ffe17b41cbe610330511c2176"));
        var payload = Encoding.ASCII.GetBytes("apiKey=4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");

        // Act
        var good = RequestSignatureVerifier.Verify(key, payload, "o0fQYAbByqUCELLh/GJxT8jMdIughL8NhlGFT4w5moC58aTrNAWJvBBJv5hVdQkk00UrZj34TkK8tbP8uz2CDw==");
        var bad = RequestSignatureVerifier.Verify(key, payload, "EocljwPl29jDxWYaaRaOo4pJ9wEblFbklJvPugNscLLuKd5vHM2grWjn1z+rY0aJ7r/44enxHL6mOAJuJ1kqCg==");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(good, Is.True);
            Assert.That(bad, Is.False);
            Assert.That(key.ToString(), Does.Not.Contain("f263"), "key text never shows key material");
        }
    }

    [Test]
    public void ShouldVerifyTheDocumentedHmacVector_WhenGivenItsSecret()
    {
        // Arrange: binance.md §5.8 V3.
        var key = SimulatorApiKey.Hmac("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", HmacSecret);
        var payload = Encoding.ASCII.GetBytes("apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RequestSignatureVerifier.Verify(key, payload, "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"), Is.True);
            Assert.That(RequestSignatureVerifier.Verify(key, payload, "AA1B5712C094BC4E57C05A1A5C1FD8D88DCD628338EA863FEC7B88E59FE2DB24"), Is.True, "hex is case-insensitive");
            Assert.That(key.ToString(), Does.Not.Contain(HmacSecret));
        }
    }

    [Test]
    public async Task ShouldTradeWithoutSignatures_WhenLoggedOnWithEd25519()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        client.ApiKey = EdKey;
        client.Signer = EdSigner();

        // Act
        var logon = await client.RequestAsync("session.logon", []);
        var status = await client.RequestAsync("session.status", [], sign: false, withTimestamp: false);
        var placed = await client.RequestAsync("order.place", RestingBuy("ed-1"), sign: false);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logon.GetProperty("status").GetInt32(), Is.EqualTo(200), logon.GetRawText());
            Assert.That(logon.GetProperty("result").GetProperty("apiKey").GetString(), Is.EqualTo(EdKey));
            Assert.That(status.GetProperty("result").GetProperty("apiKey").GetString(), Is.EqualTo(EdKey));
            Assert.That(placed.GetProperty("status").GetInt32(), Is.EqualTo(200), placed.GetRawText());
            Assert.That(placed.GetProperty("result").GetProperty("clientOrderId").GetString(), Is.EqualTo("ed-1"));
            Assert.That(scenario.Simulator.ExchangeStatistics.Logons, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ShouldRefuseLogon_WhenTheKeyIsHmac()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var logon = await client.RequestAsync("session.logon", []);
        var unsigned = await client.RequestAsync("order.place", RestingBuy("no-session"), sign: false);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logon.GetProperty("status").GetInt32(), Is.EqualTo(401), logon.GetRawText());
            Assert.That(unsigned.GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(unsigned.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-1102), "apiKey is mandatory without a session");
        }
    }

    [Test]
    public async Task ShouldPlaceAnHmacSignedOrder_WhenTheSignatureIsRight()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Futures);
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var placed = await client.RequestAsync("order.place", [.. RestingBuy("hmac-1"), P("recvWindow", "5000")]);

        // Assert
        var result = placed.GetProperty("result");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(placed.GetProperty("status").GetInt32(), Is.EqualTo(200), placed.GetRawText());
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("NEW"));
            Assert.That(result.GetProperty("price").GetString(), Is.EqualTo("99.5"), "exact decimal text");
            Assert.That(result.GetProperty("origQty").GetString(), Is.EqualTo("1"));
            Assert.That(result.GetProperty("positionSide").GetString(), Is.EqualTo("BOTH"));
            Assert.That(result.TryGetProperty("avgPrice", out _), Is.False, "no avgPrice since 2026-07-15");
            Assert.That(scenario.Simulator.ExchangeStatistics.OrdersAccepted, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ShouldRefuseWith1022_WhenTheSignatureIsBad()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        client.Signer = WsApiTestClient.HmacSigner("not-the-secret");

        // Act
        var placed = await client.RequestAsync("order.place", RestingBuy("bad-sig"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(placed.GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(placed.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-1022));
            Assert.That(scenario.Simulator.ExchangeStatistics.SignatureFailures, Is.EqualTo(1));
            Assert.That(scenario.Simulator.ExchangeStatistics.OrdersPlaced, Is.Zero);
        }
    }

    [Test]
    public async Task ShouldRefuseWith2015_WhenTheApiKeyIsUnknown()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        client.ApiKey = "who-is-this";

        // Act
        var placed = await client.RequestAsync("order.place", RestingBuy("unknown-key"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(placed.GetProperty("status").GetInt32(), Is.EqualTo(401));
            Assert.That(placed.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-2015));
            Assert.That(scenario.Simulator.ExchangeStatistics.UnknownApiKeys, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ShouldRefuseWith1021_WhenTheTimestampIsOutsideTheRecvWindowOrAhead()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string Ms(long value) => value.ToString(CultureInfo.InvariantCulture);

        // Act
        var old = await client.RequestAsync("order.place", [.. RestingBuy("old"), P("recvWindow", "5000"), P("timestamp", Ms(now - 60_000))]);
        var ahead = await client.RequestAsync("order.place", [.. RestingBuy("ahead"), P("timestamp", Ms(now + 60_000))]);
        var wide = await client.RequestAsync("order.place", [.. RestingBuy("wide"), P("recvWindow", "60000"), P("timestamp", Ms(now - 30_000))]);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(old.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-1021));
            Assert.That(old.GetProperty("error").GetProperty("msg").GetString(), Does.Contain("recvWindow"));
            Assert.That(ahead.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(-1021));
            Assert.That(ahead.GetProperty("error").GetProperty("msg").GetString(), Does.Contain("ahead"));
            Assert.That(wide.GetProperty("status").GetInt32(), Is.EqualTo(200), "a 60 s window admits a 30 s old request");
            Assert.That(scenario.Simulator.ExchangeStatistics.TimestampRejects, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ShouldEchoTheId_WhenItIsAnIntegerAStringOrNull()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        await client.SendRawAsync("{\"id\":\"e2a85d9f-07a5\",\"method\":\"time\"}");
        var byString = await client.NextAsync(f => f.GetProperty("id").ValueKind == JsonValueKind.String, "string id");
        await client.SendRawAsync("{\"id\":null,\"method\":\"v3/time\"}");
        var byNull = await client.NextAsync(f => f.GetProperty("id").ValueKind == JsonValueKind.Null, "null id");
        await client.SendRawAsync("{\"id\":77,\"method\":\"time\"}");
        var byInt = await client.ResponseAsync(77);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(byString.GetProperty("id").GetString(), Is.EqualTo("e2a85d9f-07a5"));
            Assert.That(byNull.GetProperty("status").GetInt32(), Is.EqualTo(200), "a version prefix is accepted");
            Assert.That(byInt.GetProperty("result").GetProperty("serverTime").GetInt64(), Is.Positive);
            Assert.That(byInt.GetProperty("rateLimits")[0].GetProperty("rateLimitType").GetString(), Is.EqualTo("REQUEST_WEIGHT"));
        }
    }

    [Test]
    public async Task ShouldCountOrdersAndWeight_InRateLimits()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Futures);
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        var first = await client.RequestAsync("order.place", RestingBuy("rl-1"));
        var second = await client.RequestAsync("order.place", RestingBuy("rl-2"));

        // Assert
        var limits = second.GetProperty("rateLimits").EnumerateArray().ToDictionary(
            l => l.GetProperty("rateLimitType").GetString() + "/" + l.GetProperty("intervalNum").GetInt32() + l.GetProperty("interval").GetString(),
            l => (Limit: l.GetProperty("limit").GetInt64(), Count: l.GetProperty("count").GetInt64()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.GetProperty("status").GetInt32(), Is.EqualTo(200));
            Assert.That(limits["ORDERS/10SECOND"].Limit, Is.EqualTo(300));
            Assert.That(limits["ORDERS/1MINUTE"].Limit, Is.EqualTo(1200));
            Assert.That(limits["ORDERS/1MINUTE"].Count, Is.InRange(1, 2), "a minute boundary may fall between the two orders");
            Assert.That(limits["REQUEST_WEIGHT/1MINUTE"].Count, Is.GreaterThanOrEqualTo(0), "futures order.place costs 0 IP weight");
            Assert.That(limits, Has.Count.EqualTo(3));
        }
    }

    [Test]
    public async Task ShouldAnswer400AndKeepTheConnection_WhenARequestIsMalformedOrUnknown()
    {
        // Arrange
        await using var scenario = await StartSyntheticAsync(Market.Spot);
        await using var client = await scenario.ConnectTradingAsync();

        // Act
        await client.SendRawAsync("{not json");
        var garbage = await client.NextAsync(f => f.GetProperty("id").ValueKind == JsonValueKind.Null, "the answer to invalid JSON");
        var unknown = await client.RequestAsync("order.teleport", [], sign: false, withTimestamp: false);
        await client.SendRawAsync("{\"id\":9,\"method\":\"order.place\",\"params\":{\"apiKey\":\"hmac-test-key\",\"signature\":\"00\",\"timestamp\":[1]}}");
        var wrongType = await client.ResponseAsync(9);
        var time = await client.RequestAsync("time", [], sign: false, withTimestamp: false);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(garbage.GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(unknown.GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(wrongType.GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(time.GetProperty("status").GetInt32(), Is.EqualTo(200), "the connection survives");
            Assert.That(scenario.Simulator.ExchangeStatistics.RequestsOf("?"), Is.EqualTo(1));
        }
    }

    [Test]
    public void ShouldReadHmacAndEd25519Keys_WhenGivenAKeyFile()
    {
        // Arrange
        using var temp = new OptiFlow.Testing.TempDirectory("keys");
        var path = temp.File("keys.txt");
        File.WriteAllLines(path, ["# test keys", "", "k1 hmac s3cret", "k2 ed25519 " + Convert.ToBase64String(Convert.FromHexString("f26308c80d119bdadac6553c77f3b54d95c7832ffe17b41cbe610330511c2176"))]);

        // Act
        var keys = SimulatorApiKey.ReadFile(path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys.Select(k => k.ApiKey), Is.EqualTo(new[] { "k1", "k2" }));
            Assert.That(keys.Select(k => k.KeyType), Is.EqualTo(new[] { OptiFlow.Adapters.Binance.Trading.ApiKeyType.Hmac, OptiFlow.Adapters.Binance.Trading.ApiKeyType.Ed25519 }));
            Assert.That(() => SimulatorApiKey.ReadFile(path + ".missing"), Throws.InstanceOf<IOException>());
        }
    }
}
