using System.Security.Cryptography;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// HMAC-SHA256 keyed with the API secret; the signature is 64 lowercase hex characters (binance.md §5.6; vectors
/// V1–V11 of §5.8).
/// </summary>
/// <remarks>
/// One reused <see cref="HMACSHA256"/> instance and a stack buffer for the 32-byte MAC: <see cref="Sign"/> is
/// allocation-free. Not thread-safe (one instance per gateway thread). Dispose to release the native context; the
/// secret's managed copy is held by the BCL instance until then.
/// </remarks>
public sealed class HmacSha256Signer : IRequestSigner, IDisposable
{
    /// <summary>Length of the hex signature: 64 ASCII bytes.</summary>
    public const int HexLength = 2 * HMACSHA256.HashSizeInBytes;

    private readonly HMACSHA256 _hmac;

    /// <summary>Creates a signer for the secret key's bytes (case-sensitive; Binance secrets are ASCII).</summary>
    /// <param name="secretKey">The API secret as bytes; copied.</param>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public HmacSha256Signer(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.IsEmpty)
        {
            throw new ArgumentException("The HMAC secret key is empty.", nameof(secretKey));
        }

        var key = secretKey.ToArray();
        _hmac = new HMACSHA256(key);
        CryptographicOperations.ZeroMemory(key);
    }

    /// <inheritdoc/>
    public SignatureEncoding Encoding => SignatureEncoding.LowercaseHex;

    /// <inheritdoc/>
    public int SignatureLength => HexLength;

    /// <inheritdoc/>
    /// <remarks>Allocation-free. Not thread-safe.</remarks>
    public int Sign(ReadOnlySpan<byte> payload, Span<byte> signatureOut)
    {
        SignatureText.ThrowIfTooSmall(signatureOut, HexLength);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!_hmac.TryComputeHash(payload, mac, out _))
        {
            throw new CryptographicException("HMAC-SHA256 did not produce 32 bytes.");
        }

        return SignatureText.WriteLowercaseHex(mac, signatureOut);
    }

    /// <summary>Releases the HMAC context.</summary>
    public void Dispose() => _hmac.Dispose();
}
