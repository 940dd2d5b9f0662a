using System.Globalization;
using System.Text.Json;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Evaluators;

/// <summary>Builds a <see cref="VpinEvaluator"/> per session (what <c>optiflow flow</c> runs).</summary>
/// <remarks>
/// Configuration: <c>{"bucketVolume":"V","window":N}</c>, the volume as an exact decimal string. Immutable apart from
/// <see cref="Created"/>, which keeps the last evaluator built so a host can read its counters after the session
/// (set on the thread that builds the session, read after it stopped).
/// </remarks>
/// <param name="bucketVolume">Bucket volume <c>V</c>, 10⁻⁸ base units; positive.</param>
/// <param name="window">Buckets per window <c>N</c>; at least 1.</param>
public sealed class VpinEvaluatorFactory(long bucketVolume, int window) : EvaluatorFactory
{
    /// <summary>The catalog key.</summary>
    public const string FactoryName = "vpin";

    /// <inheritdoc/>
    public override string Name => FactoryName;

    /// <summary>Bucket volume <c>V</c>, 10⁻⁸ base units.</summary>
    public long BucketVolume { get; } = bucketVolume;

    /// <summary>Buckets per window <c>N</c>.</summary>
    public int Window { get; } = window;

    /// <inheritdoc/>
    public override string Configuration =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"bucketVolume\":\"{FixedPoint.ToString(BucketVolume)}\",\"window\":{Window}}}");

    /// <summary>The evaluator the last <see cref="Create"/> built, or null.</summary>
    public VpinEvaluator? Created { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="EvaluatorConfigurationException">The bucket volume or window is out of range.</exception>
    public override Evaluator Create(SymbolTable symbols)
    {
        if (BucketVolume <= 0 || Window < 1)
        {
            throw new EvaluatorConfigurationException($"vpin: the bucket volume must be positive and the window at least 1 (got {BucketVolume} units, {Window}).");
        }

        return Created = new VpinEvaluator(BucketVolume, Window);
    }

    /// <summary>Parses a recorded <see cref="Configuration"/> (the catalog's parser).</summary>
    /// <param name="configuration">The JSON text.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="EvaluatorConfigurationException">The text is not a vpin configuration.</exception>
    public static VpinEvaluatorFactory Parse(string configuration)
    {
        try
        {
            using var json = JsonDocument.Parse(configuration);
            var volumeText = json.RootElement.GetProperty("bucketVolume").GetString() ?? string.Empty;
            var window = json.RootElement.GetProperty("window").GetInt32();
            if (FixedPoint.TryParse(System.Text.Encoding.UTF8.GetBytes(volumeText), out var volume) != FixedPointParseStatus.Ok)
            {
                throw new EvaluatorConfigurationException($"vpin: bucketVolume '{volumeText}' is not a decimal with at most 8 decimals.");
            }

            return new VpinEvaluatorFactory(volume, window);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new EvaluatorConfigurationException($"vpin: cannot read the configuration '{configuration}': {e.Message}");
        }
    }
}
