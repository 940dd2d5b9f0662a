using System.Security.Cryptography;
using System.Text;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// A Binance API key and its secret material (an HMAC secret, or an RSA / Ed25519 private key in PEM), loaded from
/// environment variables or from an owner-only (mode 0600) file. Makes the matching <see cref="IRequestSigner"/>.
/// </summary>
/// <remarks>
/// <para>
/// The secret never appears in <see cref="ToString"/>, in <see cref="KeyId"/> or in any exception message; the API key
/// itself is shown only as its first 4 characters. Journals and logs record <see cref="KeyId"/>.
/// </para>
/// <para>
/// Sources, checked in this order by <see cref="FromEnvironment()"/>: <c>OPTIFLOW_CREDENTIALS_FILE</c> (a file of
/// <c>NAME=value</c> lines using the names below, <c>#</c> comments allowed); otherwise <c>OPTIFLOW_API_KEY</c> plus
/// either <c>OPTIFLOW_API_SECRET</c> (HMAC) or <c>OPTIFLOW_PRIVATE_KEY_FILE</c> (PEM: PKCS#8 <c>PRIVATE KEY</c> holding
/// RSA or Ed25519, or PKCS#1 <c>RSA PRIVATE KEY</c>). Every file read (credentials file, private key file) must have
/// no permission bits for group or others and no execute bit (0600 or 0400), or loading fails with
/// <see cref="ApiCredentialsException"/> naming the file and its mode. Unix only for files.
/// </para>
/// <para>Immutable after construction and thread-safe to read. Loading allocates; it is a start-up operation.
/// <see cref="Dispose"/> zeroes the secret's managed copy.</para>
/// </remarks>
public sealed class ApiCredentials : IDisposable
{
    /// <summary>Environment variable (and credentials-file name) holding the API key.</summary>
    public const string ApiKeyVariable = "OPTIFLOW_API_KEY";

    /// <summary>Environment variable (and credentials-file name) holding an HMAC secret key.</summary>
    public const string ApiSecretVariable = "OPTIFLOW_API_SECRET";

    /// <summary>Environment variable (and credentials-file name) holding the path of a PEM private key file (RSA or Ed25519).</summary>
    public const string PrivateKeyFileVariable = "OPTIFLOW_PRIVATE_KEY_FILE";

    /// <summary>Environment variable holding the path of a credentials file.</summary>
    public const string CredentialsFileVariable = "OPTIFLOW_CREDENTIALS_FILE";

    private const UnixFileMode ForbiddenModeBits =
        UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.SetUser |
        UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    // Ed25519's algorithm identifier in a PKCS#8 PrivateKeyInfo: OID 1.3.101.112 (RFC 8410).
    private static ReadOnlySpan<byte> Ed25519Oid => [0x06, 0x03, 0x2B, 0x65, 0x70];

    private readonly byte[] _secret;
    private readonly byte[] _apiKeyUtf8;
    private bool _disposed;

    private ApiCredentials(string apiKey, ApiKeyType keyType, byte[] secret)
    {
        ValidateApiKey(apiKey);
        ApiKey = apiKey;
        _apiKeyUtf8 = Encoding.UTF8.GetBytes(apiKey);
        KeyType = keyType;
        _secret = secret;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_apiKeyUtf8, hash);
        KeyId = string.Concat(apiKey.AsSpan(0, Math.Min(4, apiKey.Length)), "-", Convert.ToHexStringLower(hash[..4]));
    }

    /// <summary>The API key, sent as <c>apiKey</c>. Not a secret on the wire, but keep it out of logs: use <see cref="KeyId"/>.</summary>
    public string ApiKey { get; }

    /// <summary>The API key as UTF-8 bytes (ASCII), for the request encoder. Allocation-free.</summary>
    public ReadOnlySpan<byte> ApiKeyUtf8 => _apiKeyUtf8;

    /// <summary>The key type, which decides the signer.</summary>
    public ApiKeyType KeyType { get; }

    /// <summary>
    /// A loggable identifier: the API key's first 4 characters, <c>-</c>, and the first 8 hex digits of the SHA-256 of
    /// the whole API key, e.g. <c>vmPU-1a2b3c4d</c>. Reveals neither the key nor the secret; stable across runs.
    /// </summary>
    public string KeyId { get; }

    /// <summary>Credentials for an HMAC key.</summary>
    /// <param name="apiKey">The API key (printable ASCII, no quotes or backslashes).</param>
    /// <param name="secretKey">The secret key.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="ApiCredentialsException">Either value is empty or the API key has characters JSON would need escaped.</exception>
    public static ApiCredentials FromHmacSecret(string apiKey, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        if (secretKey.Length == 0)
        {
            throw new ApiCredentialsException("The HMAC secret key is empty.");
        }

        return new ApiCredentials(apiKey, ApiKeyType.Hmac, Encoding.UTF8.GetBytes(secretKey));
    }

    /// <summary>Credentials for an RSA or Ed25519 key given as PEM text; the type is read from the key itself.</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="privateKeyPem">PKCS#8 <c>PRIVATE KEY</c> (RSA or Ed25519) or PKCS#1 <c>RSA PRIVATE KEY</c>.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="ApiCredentialsException">No PEM private key is found, or it is neither RSA nor Ed25519.</exception>
    public static ApiCredentials FromPrivateKeyPem(string apiKey, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        return new ApiCredentials(apiKey, DetectKeyType(privateKeyPem, "the PEM text"), Encoding.UTF8.GetBytes(privateKeyPem));
    }

    /// <summary>Loads credentials from the process environment (see the remarks on <see cref="ApiCredentials"/>).</summary>
    /// <returns>The credentials.</returns>
    /// <exception cref="ApiCredentialsException">A variable is missing or a file is unreadable, too open or malformed.</exception>
    public static ApiCredentials FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Loads credentials from variables read through <paramref name="getVariable"/> (tests pass a dictionary).</summary>
    /// <param name="getVariable">Returns a variable's value, or null when unset.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="ApiCredentialsException">A variable is missing or a file is unreadable, too open or malformed.</exception>
    public static ApiCredentials FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var file = getVariable(CredentialsFileVariable);
        if (!string.IsNullOrEmpty(file))
        {
            return FromFile(file);
        }

        return FromVariables(getVariable, "the environment", Environment.CurrentDirectory);
    }

    /// <summary>
    /// Loads credentials from a file of <c>NAME=value</c> lines (<see cref="ApiKeyVariable"/> and either
    /// <see cref="ApiSecretVariable"/> or <see cref="PrivateKeyFileVariable"/>; a relative key path is relative to
    /// the file's directory). The file must be mode 0600 (or 0400).
    /// </summary>
    /// <param name="path">The credentials file.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="ApiCredentialsException">The file is missing, too open or malformed.</exception>
    public static ApiCredentials FromFile(string path)
    {
        var text = ReadOwnerOnlyFile(path);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ApiCredentialsException($"Credentials file '{path}' line {lineNumber} is not NAME=value.");
            }

            values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        return FromVariables(name => values.TryGetValue(name, out var value) ? value : null, $"credentials file '{path}'", directory);
    }

    /// <summary>Creates the signer for this key type. The caller owns (and disposes) it.</summary>
    /// <returns><see cref="HmacSha256Signer"/>, <see cref="RsaSigner"/> or <see cref="Ed25519Signer"/>.</returns>
    /// <remarks>Allocates; call once per gateway thread.</remarks>
    public IRequestSigner CreateSigner()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return KeyType switch
        {
            ApiKeyType.Hmac => new HmacSha256Signer(_secret),
            ApiKeyType.Rsa => new RsaSigner(Encoding.UTF8.GetString(_secret)),
            ApiKeyType.Ed25519 => Ed25519Signer.FromPem(_secret),
            _ => throw new InvalidOperationException($"Unknown key type {KeyType}."),
        };
    }

    /// <summary>The key type and <see cref="KeyId"/>; never the key or the secret.</summary>
    /// <returns>For example <c>ApiCredentials(Hmac, vmPU-1a2b3c4d)</c>.</returns>
    public override string ToString() => $"ApiCredentials({KeyType}, {KeyId})";

    /// <summary>Zeroes the secret's managed copy; <see cref="CreateSigner"/> fails afterwards.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_secret);
        _disposed = true;
    }

    private static ApiCredentials FromVariables(Func<string, string?> getVariable, string source, string baseDirectory)
    {
        var apiKey = getVariable(ApiKeyVariable);
        if (string.IsNullOrEmpty(apiKey))
        {
            throw new ApiCredentialsException($"{ApiKeyVariable} is not set in {source}.");
        }

        var secret = getVariable(ApiSecretVariable);
        var keyFile = getVariable(PrivateKeyFileVariable);
        if (!string.IsNullOrEmpty(secret) && !string.IsNullOrEmpty(keyFile))
        {
            throw new ApiCredentialsException($"Both {ApiSecretVariable} and {PrivateKeyFileVariable} are set in {source}; set exactly one.");
        }

        if (!string.IsNullOrEmpty(secret))
        {
            return FromHmacSecret(apiKey, secret);
        }

        if (string.IsNullOrEmpty(keyFile))
        {
            throw new ApiCredentialsException($"Neither {ApiSecretVariable} nor {PrivateKeyFileVariable} is set in {source}.");
        }

        var keyPath = Path.IsPathRooted(keyFile) ? keyFile : Path.Combine(baseDirectory, keyFile);
        var pem = ReadOwnerOnlyFile(keyPath);
        return new ApiCredentials(apiKey, DetectKeyType(pem, $"private key file '{keyPath}'"), Encoding.UTF8.GetBytes(pem));
    }

    private static string ReadOwnerOnlyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            throw new ApiCredentialsException($"Key files are supported on Unix only (cannot check the mode of '{path}').");
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApiCredentialsException($"Cannot read key file '{path}': {e.Message}", e);
        }

        if ((mode & ForbiddenModeBits) != 0)
        {
            throw new ApiCredentialsException(
                $"Key file '{path}' has mode {FormatMode(mode)}; it must be 0600 (owner read/write only). Run: chmod 600 '{path}'");
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApiCredentialsException($"Cannot read key file '{path}': {e.Message}", e);
        }
    }

    private static string FormatMode(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');

    private static ApiKeyType DetectKeyType(string pem, string source)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new ApiCredentialsException($"No PEM block found in {source}.");
        }

        var label = pem.AsSpan()[fields.Label];
        if (label.SequenceEqual("RSA PRIVATE KEY"))
        {
            return ApiKeyType.Rsa;
        }

        if (!label.SequenceEqual("PRIVATE KEY"))
        {
            throw new ApiCredentialsException($"The PEM block in {source} is '{label}', not a PRIVATE KEY.");
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var length))
        {
            throw new ApiCredentialsException($"The PEM block in {source} is not valid base64.");
        }

        var type = der.AsSpan(0, length).IndexOf(Ed25519Oid) >= 0 ? ApiKeyType.Ed25519 : ApiKeyType.Rsa;
        CryptographicOperations.ZeroMemory(der);
        return type;
    }

    private static void ValidateApiKey(string apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            throw new ApiCredentialsException("The API key is empty.");
        }

        foreach (var c in apiKey)
        {
            if (c <= ' ' || c >= 0x7F || c == '"' || c == '\\' || c == '&' || c == '=')
            {
                throw new ApiCredentialsException("The API key has a character other than printable ASCII (or one of \" \\ & =).");
            }
        }
    }
}
