using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Generation;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow generate spot --exchange-info FILE --out FILE.gz [--seed N] [--frames N] [--symbols N] [--mispricings N]
/// [--mispricing-bps X] [--mispricing-frames N]</c>: a synthetic multi-symbol spot bookTicker recording over the real
/// universe of an exchangeInfo, with injected mispricings listed in <c>FILE.gz.mispricings.jsonl</c>
/// (<see cref="SpotUniverseGenerator"/> does the work; this only parses and prints).
/// </summary>
internal static class GenerateCommand
{
    private const int LeftOutShown = 20;

    public static Command Build(TextWriter output)
    {
        var command = new Command("generate", "Generate synthetic recordings: spot (bookTicker over a real exchangeInfo universe, with injected mispricings).");
        command.Subcommands.Add(BuildSpot(output));
        return command;
    }

    private static Command BuildSpot(TextWriter output)
    {
        var defaults = new SpotUniverseGeneratorOptions();
        var exchangeInfo = new Option<string>("--exchange-info") { Description = "A spot exchangeInfo JSON (the body of GET /api/v3/exchangeInfo)", Required = true };
        var outFile = new Option<string>("--out") { Description = "The recording to write (gzip when it ends in .gz); the sidecar goes to FILE.mispricings.jsonl", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed and options give the same file", DefaultValueFactory = _ => defaults.Seed };
        var frames = new Option<int>("--frames") { Description = "Number of bookTicker frames", DefaultValueFactory = _ => defaults.FrameCount };
        var symbols = new Option<int?>("--symbols") { Description = "Most symbols (default: every TRADING symbol of an asset triangle); fewer are taken among the most connected assets" };
        var mispricings = new Option<int>("--mispricings") { Description = "Number of injected mispricings", DefaultValueFactory = _ => defaults.MispricingCount };
        var mispricingBps = new Option<double>("--mispricing-bps") { Description = "Shift of a mispriced quote, bps (must beat 3 taker fees of 10 bps plus spreads)", DefaultValueFactory = _ => defaults.MispricingBps };
        var mispricingFrames = new Option<int>("--mispricing-frames") { Description = "Frames a mispricing lasts before the fair quote is written again", DefaultValueFactory = _ => defaults.MispricingFrames };
        var command = new Command("spot", "Spot bookTicker frames (hftbacktest lines, combined-stream JSON) over the TRADING symbols of asset triangles, with seeded mispricings.")
        {
            exchangeInfo, outFile, seed, frames, symbols, mispricings, mispricingBps, mispricingFrames,
        };
        command.SetAction(parse =>
        {
            var exchangeInfoPath = parse.GetValue(exchangeInfo)!;
            var outPath = parse.GetValue(outFile)!;
            var options = new SpotUniverseGeneratorOptions
            {
                Seed = parse.GetValue(seed),
                FrameCount = parse.GetValue(frames),
                MaxSymbols = parse.GetValue(symbols),
                MispricingCount = parse.GetValue(mispricings),
                MispricingBps = parse.GetValue(mispricingBps),
                MispricingFrames = parse.GetValue(mispricingFrames),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException(OptionMessage(e));
            }

            if (!File.Exists(exchangeInfoPath))
            {
                throw new UsageException($"--exchange-info file not found: {exchangeInfoPath}");
            }

            ExchangeInfo info;
            try
            {
                info = ExchangeInfoParser.ParseFile(exchangeInfoPath);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new UsageException($"--exchange-info {exchangeInfoPath} is not an exchangeInfo: {e.Message}");
            }

            SpotUniverseGenerator generator;
            try
            {
                generator = new SpotUniverseGenerator(info, options);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--exchange-info {exchangeInfoPath}: {e.Message}");
            }

            var clock = Stopwatch.StartNew();
            var summary = generator.GenerateFile(outPath);
            clock.Stop();
            Print(output, summary, options, outPath, clock.Elapsed);
            return OptiFlowCommand.Success;
        });
        return command;
    }

    private static string OptionMessage(ArgumentOutOfRangeException e)
    {
        var option = e.ParamName switch
        {
            nameof(SpotUniverseGeneratorOptions.FrameCount) => "--frames",
            nameof(SpotUniverseGeneratorOptions.MaxSymbols) => "--symbols",
            nameof(SpotUniverseGeneratorOptions.MispricingCount) => "--mispricings",
            nameof(SpotUniverseGeneratorOptions.MispricingBps) => "--mispricing-bps",
            nameof(SpotUniverseGeneratorOptions.MispricingFrames) => "--mispricing-frames",
            _ => e.ParamName,
        };
        var message = e.Message;
        var parameter = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return $"{option}: {(parameter < 0 ? message : message[..parameter])}";
    }

    private static void Print(TextWriter output, SpotGenerationSummary summary, SpotUniverseGeneratorOptions options, string outPath, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"generated {outPath}: {summary.Frames:N0} bookTicker frames in {elapsed.TotalSeconds:F1} s, seed {options.Seed}"));
        output.WriteLine(string.Create(c, $"universe: {summary.Symbols.Count:N0} symbols ({summary.SymbolsWritten:N0} with frames) of the {summary.TriangleSymbols:N0} TRADING symbols in a triangle ({summary.TradingSymbols:N0} TRADING); {summary.TrianglesCovered:N0} of {summary.Triangles:N0} triangles covered"));
        output.WriteLine(string.Create(c, $"left out: {summary.LeftOut.Count}"));
        for (var i = 0; i < summary.LeftOut.Count && i < LeftOutShown; i++)
        {
            output.WriteLine($"  {summary.LeftOut[i].Symbol}: {summary.LeftOut[i].Reason}");
        }

        if (summary.LeftOut.Count > LeftOutShown)
        {
            output.WriteLine(string.Create(c, $"  … and {summary.LeftOut.Count - LeftOutShown} more"));
        }

        output.WriteLine(string.Create(c, $"mispricings: {summary.Mispricings.Count} injected ({summary.MispricingsSkipped} skipped: no triangle gained after fees), ±{options.MispricingBps} bps for {options.MispricingFrames} frames → {SpotUniverseGenerator.SidecarPath(outPath)}"));
        output.WriteLine(string.Create(c, $"background: best triangle edge after {options.TakerFeeBps} bps taker fees {summary.MaxBackgroundEdgeBps:F2} bps; largest mid inconsistency around a triangle {summary.MaxBackgroundDeviationBps:F2} bps"));
    }
}
