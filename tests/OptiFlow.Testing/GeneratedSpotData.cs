using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Engine.Model;

namespace OptiFlow.Testing;

/// <summary>
/// The real spot exchangeInfo (../shared/data, skipped when absent, failed under OPTIFLOW_REQUIRE_DATA=1) and a reader of
/// generated spot recordings (<see cref="SpotUniverseGenerator"/>) that parses each line with <see cref="JsonDocument"/>,
/// not with the engine's decoder.
/// </summary>
public static class GeneratedSpotData
{
    /// <summary>The spot exchangeInfo under the data root: 2,292 symbols, 1,340 TRADING, 2,207 asset triangles.</summary>
    public const string ExchangeInfoPath = "SM2A-Binance_API/exchangeInfoCompact.json";

    private static readonly Lazy<ExchangeInfo> LazyExchangeInfo = new(() => ExchangeInfoParser.ParseFile(Path.Combine(RecordingData.Root!, ExchangeInfoPath)));

    /// <summary>The parsed exchangeInfo; skips (or fails, when data is required) the calling test when it is absent.</summary>
    public static ExchangeInfo ExchangeInfo()
    {
        RecordingData.Require(ExchangeInfoPath);
        return LazyExchangeInfo.Value;
    }

    /// <summary>Generates <paramref name="options"/> into <paramref name="path"/> (and its sidecar) from the real exchangeInfo.</summary>
    public static SpotGenerationSummary Generate(string path, SpotUniverseGeneratorOptions options) =>
        new SpotUniverseGenerator(ExchangeInfo(), options).GenerateFile(path);

    /// <summary>Every line of a generated recording (plain or .gz), in order.</summary>
    public static List<GeneratedSpotFrame> ReadFrames(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var frames = new List<GeneratedSpotFrame>();
        var lineNumber = 0L;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var timestamp = long.Parse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture);
            using var json = JsonDocument.Parse(line.AsMemory(space + 1));
            var data = json.RootElement.GetProperty("data");
            string[] text = [data.GetProperty("b").GetString()!, data.GetProperty("B").GetString()!, data.GetProperty("a").GetString()!, data.GetProperty("A").GetString()!];
            frames.Add(new GeneratedSpotFrame(
                lineNumber,
                timestamp,
                json.RootElement.GetProperty("stream").GetString()!,
                data.GetProperty("s").GetString()!,
                data.GetProperty("u").GetInt64(),
                Units(text[0]),
                Units(text[1]),
                Units(text[2]),
                Units(text[3]),
                text));
        }

        return frames;
    }

    /// <summary>A decimal string as 10⁻⁸ units (exact).</summary>
    public static long Units(string text) =>
        FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), out var value) == FixedPointParseStatus.Ok
            ? value
            : throw new FormatException($"not a 10⁻⁸ decimal: {text}");
}
