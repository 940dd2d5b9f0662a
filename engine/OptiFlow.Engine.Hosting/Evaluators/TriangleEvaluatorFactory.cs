using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>
/// Builds a <see cref="TriangleEvaluator"/> per session over the TRADING symbols of a Binance spot exchangeInfo file
/// (<see cref="ExchangeInfo.TradingInstruments"/>, binance.md §4): configuration <c>{"exchange_info":PATH,"sha256":HEX,
/// "taker_fee_bps":F,"min_edge_bps":M}</c>, recorded in the session header so a replay rebuilds the same evaluator.
/// </summary>
/// <remarks>
/// The file is read, hashed (SHA-256) and parsed once, when the factory is built; <see cref="Create"/> only maps the
/// universe's symbols to the session's ids. <see cref="FromConfiguration"/> (the catalog's parser) reads the file again
/// and refuses it when its SHA-256 differs from the recorded one. Immutable; thread-safe.
/// </remarks>
public sealed class TriangleEvaluatorFactory : EvaluatorFactory
{
    /// <summary>The catalog key.</summary>
    public const string FactoryName = TriangleEvaluator.EvaluatorName;

    /// <summary>Reads, hashes and parses <paramref name="exchangeInfoPath"/>.</summary>
    /// <param name="exchangeInfoPath">A Binance spot exchangeInfo JSON file.</param>
    /// <param name="takerFeeBps">Taker fee, bps (see <see cref="TriangleEvaluator"/>).</param>
    /// <param name="minEdgeBps">The least edge emitted, bps.</param>
    /// <param name="expectedSha256">When not null, the file's SHA-256 (lower-case hex) it must have.</param>
    /// <exception cref="EvaluatorConfigurationException">The file cannot be read or parsed, its hash differs, or a
    /// number is out of range.</exception>
    public TriangleEvaluatorFactory(string exchangeInfoPath, double takerFeeBps = 10, double minEdgeBps = 0, string? expectedSha256 = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchangeInfoPath);
        ExchangeInfoPath = Path.GetFullPath(exchangeInfoPath);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(ExchangeInfoPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new EvaluatorConfigurationException($"cannot read the exchangeInfo file {ExchangeInfoPath}: {e.Message}", e);
        }

        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (expectedSha256 is not null && !string.Equals(expectedSha256, Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new EvaluatorConfigurationException(
                $"the exchangeInfo file {ExchangeInfoPath} changed since the session ran (SHA-256 {Sha256}, recorded {expectedSha256}): the triangle universe would differ.");
        }

        try
        {
            ExchangeInfo = ExchangeInfoParser.Parse(bytes);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            throw new EvaluatorConfigurationException($"{ExchangeInfoPath} is not an exchangeInfo response: {e.Message}", e);
        }

        if (ExchangeInfo.Market != Market.Spot)
        {
            throw new EvaluatorConfigurationException($"{ExchangeInfoPath} is a futures exchangeInfo: triangles are evaluated over spot symbols.");
        }

        try
        {
            // Checks the fee and threshold once, here, rather than in every session's Create.
            _ = new TriangleEvaluator(new TriangleUniverse([]), new SymbolTable(1).Freeze(), takerFeeBps, minEdgeBps);
        }
        catch (ArgumentException e)
        {
            throw new EvaluatorConfigurationException(e.Message, e);
        }

        TakerFeeBps = takerFeeBps;
        MinEdgeBps = minEdgeBps;
        Universe = new TriangleUniverse(ExchangeInfo.TradingInstruments());
    }

    /// <inheritdoc/>
    public override string Name => FactoryName;

    /// <inheritdoc/>
    public override string Configuration => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["exchange_info"] = ExchangeInfoPath,
        ["sha256"] = Sha256,
        ["taker_fee_bps"] = TakerFeeBps,
        ["min_edge_bps"] = MinEdgeBps,
    });

    /// <summary>The exchangeInfo file, full path.</summary>
    public string ExchangeInfoPath { get; }

    /// <summary>Its SHA-256, lower-case hex.</summary>
    public string Sha256 { get; }

    /// <summary>The parsed response.</summary>
    public ExchangeInfo ExchangeInfo { get; }

    /// <summary>The triangles of its TRADING symbols (shared by every evaluator this factory creates; immutable).</summary>
    public TriangleUniverse Universe { get; }

    /// <summary>Taker fee, bps.</summary>
    public double TakerFeeBps { get; }

    /// <summary>The least edge emitted, bps.</summary>
    public double MinEdgeBps { get; }

    /// <summary>The catalog's parser: a factory from a recorded <see cref="Configuration"/>.</summary>
    /// <param name="configuration">The recorded JSON.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="EvaluatorConfigurationException">The JSON lacks a field, or the file is gone or changed.</exception>
    public static TriangleEvaluatorFactory FromConfiguration(string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        using var document = JsonDocument.Parse(configuration);
        var root = document.RootElement;
        if (!root.TryGetProperty("exchange_info", out var path) || !root.TryGetProperty("sha256", out var sha)
            || !root.TryGetProperty("taker_fee_bps", out var fee) || !root.TryGetProperty("min_edge_bps", out var minEdge))
        {
            throw new EvaluatorConfigurationException($"a triangles configuration needs exchange_info, sha256, taker_fee_bps and min_edge_bps: {configuration}");
        }

        return new TriangleEvaluatorFactory(path.GetString()!, fee.GetDouble(), minEdge.GetDouble(), sha.GetString());
    }

    /// <inheritdoc/>
    public override Evaluator Create(SymbolTable symbols) => new TriangleEvaluator(Universe, symbols, TakerFeeBps, MinEdgeBps);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Configuration}");
}
