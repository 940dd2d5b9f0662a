using System.IO.Compression;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>
/// Generates a consistent multi-symbol spot bookTicker recording over the real Binance spot universe (an exchangeInfo),
/// with seeded injected mispricings and a sidecar that lists them: test and benchmark data for triangular-arbitrage
/// evaluators, readable by <c>RecordingInput.Open</c> and servable by the loopback simulator.
/// </summary>
/// <remarks>
/// <para><b>Universe.</b> The TRADING symbols that are part of at least one asset triangle (three distinct assets, each
/// pair traded by a TRADING symbol). With <see cref="SpotUniverseGeneratorOptions.MaxSymbols"/>, the symbols among the
/// most connected assets: assets are taken by their number of triangle symbols (most first, then by name), and each
/// brings its symbols to the assets already taken, until the limit. Symbols that then lose their last triangle are
/// dropped.</para>
/// <para><b>Prices.</b> Every asset has a value; a symbol's fair mid is value(base) / value(quote). The initial log-values
/// are the least-squares fit of price ≈ tickSize × <see cref="SpotUniverseGeneratorOptions.TargetPriceTicks"/> over the
/// symbol graph (Binance's ticks are about 10⁻⁴..10⁻⁵ of price, so this puts every quote about 10⁴ ticks above zero); a
/// symbol whose fitted price is below <see cref="SpotUniverseGeneratorOptions.MinPriceTicks"/> or above
/// <see cref="SpotUniverseGeneratorOptions.MaxPriceTicks"/> ticks, within 25 % of its PRICE_FILTER bounds, or whose
/// minimum notional needs more than its maxQty, is left out (<see cref="LeftOut"/>), and the fit is redone without it.
/// The log-values then follow independent random walks of <see cref="SpotUniverseGeneratorOptions.StepBps"/> per frame,
/// sampled when a symbol of the asset is written.</para>
/// <para><b>Frames.</b> Frame n (1-based; also line n) picks a symbol uniformly, puts its bid on the PRICE_FILTER grid
/// (rounded down from mid − spread / 2, grid anchored at minPrice) and its ask <c>spread</c> ticks above (the spread is
/// drawn once per symbol in [MinSpreadTicks, MaxSpreadTicks]), draws the two quantities log-uniformly on the LOT_SIZE
/// grid from the least quantity that meets the NOTIONAL minimum (minQty when that cannot be met) up to 50 times it, and
/// adds 1 to 10 to the symbol's <c>u</c>. Local timestamps are StartTimestampNs + (n − 1) × FrameSpacingNs. Prices and
/// quantities are exact 10⁻⁸ fixed point written with 8 decimals, as Binance writes them.</para>
/// <para><b>Mispricings.</b> Spread evenly over the second half of the frames (so the other legs are known), each one
/// shifts a symbol's mid by ± MispricingBps at frame n (the symbol is drawn until one of its triangles with known legs
/// shows a positive edge after three taker fees; 256 draws at most, else it is skipped and counted), keeps it shifted
/// on any frame of that symbol, and writes the fair quote at frame n + MispricingFrames.</para>
/// <para><b>Determinism.</b> The same exchangeInfo, options and seed give the same bytes: the random numbers are the
/// generator's own xoshiro256**, and exp/ln are computed from IEEE basic operations only, not the platform's libm. The
/// gzip layer is the runtime's zlib, so a compressed file is byte-identical on the same runtime; the uncompressed lines
/// everywhere.</para>
/// <para>Not thread-safe; one generation at a time per instance. Allocates: the universe at construction, the output
/// buffers and the mispricing records while generating.</para>
/// </remarks>
/// <example>
/// <code>
/// var exchangeInfo = ExchangeInfoParser.ParseFile("exchangeInfo.json");
/// var generator = new SpotUniverseGenerator(exchangeInfo, new SpotUniverseGeneratorOptions { Seed = 7, FrameCount = 100_000 });
/// var summary = generator.GenerateFile("spot-universe.gz"); // and spot-universe.gz.mispricings.jsonl
/// </code>
/// </example>
public sealed partial class SpotUniverseGenerator
{
    /// <summary>The sidecar's file name suffix: <c>&lt;recording&gt;.mispricings.jsonl</c>.</summary>
    public const string SidecarSuffix = ".mispricings.jsonl";

    private readonly SpotUniverseGeneratorOptions _options;
    private readonly Universe _universe;

    /// <summary>Builds the universe from a spot exchangeInfo and fits the initial asset values.</summary>
    /// <param name="exchangeInfo">A spot exchangeInfo (<see cref="ExchangeInfoParser"/>).</param>
    /// <param name="options">What to generate; validated here.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The exchangeInfo is not spot, or has no triangle that can be priced.</exception>
    /// <remarks>Allocates the universe; cold.</remarks>
    public SpotUniverseGenerator(ExchangeInfo exchangeInfo, SpotUniverseGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(exchangeInfo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (exchangeInfo.Market != Market.Spot)
        {
            throw new ArgumentException("The generator writes spot bookTicker frames: give a spot exchangeInfo.", nameof(exchangeInfo));
        }

        _options = options;
        _universe = Universe.Build(exchangeInfo, options);
        if (_universe.Symbols.Length < 3)
        {
            throw new ArgumentException(
                $"No asset triangle of the exchangeInfo can be priced: {_universe.TradingSymbols} TRADING symbols, {_universe.TriangleSymbols} in a triangle, {_universe.LeftOut.Length} left out"
                + (_universe.LeftOut.Length > 0 ? $" (e.g. {_universe.LeftOut[0].Symbol}: {_universe.LeftOut[0].Reason})." : "."),
                nameof(exchangeInfo));
        }
    }

    /// <summary>The symbols the recording uses, in the order of the exchangeInfo.</summary>
    public IReadOnlyList<string> Symbols => _universe.SymbolNames;

    /// <summary>Triangle symbols that could not be priced sensibly, or lost their last triangle, with the reason.</summary>
    public IReadOnlyList<LeftOutSymbol> LeftOut => _universe.LeftOut;

    /// <summary>The sidecar path of a recording: <paramref name="recordingPath"/> + <see cref="SidecarSuffix"/>.</summary>
    /// <param name="recordingPath">The recording's path.</param>
    /// <returns>The sidecar's path.</returns>
    public static string SidecarPath(string recordingPath)
    {
        ArgumentNullException.ThrowIfNull(recordingPath);
        return recordingPath + SidecarSuffix;
    }

    /// <summary>
    /// Writes the recording to <paramref name="path"/> (gzip when it ends in <c>.gz</c>) and the sidecar to
    /// <see cref="SidecarPath"/>; both are replaced if they exist.
    /// </summary>
    /// <param name="path">The recording file to write.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be written.</exception>
    public SpotGenerationSummary GenerateFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var sidecar = new FileStream(SidecarPath(path), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 12);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
            return Generate(gzip, sidecar);
        }

        return Generate(file, sidecar);
    }

    /// <summary>
    /// Writes the recording's lines (uncompressed) to <paramref name="recording"/> and, when given, the sidecar's JSON
    /// lines to <paramref name="sidecar"/>. Each call starts again from the seed: calls give the same bytes.
    /// </summary>
    /// <param name="recording">Where the recording's lines go (wrap it in a <see cref="GZipStream"/> for .gz).</param>
    /// <param name="sidecar">Where the sidecar's lines go, or null.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="IOException">A stream cannot be written.</exception>
    public SpotGenerationSummary Generate(Stream recording, Stream? sidecar)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var run = new Run(_universe, _options, recording, sidecar);
        return run.Execute();
    }
}
