using System.Globalization;
using System.Text;
using OptiFlow.Adapters.Binance.Trading;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// One test API key the simulated exchange accepts on its WebSocket API: the key string and what verifies its
/// signatures (binance.md §5.6): an HMAC secret, an RSA public key (PEM, SPKI) or an Ed25519 public key.
/// </summary>
/// <remarks>
/// Immutable; thread-safe. <see cref="ToString"/> never shows the secret, and nothing in the simulator logs it.
/// Construction allocates copies of the key material.
/// </remarks>
public sealed class SimulatorApiKey
{
    private SimulatorApiKey(string apiKey, ApiKeyType type, byte[] material)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ApiKey = apiKey;
        KeyType = type;
        Material = material;
    }

    /// <summary>The API key as sent in <c>apiKey</c>.</summary>
    public string ApiKey { get; }

    /// <summary>Which algorithm verifies this key's signatures.</summary>
    public ApiKeyType KeyType { get; }

    /// <summary>HMAC: the secret's UTF-8 bytes; RSA: the public key PEM's UTF-8 bytes; Ed25519: the 32-byte raw public key.</summary>
    internal byte[] Material { get; }

    /// <summary>An HMAC-SHA256 key (hex signatures).</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="secretKey">The shared secret.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public static SimulatorApiKey Hmac(string apiKey, string secretKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        return new SimulatorApiKey(apiKey, ApiKeyType.Hmac, Encoding.UTF8.GetBytes(secretKey));
    }

    /// <summary>An RSA key (PKCS#1 v1.5 SHA-256, base64 signatures), verified with its public key.</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="publicKeyPem">The public key PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">An argument is empty or the PEM is not an RSA public key.</exception>
    public static SimulatorApiKey Rsa(string apiKey, string publicKeyPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicKeyPem);
        using (var rsa = System.Security.Cryptography.RSA.Create())
        {
            rsa.ImportFromPem(publicKeyPem);
        }

        return new SimulatorApiKey(apiKey, ApiKeyType.Rsa, Encoding.UTF8.GetBytes(publicKeyPem));
    }

    /// <summary>An Ed25519 key (base64 signatures; the only type <c>session.logon</c> accepts, §5.5).</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="publicKey">The raw 32-byte public key.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static SimulatorApiKey Ed25519(string apiKey, ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }

        return new SimulatorApiKey(apiKey, ApiKeyType.Ed25519, publicKey.ToArray());
    }

    /// <summary>An Ed25519 key from its public key PEM (<c>-----BEGIN PUBLIC KEY-----</c>, SPKI as Binance registers it).</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="publicKeyPem">The PEM text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The PEM is not an Ed25519 public key.</exception>
    public static SimulatorApiKey Ed25519FromPem(string apiKey, string publicKeyPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicKeyPem);
        var key = NSec.Cryptography.PublicKey.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(publicKeyPem), NSec.Cryptography.KeyBlobFormat.PkixPublicKeyText);
        return Ed25519(apiKey, key.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));
    }

    /// <summary>
    /// Reads a key file: one key per line, <c>&lt;apiKey&gt; hmac &lt;secret&gt;</c>, <c>&lt;apiKey&gt; ed25519 &lt;base64 raw public key
    /// or path of a public key PEM&gt;</c>, or <c>&lt;apiKey&gt; rsa &lt;path of a public key PEM&gt;</c>; blank lines and lines
    /// starting with <c>#</c> are skipped. Relative PEM paths are relative to the key file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The keys in file order.</returns>
    /// <exception cref="FormatException">A line does not follow the format (the message names the line, never the secret).</exception>
    /// <exception cref="IOException">The file or a PEM cannot be read.</exception>
    public static IReadOnlyList<SimulatorApiKey> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var keys = new List<SimulatorApiKey>();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var number = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: expected '<apiKey> hmac|rsa|ed25519 <secret or key>'"));
            }

            var pemPath = Path.Combine(folder, parts[2]);
            keys.Add(parts[1].ToLowerInvariant() switch
            {
                "hmac" => Hmac(parts[0], parts[2]),
                "rsa" => Rsa(parts[0], File.ReadAllText(pemPath)),
                "ed25519" when File.Exists(pemPath) => Ed25519FromPem(parts[0], File.ReadAllText(pemPath)),
                "ed25519" => Ed25519(parts[0], Convert.FromBase64String(parts[2])),
                _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: unknown key type '{parts[1]}' (hmac, rsa, ed25519)")),
            });
        }

        return keys;
    }

    /// <summary>The API key and its type; never the secret.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{ApiKey} ({KeyType})";
}
