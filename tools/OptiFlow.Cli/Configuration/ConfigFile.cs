namespace OptiFlow.Cli.Configuration;

/// <summary>Reads a configuration file by its extension: <c>.toml</c> (Tomlyn) or <c>.json</c> (System.Text.Json).</summary>
/// <remarks>Cold path; stateless: thread-safe.</remarks>
internal static class ConfigFile
{
    /// <summary>Reads and parses a configuration file.</summary>
    /// <param name="path">The file's path as given.</param>
    /// <returns>The document, every key and value with its location.</returns>
    /// <exception cref="UsageException">The file does not exist, or its extension is neither .toml nor .json.</exception>
    /// <exception cref="ConfigurationException">The file is not valid TOML or JSON (each error at its line and column).</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static ConfigTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"configuration file not found: {path}");
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".toml" => TomlConfigReader.Read(File.ReadAllText(path), path),
            ".json" => JsonConfigReader.Read(WithoutBom(File.ReadAllBytes(path)), path),
            _ => throw new UsageException($"configuration file '{path}': give a .toml or a .json file"),
        };
    }

    private static byte[] WithoutBom(byte[] bytes) =>
        bytes is [0xEF, 0xBB, 0xBF, ..] ? bytes[3..] : bytes;
}
