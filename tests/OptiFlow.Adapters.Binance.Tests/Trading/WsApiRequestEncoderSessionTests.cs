using System.Text;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Tests.Trading;

/// <summary><see cref="WsApiRequestEncoder.SessionAuthenticated"/>: requests after <c>session.logon</c> (binance.md §5.5).</summary>
[TestFixture]
public sealed class WsApiRequestEncoderSessionTests
{
    private static readonly byte[] Btcusdt = "BTCUSDT"u8.ToArray();

    [Test]
    public void ShouldOmitApiKeyAndSignature_WhenSessionIsAuthenticated()
    {
        // Arrange
        using var signer = Ed25519Signer.FromPem(Encoding.ASCII.GetBytes(RequestSignerTests.Ed25519Pem));
        var encoder = new WsApiRequestEncoder(Market.Spot, Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey), signer, "of-", recvWindowMs: 5000) { SessionAuthenticated = true };
        var command = OrderCommand.NewLimit(0, OrderSide.Buy, 50_000 * FixedPoint.Scale, 1_000_000, TimeInForce.GoodTillCancelled, 5, 1, 0);

        // Act
        var place = Encoding.UTF8.GetString(encoder.Encode(command, Btcusdt, requestId: 3, 1700000000000));
        var status = Encoding.UTF8.GetString(encoder.EncodeOrderStatus(Btcusdt, 5, requestId: 4, 1700000000001));
        var logon = Encoding.UTF8.GetString(encoder.EncodeSessionLogon(requestId: 5, 1700000000002));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(place, Is.EqualTo("{\"id\":3,\"method\":\"order.place\",\"params\":{\"newClientOrderId\":\"of-5\",\"price\":\"50000\",\"quantity\":\"0.01\","
                + "\"recvWindow\":5000,\"side\":\"BUY\",\"symbol\":\"BTCUSDT\",\"timeInForce\":\"GTC\",\"timestamp\":1700000000000,\"type\":\"LIMIT\"}}"));
            Assert.That(status, Is.EqualTo("{\"id\":4,\"method\":\"order.status\",\"params\":{\"origClientOrderId\":\"of-5\",\"recvWindow\":5000,\"symbol\":\"BTCUSDT\",\"timestamp\":1700000000001}}"));
            Assert.That(logon, Does.Contain("\"apiKey\":").And.Contain("\"signature\":"), "session.logon is always signed");
        });
    }

    [Test]
    public void ShouldSignSubscribeSignatureWithKeyAndTime_WhenSpot()
    {
        // Arrange
        using var signer = new HmacSha256Signer(Encoding.ASCII.GetBytes(RequestSignerTests.SpotSecret));
        var encoder = new WsApiRequestEncoder(Market.Spot, Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey), signer, "of-", recvWindowMs: 0);

        // Act
        var request = Encoding.UTF8.GetString(encoder.EncodeUserDataSubscribeSignature(requestId: 9, 1649729878532));

        // Assert: binance.md §5.8 V5 covers exactly apiKey=…&timestamp=1649729878532.
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(encoder.SignedPayload), Is.EqualTo($"apiKey={RequestSignerTests.SpotApiKey}&timestamp=1649729878532"));
            Assert.That(request, Does.StartWith("{\"id\":9,\"method\":\"userDataStream.subscribe.signature\"").And.EndWith("\"signature\":\"1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed\"}}"));
            Assert.Throws<NotSupportedException>(() => new WsApiRequestEncoder(Market.Futures, Encoding.ASCII.GetBytes("k"), signer, "of-", 0).EncodeUserDataSubscribeSignature(1, 1));
        });
    }
}
