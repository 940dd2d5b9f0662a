using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NSec.Cryptography;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests.Trading;

/// <summary>Requests built by <see cref="WsApiRequestEncoder"/> against binance.md §5.2–§5.6 and §5.8.</summary>
[TestFixture]
public sealed partial class WsApiRequestEncoderTests
{
    // binance.md §5.4's documented futures order.place request: its apiKey, values and timestamp.
    private const string FuturesDocApiKey = "yeqKcXjtA9Eu4Tr3nJk61UJAGzXsEmFqqfVterxpMpR4peNfqE7Zl7oans8Qj089";
    private const long FuturesDocTimestampMs = 1705311512994;

    private static readonly byte[] Btcusdt = "BTCUSDT"u8.ToArray();

    [Test]
    public void ShouldEncodeFuturesOrderPlaceByteExact_WhenBuiltFromTheDocumentedRequest()
    {
        // Arrange: §5.4 example (price "42088.0" is written canonically as "42088"), plus our newClientOrderId.
        var secret = Encoding.ASCII.GetBytes(RequestSignerTests.FuturesSecret);
        using var signer = new HmacSha256Signer(secret);
        var encoder = new WsApiRequestEncoder(Market.Futures, Encoding.ASCII.GetBytes(FuturesDocApiKey), signer, "of7-", recvWindowMs: 5000);
        var command = OrderCommand.NewLimit(0, OrderSide.Buy, price: 42_088 * FixedPoint.Scale, quantity: FixedPoint.Scale / 10, TimeInForce.GoodTillCancelled, clientOrderId: 42, causingSequence: 1, eventTimeMs: 0);
        var payload = $"apiKey={FuturesDocApiKey}&newClientOrderId=of7-42&price=42088&quantity=0.1&recvWindow=5000&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp={FuturesDocTimestampMs}&type=LIMIT";
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(payload)));
        var expected =
            "{\"id\":7,\"method\":\"order.place\",\"params\":{" +
            $"\"apiKey\":\"{FuturesDocApiKey}\",\"newClientOrderId\":\"of7-42\",\"price\":\"42088\",\"quantity\":\"0.1\"," +
            "\"recvWindow\":5000,\"side\":\"BUY\",\"symbol\":\"BTCUSDT\",\"timeInForce\":\"GTC\"," +
            $"\"timestamp\":{FuturesDocTimestampMs},\"type\":\"LIMIT\",\"signature\":\"{signature}\"}}}}";

        // Act
        var request = Encoding.UTF8.GetString(encoder.Encode(command, Btcusdt, requestId: 7, FuturesDocTimestampMs));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(request, Is.EqualTo(expected));
            Assert.That(Encoding.UTF8.GetString(encoder.SignedPayload), Is.EqualTo(payload));
        });
    }

    [Test]
    public void ShouldCarryEveryFieldAndAVerifiableSignature_WhenParsedWithSystemTextJson()
    {
        // Arrange
        var secret = Encoding.ASCII.GetBytes(RequestSignerTests.SpotSecret);
        using var signer = new HmacSha256Signer(secret);
        var encoder = new WsApiRequestEncoder(Market.Spot, Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey), signer, "s1:", recvWindowMs: 100);
        var command = OrderCommand.NewLimit(0, OrderSide.Sell, price: 5_200_000_000_000, quantity: 1_000_000, TimeInForce.ImmediateOrCancel, clientOrderId: 9_001, causingSequence: 3, eventTimeMs: 0);

        // Act
        using var document = JsonDocument.Parse(encoder.Encode(command, Btcusdt, requestId: long.MaxValue, 1645423376532).ToArray());

        // Assert
        var root = document.RootElement;
        var parameters = root.GetProperty("params");
        var names = parameters.EnumerateObject().Select(p => p.Name).Where(n => n != "signature").ToArray();
        var rebuilt = string.Join('&', names.Order(StringComparer.Ordinal).Select(n => $"{n}={RawValue(parameters.GetProperty(n))}"));
        var expectedSignature = Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(rebuilt)));
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("id").GetInt64(), Is.EqualTo(long.MaxValue));
            Assert.That(root.GetProperty("method").GetString(), Is.EqualTo("order.place"));
            Assert.That(names, Is.EqualTo(new[] { "apiKey", "newClientOrderId", "price", "quantity", "recvWindow", "side", "symbol", "timeInForce", "timestamp", "type" }));
            Assert.That(parameters.GetProperty("apiKey").GetString(), Is.EqualTo(RequestSignerTests.SpotApiKey));
            Assert.That(parameters.GetProperty("newClientOrderId").GetString(), Is.EqualTo("s1:9001"));
            Assert.That(parameters.GetProperty("price").GetString(), Is.EqualTo("52000"));
            Assert.That(parameters.GetProperty("quantity").GetString(), Is.EqualTo("0.01"));
            Assert.That(parameters.GetProperty("recvWindow").GetInt32(), Is.EqualTo(100));
            Assert.That(parameters.GetProperty("side").GetString(), Is.EqualTo("SELL"));
            Assert.That(parameters.GetProperty("symbol").GetString(), Is.EqualTo("BTCUSDT"));
            Assert.That(parameters.GetProperty("timeInForce").GetString(), Is.EqualTo("IOC"));
            Assert.That(parameters.GetProperty("timestamp").GetInt64(), Is.EqualTo(1645423376532));
            Assert.That(parameters.GetProperty("type").GetString(), Is.EqualTo("LIMIT"));
            Assert.That(rebuilt, Is.EqualTo(Encoding.UTF8.GetString(encoder.SignedPayload)), "the signed payload is the sorted params");
            Assert.That(parameters.GetProperty("signature").GetString(), Is.EqualTo(expectedSignature));
        });
    }

    [Test]
    public void ShouldReproduceVectorV5_WhenEncodingSessionLogonWithTheSpotExampleKey()
    {
        // Arrange: §5.5 example, signed with the §5.8 spot HMAC secret (V5).
        using var signer = new HmacSha256Signer(Encoding.ASCII.GetBytes(RequestSignerTests.SpotSecret));
        var encoder = new WsApiRequestEncoder(Market.Spot, Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey), signer, "", recvWindowMs: 0);

        // Act
        var request = Encoding.UTF8.GetString(encoder.EncodeSessionLogon(requestId: 1, 1649729878532));

        // Assert
        Assert.That(request, Is.EqualTo(
            "{\"id\":1,\"method\":\"session.logon\",\"params\":{\"apiKey\":\"" + RequestSignerTests.SpotApiKey +
            "\",\"timestamp\":1649729878532,\"signature\":\"1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed\"}}"));
    }

    [Test]
    public void ShouldReproduceVectorV7_WhenEncodingOrderCancelByClientOrderId()
    {
        // Arrange: §5.8 V7's origClientOrderId "4d96324ff9d44481926157" is prefix "4d96324ff9d44481926" + engine id 157.
        using var signer = new HmacSha256Signer(Encoding.ASCII.GetBytes(RequestSignerTests.SpotSecret));
        var encoder = new WsApiRequestEncoder(Market.Spot, Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey), signer, "4d96324ff9d44481926", recvWindowMs: 0);
        var cancel = OrderCommand.Cancel(0, originalClientOrderId: 157, clientOrderId: 158, causingSequence: 1, eventTimeMs: 0);

        // Act
        var request = Encoding.UTF8.GetString(encoder.Encode(cancel, Btcusdt, requestId: 2, 1660801715830));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(encoder.SignedPayload), Is.EqualTo($"apiKey={RequestSignerTests.SpotApiKey}&origClientOrderId=4d96324ff9d44481926157&symbol=BTCUSDT&timestamp=1660801715830"));
            Assert.That(request, Does.Contain("\"method\":\"order.cancel\""));
            Assert.That(request, Does.EndWith("\"signature\":\"33d5b721f278ae17a52f004a82a6f68a70c68e7dd6776ed0be77a455ab855282\"}}"));
        });
    }

    [Test]
    public void ShouldSignSessionLogonVerifiably_WhenTheKeyIsEd25519()
    {
        // Arrange
        using var signer = Ed25519Signer.FromPem(Encoding.ASCII.GetBytes(RequestSignerTests.Ed25519Pem));
        var encoder = new WsApiRequestEncoder(Market.Futures, Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey), signer, "x", recvWindowMs: 5000);

        // Act
        using var document = JsonDocument.Parse(encoder.EncodeSessionLogon(requestId: 3, 1649729878532).ToArray());

        // Assert
        var signature = Convert.FromBase64String(document.RootElement.GetProperty("params").GetProperty("signature").GetString()!);
        var publicKey = NSec.Cryptography.PublicKey.Import(SignatureAlgorithm.Ed25519, signer.ExportPublicKey(), KeyBlobFormat.RawPublicKey);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(encoder.SignedPayload), Is.EqualTo($"apiKey={RequestSignerTests.SpotApiKey}&recvWindow=5000&timestamp=1649729878532"));
            Assert.That(SignatureAlgorithm.Ed25519.Verify(publicKey, encoder.SignedPayload, signature), Is.True);
        });
    }

    [TestCase(Market.Spot, "type=LIMIT_MAKER", null)]
    [TestCase(Market.Futures, "type=LIMIT", "timeInForce=GTX")]
    public void ShouldSendPostOnlyAsEachMarketSpellsIt_WhenTheCommandIsLimitMaker(Market market, string type, string? timeInForce)
    {
        // Arrange
        using var signer = new HmacSha256Signer("k"u8);
        var encoder = new WsApiRequestEncoder(market, "key"u8, signer, "p-", recvWindowMs: 0);
        var command = OrderCommand.NewLimitMaker(0, OrderSide.Buy, price: 123_456_789, quantity: 2 * FixedPoint.Scale, clientOrderId: 5, causingSequence: 1, eventTimeMs: 0);

        // Act
        encoder.Encode(command, Btcusdt, 1, 1);

        // Assert
        var payload = Encoding.UTF8.GetString(encoder.SignedPayload);
        Assert.Multiple(() =>
        {
            Assert.That(payload, Is.EqualTo($"apiKey=key&newClientOrderId=p-5&price=1.23456789&quantity=2&side=BUY&symbol=BTCUSDT&{(timeInForce is null ? "" : timeInForce + "&")}timestamp=1&{type}"));
        });
    }

    [Test]
    public void ShouldSendGtxOnFuturesAndRefuseItOnSpot()
    {
        // Arrange
        using var signer = new HmacSha256Signer("k"u8);
        var futures = new WsApiRequestEncoder(Market.Futures, "key"u8, signer, "", recvWindowMs: 0);
        var spot = new WsApiRequestEncoder(Market.Spot, "key"u8, signer, "", recvWindowMs: 0);
        var command = OrderCommand.NewLimit(0, OrderSide.Sell, 1, 1, TimeInForce.GoodTillCrossing, 1, 1, 0);

        // Act
        futures.Encode(command, Btcusdt, 1, 1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(futures.SignedPayload), Does.Contain("&timeInForce=GTX&"));
            Assert.Throws<NotSupportedException>(() => spot.Encode(command, Btcusdt, 1, 1));
        });
    }

    [Test]
    public void ShouldOmitPriceAndTimeInForce_WhenTheOrderIsMarket()
    {
        // Arrange
        using var signer = new HmacSha256Signer("k"u8);
        var encoder = new WsApiRequestEncoder(Market.Spot, "key"u8, signer, "m", recvWindowMs: 60_000);
        var command = OrderCommand.NewMarket(0, OrderSide.Buy, quantity: 1, clientOrderId: 77, causingSequence: 1, eventTimeMs: 0);

        // Act
        encoder.Encode(command, Btcusdt, 1, 1);

        // Assert
        Assert.That(Encoding.UTF8.GetString(encoder.SignedPayload), Is.EqualTo("apiKey=key&newClientOrderId=m77&quantity=0.00000001&recvWindow=60000&side=BUY&symbol=BTCUSDT&timestamp=1&type=MARKET"));
    }

    [Test]
    public void ShouldEncodeStatusAndSpotCancelAll_AndRefuseFuturesCancelAll()
    {
        // Arrange
        using var signer = new HmacSha256Signer("k"u8);
        var spot = new WsApiRequestEncoder(Market.Spot, "key"u8, signer, "s-", recvWindowMs: 5000);
        var futures = new WsApiRequestEncoder(Market.Futures, "key"u8, signer, "s-", recvWindowMs: 5000);
        var cancelAll = OrderCommand.CancelAll(0, clientOrderId: 3, causingSequence: 1, eventTimeMs: 0);

        // Act
        var status = Encoding.UTF8.GetString(spot.EncodeOrderStatus(Btcusdt, 12, 4, 1000));
        var statusPayload = Encoding.UTF8.GetString(spot.SignedPayload);
        var all = Encoding.UTF8.GetString(spot.Encode(cancelAll, Btcusdt, 5, 1000));
        var allPayload = Encoding.UTF8.GetString(spot.SignedPayload);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(status, Does.StartWith("{\"id\":4,\"method\":\"order.status\","));
            Assert.That(statusPayload, Is.EqualTo("apiKey=key&origClientOrderId=s-12&recvWindow=5000&symbol=BTCUSDT&timestamp=1000"));
            Assert.That(all, Does.StartWith("{\"id\":5,\"method\":\"openOrders.cancelAll\","));
            Assert.That(allPayload, Is.EqualTo("apiKey=key&recvWindow=5000&symbol=BTCUSDT&timestamp=1000"));
            Assert.Throws<NotSupportedException>(() => futures.Encode(cancelAll, Btcusdt, 6, 1000));
        });
    }

    [Test]
    public void ShouldRenderClientOrderIdsMatchingBinancePattern_AndRefuseOverlongOnes()
    {
        // Arrange
        using var signer = new HmacSha256Signer("k"u8);
        var encoder = new WsApiRequestEncoder(Market.Futures, "key"u8, signer, "Of.7:/_-session01", recvWindowMs: 0);
        var tooLong = new WsApiRequestEncoder(Market.Futures, "key"u8, signer, "abcdefghijklmnopqr", recvWindowMs: 0);
        var text = new byte[WsApiRequestEncoder.MaxClientOrderIdLength];

        // Act
        var length = encoder.FormatClientOrderId(long.MaxValue, text);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetString(text, 0, length), Does.Match(ClientOrderIdPattern()));
            Assert.That(length, Is.EqualTo(36));
            Assert.Throws<ArgumentException>(() => tooLong.FormatClientOrderId(long.MaxValue, text));
            Assert.Throws<ArgumentException>(() => encoder.FormatClientOrderId(0, text));
            Assert.Throws<ArgumentException>(() => _ = new WsApiRequestEncoder(Market.Spot, "key"u8, signer, "bad prefix", 0));
        });
    }

    [Test]
    public void ShouldRefuseInvalidCommandsAndUnsafeSymbols()
    {
        // Arrange
        using var signer = new HmacSha256Signer("k"u8);
        var encoder = new WsApiRequestEncoder(Market.Spot, "key"u8, signer, "", recvWindowMs: 0);
        var noQuantity = OrderCommand.NewLimit(0, OrderSide.Buy, 1, 0, TimeInForce.GoodTillCancelled, 1, 1, 0);
        var valid = OrderCommand.NewLimit(0, OrderSide.Buy, 1, 1, TimeInForce.GoodTillCancelled, 1, 1, 0);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => encoder.Encode(noQuantity, Btcusdt, 1, 1));
            Assert.Throws<ArgumentException>(() => encoder.Encode(valid, "BTC\"USDT"u8.ToArray(), 1, 1));
            Assert.Throws<ArgumentException>(() => encoder.Encode(valid, [], 1, 1));
        });
    }

    [Test]
    [NonParallelizable]
    public void ShouldNotAllocate_WhenEncodingAndSigningTenThousandOrdersWithHmac()
    {
        // Arrange
        using var signer = new HmacSha256Signer(Encoding.ASCII.GetBytes(RequestSignerTests.SpotSecret));
        var encoder = new WsApiRequestEncoder(Market.Spot, Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey), signer, "of7-", recvWindowMs: 5000);
        var commands = new OrderCommand[10_000];
        for (var i = 0; i < commands.Length; i++)
        {
            commands[i] = (i % 4) switch
            {
                0 => OrderCommand.NewLimit(0, OrderSide.Buy, 6_512_345_000_000 + i, 1_000 + i, TimeInForce.GoodTillCancelled, i + 1, i, 0),
                1 => OrderCommand.NewLimitMaker(0, OrderSide.Sell, 6_512_345_000_000 - i, 1_000 + i, i + 1, i, 0),
                2 => OrderCommand.NewMarket(0, OrderSide.Buy, 1_000 + i, i + 1, i, 0),
                _ => OrderCommand.Cancel(0, i, i + 1, i, 0),
            };
        }

        var totalBytes = 0L;
        Action encodeAll = () =>
        {
            for (var i = 0; i < commands.Length; i++)
            {
                totalBytes += encoder.Encode(commands[i], Btcusdt, i, 1_700_000_000_000 + i).Length;
            }
        };

        // Act
        var allocated = AllocationAssert.ShouldNotAllocate(encodeAll, warmUpRuns: 3);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(totalBytes, Is.GreaterThan(4L * 10_000 * 200));
        });
    }

    private static string RawValue(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();

    [GeneratedRegex(@"^[\.A-Z\:/a-z0-9_-]{1,36}$")]
    private static partial Regex ClientOrderIdPattern();
}
