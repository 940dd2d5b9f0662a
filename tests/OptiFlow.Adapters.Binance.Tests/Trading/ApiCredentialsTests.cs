using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using OptiFlow.Adapters.Binance.Trading;

namespace OptiFlow.Adapters.Binance.Tests.Trading;

/// <summary>Loading keys: owner-only files, environment variables, key-type detection, and nothing secret in text.</summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "Key files are Unix-only (mode 0600).")]
[UnsupportedOSPlatform("windows")]
public sealed class ApiCredentialsTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("optiflow-creds-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [TestCase(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "0700")]
    public void ShouldRefuseFile_WhenItsModeIsNot0600(UnixFileMode mode, string octal)
    {
        // Arrange
        var path = WriteFile("creds.env", $"OPTIFLOW_API_KEY={RequestSignerTests.SpotApiKey}\nOPTIFLOW_API_SECRET={RequestSignerTests.SpotSecret}\n", mode);

        // Act
        var error = Assert.Throws<ApiCredentialsException>(() => ApiCredentials.FromFile(path));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain(path));
            Assert.That(error.Message, Does.Contain($"mode {octal}"));
            Assert.That(error.Message, Does.Contain("0600"));
            Assert.That(error.Message, Does.Not.Contain(RequestSignerTests.SpotSecret));
        });
    }

    [Test]
    public void ShouldRefusePrivateKeyFile_WhenItsModeIsNot0600()
    {
        // Arrange
        var keyPath = WriteFile("ed25519.pem", RequestSignerTests.Ed25519Pem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var variables = new Dictionary<string, string> { ["OPTIFLOW_API_KEY"] = "abcd", ["OPTIFLOW_PRIVATE_KEY_FILE"] = keyPath };

        // Act
        var error = Assert.Throws<ApiCredentialsException>(() => ApiCredentials.FromEnvironment(n => variables.GetValueOrDefault(n)));

        // Assert
        Assert.That(error!.Message, Does.Contain(keyPath).And.Contain("mode 0604"));
    }

    [Test]
    public void ShouldLoadHmacCredentialsFromOwnerOnlyFile_AndSignWithThem()
    {
        // Arrange
        var path = WriteFile("creds.env", $"# spot test key\nOPTIFLOW_API_KEY={RequestSignerTests.SpotApiKey}\nOPTIFLOW_API_SECRET={RequestSignerTests.SpotSecret}\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Act
        using var credentials = ApiCredentials.FromFile(path);
        var signer = credentials.CreateSigner();
        var output = new byte[signer.SignatureLength];
        var written = signer.Sign(Encoding.ASCII.GetBytes($"apiKey={RequestSignerTests.SpotApiKey}&timestamp=1649729878532"), output);
        (signer as IDisposable)?.Dispose();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(credentials.KeyType, Is.EqualTo(ApiKeyType.Hmac));
            Assert.That(credentials.ApiKeyUtf8.ToArray(), Is.EqualTo(Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey)));
            Assert.That(Encoding.ASCII.GetString(output, 0, written), Is.EqualTo("1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed"));
        });
    }

    [Test]
    public void ShouldDetectEd25519AndRsaKeys_WhenLoadedFromEnvironmentAndKeyFiles()
    {
        // Arrange
        using var rsa = RSA.Create(2048);
        var edPath = WriteFile("ed.pem", RequestSignerTests.Ed25519Pem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var rsaPath = WriteFile("rsa.pem", rsa.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead);
        var ed = new Dictionary<string, string> { ["OPTIFLOW_API_KEY"] = "edkey", ["OPTIFLOW_PRIVATE_KEY_FILE"] = edPath };
        var viaFile = WriteFile("rsa.env", "OPTIFLOW_API_KEY=rsakey\nOPTIFLOW_PRIVATE_KEY_FILE=rsa.pem\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var indirect = new Dictionary<string, string> { ["OPTIFLOW_CREDENTIALS_FILE"] = viaFile };

        // Act
        using var edCredentials = ApiCredentials.FromEnvironment(n => ed.GetValueOrDefault(n));
        using var rsaCredentials = ApiCredentials.FromEnvironment(n => indirect.GetValueOrDefault(n));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(edCredentials.KeyType, Is.EqualTo(ApiKeyType.Ed25519));
            Assert.That(edCredentials.CreateSigner(), Is.InstanceOf<Ed25519Signer>());
            Assert.That(rsaCredentials.KeyType, Is.EqualTo(ApiKeyType.Rsa));
            Assert.That(rsaCredentials.CreateSigner(), Is.InstanceOf<RsaSigner>());
            Assert.That(rsaCredentials.ApiKey, Is.EqualTo("rsakey"));
        });
    }

    [Test]
    public void ShouldNameTheMissingVariable_WhenTheEnvironmentIsIncomplete()
    {
        // Arrange
        var onlyKey = new Dictionary<string, string> { ["OPTIFLOW_API_KEY"] = "abcd" };

        // Act
        var noKey = Assert.Throws<ApiCredentialsException>(() => ApiCredentials.FromEnvironment(_ => null));
        var noSecret = Assert.Throws<ApiCredentialsException>(() => ApiCredentials.FromEnvironment(n => onlyKey.GetValueOrDefault(n)));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(noKey!.Message, Does.Contain("OPTIFLOW_API_KEY"));
            Assert.That(noSecret!.Message, Does.Contain("OPTIFLOW_API_SECRET").And.Contain("OPTIFLOW_PRIVATE_KEY_FILE"));
        });
    }

    [Test]
    public void ShouldKeepKeyAndSecretOutOfToStringAndKeyId()
    {
        // Arrange
        using var hmac = ApiCredentials.FromHmacSecret(RequestSignerTests.SpotApiKey, RequestSignerTests.SpotSecret);
        using var ed = ApiCredentials.FromPrivateKeyPem(RequestSignerTests.SpotApiKey, RequestSignerTests.Ed25519Pem);
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(RequestSignerTests.SpotApiKey)))[..8];

        // Act
        var texts = new[] { hmac.ToString(), hmac.KeyId, ed.ToString(), ed.KeyId, $"{hmac}" };

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(hmac.KeyId, Is.EqualTo("vmPU-" + expectedHash));
            Assert.That(hmac.ToString(), Is.EqualTo($"ApiCredentials(Hmac, vmPU-{expectedHash})"));
            foreach (var text in texts)
            {
                Assert.That(text, Does.Not.Contain(RequestSignerTests.SpotSecret));
                Assert.That(text, Does.Not.Contain(RequestSignerTests.SpotApiKey[..8]));
                Assert.That(text, Does.Not.Contain("MC4CAQAw"));
            }
        });
    }

    [Test]
    public void ShouldRefuseToCreateSigner_AfterDispose()
    {
        // Arrange
        var credentials = ApiCredentials.FromHmacSecret("abcd", "secret");

        // Act
        credentials.Dispose();

        // Assert
        Assert.Throws<ObjectDisposedException>(() => credentials.CreateSigner());
    }

    private string WriteFile(string name, string text, UnixFileMode mode)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
