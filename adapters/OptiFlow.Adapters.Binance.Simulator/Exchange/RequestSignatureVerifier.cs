using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OptiFlow.Adapters.Binance.Trading;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// Verifies WebSocket API signatures (binance.md §5.6): the payload is every parameter except <c>signature</c>, sorted
/// by name (ordinal), as <c>k=v</c> joined by <c>&amp;</c>, values as raw UTF-8 (strings unquoted, numbers and booleans
/// as their JSON text). HMAC signatures are hex (case-insensitive); RSA and Ed25519 are base64.
/// </summary>
/// <remarks>Thread-safe (no state). Allocates (not a hot path). Never logs or returns key material.</remarks>
internal static class RequestSignatureVerifier
{
    /// <summary>The signed payload of a request's params.</summary>
    public static byte[] Payload(JsonElement parameters)
    {
        var names = new List<string>();
        foreach (var property in parameters.EnumerateObject())
        {
            if (!string.Equals(property.Name, "signature", StringComparison.Ordinal))
            {
                names.Add(property.Name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var name in names)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(name).Append('=').Append(ValueText(parameters.GetProperty(name)));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A parameter's value as signed and compared: strings unquoted, anything else as its JSON text.</summary>
    public static string ValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>Whether <paramref name="signature"/> is the key's signature of <paramref name="payload"/>.</summary>
    public static bool Verify(SimulatorApiKey key, byte[] payload, string signature)
    {
        switch (key.KeyType)
        {
            case ApiKeyType.Hmac:
                var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key.Material, payload));
                var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
                return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), given);
            case ApiKeyType.Rsa:
                if (!TryBase64(signature, out var rsaSignature))
                {
                    return false;
                }

                using (var rsa = RSA.Create())
                {
                    rsa.ImportFromPem(Encoding.UTF8.GetString(key.Material));
                    return rsa.VerifyData(payload, rsaSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            case ApiKeyType.Ed25519:
                if (!TryBase64(signature, out var edSignature) || edSignature.Length != 64)
                {
                    return false;
                }

                var algorithm = NSec.Cryptography.SignatureAlgorithm.Ed25519;
                var publicKey = NSec.Cryptography.PublicKey.Import(algorithm, key.Material, NSec.Cryptography.KeyBlobFormat.RawPublicKey);
                return algorithm.Verify(publicKey, payload, edSignature);
            default:
                return false;
        }
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
