using System.Security.Cryptography;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// RSASSA-PKCS1-v1_5 with SHA-256 over the payload; the signature is base64 (binance.md §5.6). Binance issues PKCS#8
/// keys; a PKCS#1 <c>RSA PRIVATE KEY</c> PEM is accepted too.
/// </summary>
/// <remarks>
/// Signs into a buffer reused across calls; whether the platform's RSA (OpenSSL on Linux) allocates managed memory
/// per call is not guaranteed, so prefer HMAC or Ed25519 on the hot path. Not thread-safe. Dispose to release the key.
/// </remarks>
public sealed class RsaSigner : IRequestSigner, IDisposable
{
    private readonly RSA _rsa;
    private readonly byte[] _raw;

    /// <summary>Creates a signer from a PEM private key.</summary>
    /// <param name="privateKeyPem">The PEM text (<c>PRIVATE KEY</c> or <c>RSA PRIVATE KEY</c>).</param>
    /// <exception cref="ArgumentException">The PEM holds no RSA private key.</exception>
    public RsaSigner(ReadOnlySpan<char> privateKeyPem)
    {
        _rsa = RSA.Create();
        try
        {
            _rsa.ImportFromPem(privateKeyPem);
            _ = _rsa.ExportParameters(includePrivateParameters: false); // a public-only key fails at the first Sign otherwise
        }
        catch (CryptographicException e)
        {
            _rsa.Dispose();
            throw new ArgumentException("The PEM text holds no usable RSA private key.", nameof(privateKeyPem), e);
        }

        _raw = new byte[(_rsa.KeySize + 7) / 8];
        SignatureLength = SignatureText.Base64Length(_raw.Length);
    }

    /// <inheritdoc/>
    public SignatureEncoding Encoding => SignatureEncoding.Base64;

    /// <inheritdoc/>
    /// <remarks>344 for a 2048-bit key, 172 for 1024-bit.</remarks>
    public int SignatureLength { get; }

    /// <inheritdoc/>
    /// <remarks>Not thread-safe. Throws <see cref="CryptographicException"/> if the platform fails to sign.</remarks>
    public int Sign(ReadOnlySpan<byte> payload, Span<byte> signatureOut)
    {
        SignatureText.ThrowIfTooSmall(signatureOut, SignatureLength);
        if (!_rsa.TrySignData(payload, _raw, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out var written) || written != _raw.Length)
        {
            throw new CryptographicException("RSA signing did not produce a full-length signature.");
        }

        return SignatureText.WriteBase64(_raw, signatureOut);
    }

    /// <summary>Releases the key.</summary>
    public void Dispose() => _rsa.Dispose();
}
