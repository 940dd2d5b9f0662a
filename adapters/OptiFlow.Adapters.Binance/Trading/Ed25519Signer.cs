using NSec.Cryptography;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// Ed25519 (RFC 8032, pure: no pre-hash) over the payload bytes; the 64-byte signature is base64, 88 characters
/// (binance.md §5.6). The only key type <c>session.logon</c> accepts (§5.5). The cryptography is libsodium's, through
/// NSec.Cryptography.
/// </summary>
/// <remarks>
/// Signs into a reused 64-byte buffer: <see cref="Sign"/> is allocation-free after construction. Ed25519 is
/// deterministic, so a payload always gives the same signature. Not thread-safe by contract (one instance per gateway
/// thread). Dispose to release the key.
/// </remarks>
public sealed class Ed25519Signer : IRequestSigner, IDisposable
{
    /// <summary>Length of the base64 signature: 88 ASCII bytes.</summary>
    public const int Base64Length = 88;

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;
    private readonly byte[] _raw = new byte[64];

    private Ed25519Signer(Key key) => _key = key;

    /// <inheritdoc/>
    public SignatureEncoding Encoding => SignatureEncoding.Base64;

    /// <inheritdoc/>
    public int SignatureLength => Base64Length;

    /// <summary>Exports the raw 32-byte public key (what Binance registers, PEM-wrapped).</summary>
    /// <returns>A new 32-byte array (allocates; not for the hot path).</returns>
    public byte[] ExportPublicKey() => _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    /// <summary>Creates a signer from a PKCS#8 PEM private key (<c>-----BEGIN PRIVATE KEY-----</c>, as OpenSSL writes it).</summary>
    /// <param name="privateKeyPem">The PEM text as UTF-8 or ASCII bytes.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="ArgumentException">The text is not an Ed25519 PKCS#8 private key.</exception>
    public static Ed25519Signer FromPem(ReadOnlySpan<byte> privateKeyPem) =>
        Import(privateKeyPem, KeyBlobFormat.PkixPrivateKeyText, nameof(privateKeyPem));

    /// <summary>Creates a signer from the raw 32-byte private seed (RFC 8032's private key).</summary>
    /// <param name="seed">32 bytes.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static Ed25519Signer FromSeed(ReadOnlySpan<byte> seed) =>
        Import(seed, KeyBlobFormat.RawPrivateKey, nameof(seed));

    /// <inheritdoc/>
    /// <remarks>Allocation-free. Not thread-safe.</remarks>
    public int Sign(ReadOnlySpan<byte> payload, Span<byte> signatureOut)
    {
        SignatureText.ThrowIfTooSmall(signatureOut, Base64Length);
        Algorithm.Sign(_key, payload, _raw);
        return SignatureText.WriteBase64(_raw, signatureOut);
    }

    /// <summary>Releases the key.</summary>
    public void Dispose() => _key.Dispose();

    private static Ed25519Signer Import(ReadOnlySpan<byte> blob, KeyBlobFormat format, string paramName)
    {
        if (!Key.TryImport(Algorithm, blob, format, out var key, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None }) || key is null)
        {
            throw new ArgumentException("The key material is not an Ed25519 private key.", paramName);
        }

        return new Ed25519Signer(key);
    }
}
