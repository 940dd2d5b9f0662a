namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>How a signer writes its signature as text (binance.md §5.6, "Key type → Output encoding").</summary>
public enum SignatureEncoding : byte
{
    /// <summary>Lowercase hexadecimal, two characters per byte: HMAC-SHA256 (64 characters).</summary>
    LowercaseHex = 1,

    /// <summary>Standard base64 with padding (<c>+</c>, <c>/</c>, <c>=</c>), sent raw in WebSocket API JSON: RSA and Ed25519.</summary>
    Base64 = 2,
}
