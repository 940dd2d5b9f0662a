namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// Signs a Binance request payload (the sorted <c>k=v&amp;…</c> parameters without <c>signature</c>, binance.md §5.6) and
/// writes the signature as ASCII text in the encoding its key type needs.
/// </summary>
/// <remarks>
/// Implementations: <see cref="HmacSha256Signer"/> (lowercase hex), <see cref="RsaSigner"/> and
/// <see cref="Ed25519Signer"/> (base64). An instance is <b>not</b> thread-safe: it is owned by the one gateway thread
/// that encodes requests. Whether <see cref="Sign"/> allocates is stated by each implementation.
/// </remarks>
public interface IRequestSigner
{
    /// <summary>The text encoding of the signatures this signer writes.</summary>
    SignatureEncoding Encoding { get; }

    /// <summary>The exact number of ASCII bytes <see cref="Sign"/> writes (the signature length is fixed per key).</summary>
    int SignatureLength { get; }

    /// <summary>Signs <paramref name="payload"/> and writes the encoded signature into <paramref name="signatureOut"/>.</summary>
    /// <param name="payload">The exact bytes to sign: raw UTF-8, no percent-encoding for the WebSocket API.</param>
    /// <param name="signatureOut">At least <see cref="SignatureLength"/> bytes.</param>
    /// <returns>The number of ASCII bytes written, always <see cref="SignatureLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="signatureOut"/> is shorter than <see cref="SignatureLength"/>.</exception>
    int Sign(ReadOnlySpan<byte> payload, Span<byte> signatureOut);
}
