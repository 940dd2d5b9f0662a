using System.Security.Cryptography;
using System.Text;
using OptiFlow.Adapters.Binance.Trading;

namespace OptiFlow.Adapters.Binance.Tests.Trading;

/// <summary>The signers against binance.md §5.8's test vectors and RFC 8032 test vector 1.</summary>
[TestFixture]
public sealed class RequestSignerTests
{
    public const string SpotApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    public const string SpotSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    public const string FuturesSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

    public const string Ed25519Pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDeV7zAopfZWlzAny9+zISYwRWqgn2K2Kkwc6zU0yktT\n-----END PRIVATE KEY-----\n";

    private const string Ed25519Payload = "apiKey=4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT";

    private static readonly object[] HmacVectors =
    [
        new object[] { "V1", SpotSecret, "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71" },
        new object[] { "V2", SpotSecret, "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3" },
        new object[] { "V3", SpotSecret, $"apiKey={SpotApiKey}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT", "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24" },
        new object[] { "V4", SpotSecret, $"apiKey={SpotApiKey}&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT", "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd" },
        new object[] { "V5", SpotSecret, $"apiKey={SpotApiKey}&timestamp=1649729878532", "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed" },
        new object[] { "V6", SpotSecret, $"apiKey={SpotApiKey}&price=23416.10000000&quantity=0.00847000&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1660801715431&type=LIMIT", "15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88" },
        new object[] { "V7", SpotSecret, $"apiKey={SpotApiKey}&origClientOrderId=4d96324ff9d44481926157&symbol=BTCUSDT&timestamp=1660801715830", "33d5b721f278ae17a52f004a82a6f68a70c68e7dd6776ed0be77a455ab855282" },
        new object[] { "V8", SpotSecret, $"apiKey={SpotApiKey}&orderId=12569099453&symbol=BTCUSDT&timestamp=1660801720951", "2c3aab5a078ee4ea465ecd95523b77289f61476c2f238ec10c55ea6cb11a6f35" },
        new object[] { "V9", FuturesSecret, "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943", "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9" },
        new object[] { "V10", FuturesSecret, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp= 1591702613943", "f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2" },
        new object[] { "V10b", FuturesSecret, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp=1591702613943", "30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4" },
        new object[] { "V11", FuturesSecret, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943", "ec11dcc17e67e47f0d3c3f513dfe9062307e37619c5c82ebaa8fe0bdf3d59519" },
    ];

    [TestCaseSource(nameof(HmacVectors))]
    public void ShouldMatchBinanceHmacVector(string vector, string secret, string payload, string expectedHex)
    {
        // Arrange
        using var signer = new HmacSha256Signer(Encoding.UTF8.GetBytes(secret));
        var output = new byte[signer.SignatureLength + 7];

        // Act
        var written = signer.Sign(Encoding.UTF8.GetBytes(payload), output);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(64), vector);
            Assert.That(Encoding.ASCII.GetString(output, 0, written), Is.EqualTo(expectedHex), vector);
            Assert.That(signer.Encoding, Is.EqualTo(SignatureEncoding.LowercaseHex));
        });
    }

    [Test]
    public void ShouldMatchSelfGeneratedEd25519Vector_WhenLoadedFromPem()
    {
        // Arrange: binance.md §5.8 "Self-generated Ed25519 vector" (OpenSSL 3.0.19).
        using var signer = Ed25519Signer.FromPem(Encoding.ASCII.GetBytes(Ed25519Pem));
        var output = new byte[Ed25519Signer.Base64Length];

        // Act
        var written = signer.Sign(Encoding.ASCII.GetBytes(Ed25519Payload), output);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetString(output, 0, written), Is.EqualTo("o0fQYAbByqUCELLh/GJxT8jMdIughL8NhlGFT4w5moC58aTrNAWJvBBJv5hVdQkk00UrZj34TkK8tbP8uz2CDw=="));
            Assert.That(Convert.ToHexStringLower(signer.ExportPublicKey()), Is.EqualTo("f26308c80d119bdadac6553c77f3b54d95c7832ffe17b41cbe610330511c2176"));
        });
    }

    [Test]
    public void ShouldMatchRfc8032TestVector1_WhenLoadedFromSeed()
    {
        // Arrange: RFC 8032 §7.1 TEST 1 (empty message).
        using var signer = Ed25519Signer.FromSeed(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        var output = new byte[Ed25519Signer.Base64Length];

        // Act
        var written = signer.Sign([], output);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(
                Convert.ToHexStringLower(Convert.FromBase64String(Encoding.ASCII.GetString(output, 0, written))),
                Is.EqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
            Assert.That(Convert.ToHexStringLower(signer.ExportPublicKey()), Is.EqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        });
    }

    [Test]
    public void ShouldWriteVerifiableBase64Pkcs1Signature_WhenSigningWithRsa()
    {
        // Arrange: binance.md §5.8 publishes no RSA private key, so the check is verify-with-the-public-key over V3's payload.
        using var rsa = RSA.Create(2048);
        using var signer = new RsaSigner(rsa.ExportPkcs8PrivateKeyPem());
        var payload = Encoding.ASCII.GetBytes((string)((object[])HmacVectors[2])[2]);
        var output = new byte[signer.SignatureLength];

        // Act
        var written = signer.Sign(payload, output);

        // Assert
        var signature = Convert.FromBase64String(Encoding.ASCII.GetString(output, 0, written));
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(344));
            Assert.That(signature, Has.Length.EqualTo(256));
            Assert.That(rsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), Is.True);
            Assert.That(signer.Encoding, Is.EqualTo(SignatureEncoding.Base64));
        });
    }

    [Test]
    public void ShouldRefuseTooSmallOutput()
    {
        // Arrange
        using var signer = new HmacSha256Signer("k"u8);

        // Act / Assert
        Assert.Throws<ArgumentException>(() => signer.Sign("a=1"u8, new byte[63]));
    }
}
