namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>The kind of Binance API key, which decides the signature algorithm (binance.md §5.6).</summary>
public enum ApiKeyType : byte
{
    /// <summary>HMAC-SHA256 with a shared secret; hex signatures (<see cref="HmacSha256Signer"/>).</summary>
    Hmac = 1,

    /// <summary>RSA private key, PKCS#1 v1.5 with SHA-256; base64 signatures (<see cref="RsaSigner"/>).</summary>
    Rsa = 2,

    /// <summary>Ed25519 private key; base64 signatures (<see cref="Ed25519Signer"/>). Required by <c>session.logon</c> (§5.5).</summary>
    Ed25519 = 3,
}
