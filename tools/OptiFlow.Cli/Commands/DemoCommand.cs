using System.CommandLine;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Hosting.Trading;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow demo</c>: the main job on the recording shipped with the tool. Without <c>--journal</c> it journals into
/// a new private directory (<see cref="DefaultJournal"/>) and removes it at the end unless <c>--keep</c>; a journal that
/// failed (I/O) is kept, so what it committed can be verified.
/// </summary>
internal static class DemoCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var journal = JournalOption("Journal directory, kept (default: a new private folder under ~/.local/state/optiflow, removed at the end unless --keep)");
        var overwrite = OverwriteOption();
        var keep = new Option<bool>("--keep") { Description = "Keep the default journal instead of removing it at the end (its path is printed)" };
        var coreCpu = CoreCpuOption();
        var wait = WaitStrategyOption();
        var journalWait = JournalWaitStrategyOption();
        var report = ReportOption();
        var strategies = new StrategyOptions();
        var trade = new TradeOptions();
        var command = new Command(
            "demo",
            "Run the whole card on the recording shipped with OptiFlow (Binance USDⓈ-M BTCUSDT, 2023-04-04): decode, ring, core and journal, the OBI maker "
            + "(by default --obi-maker 0.3 --maker-qty 0.01) trading through the order gateway on the paper venue (--trade paper, Binance's BTCUSDT filters), "
            + "then replay the journal and compare, order commands included. --trade off runs the market-data path alone.")
        {
            journal, overwrite, keep, coreCpu, wait, journalWait, report,
        };
        foreach (var option in strategies.All.Concat(trade.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var file = DemoRecording;
            if (!File.Exists(file))
            {
                throw new UsageException($"the demo recording is missing from the installation: {file}");
            }

            var reportDirectory = CheckReport(parse.GetValue(report));
            var waitKind = ParseWait(parse.GetValue(wait));
            var journalWaitKind = ParseOptionalWait(parse.GetValue(journalWait), "--journal-wait-strategy");
            var input = RecordingInput.Open([file], Adapters.Binance.Recording.RecordingFormat.Hftbacktest, Market.Futures);
            var given = parse.GetValue(journal);
            var evaluators = strategies.Factories(parse);
            var trading = trade.Options(parse, Market.Futures, strategies.ExchangeInfoFile(parse), TradingMode.Paper, DemoFilters);
            var wholeCard = evaluators.Count == 0 && trading is not null;
            if (wholeCard)
            {
                // The card's default: a maker on the order-book imbalance, quoting 0.01 BTC (above Binance's minimum notional).
                evaluators = [new ObiMakerFactory(new ObiMakerOptions { Threshold = 0.3, Quantity = FixedPoint.Scale / 100, Limits = new StrategyLimits { CooldownMs = 200 } })];
            }

            var options = CheckedSessionOptions("demo", given, parse.GetValue(overwrite), parse.GetValue(coreCpu), FileRunWait(parse, wait, trading is not null), journalWaitKind) with { Evaluators = evaluators, Trading = trading };
            var directory = options.JournalDirectory!;
            output.WriteLine("OptiFlow demo: Binance USDⓈ-M BTCUSDT, 2023-04-04 23:58:20 – 2023-04-05 00:00:00 UTC, recorded by hftbacktest (MIT)");
            output.WriteLine();
            var finished = false;
            int exit;
            try
            {
                exit = RunAndReplay(output, error, input, options, reportDirectory, "demo");
                finished = exit != IoFailure;
            }
            finally
            {
                // Kept when the run did not finish (an I/O failure, an engine failure): what it committed is evidence.
                if (given is null && finished && Directory.Exists(directory))
                {
                    if (parse.GetValue(keep))
                    {
                        output.WriteLine($"journal kept: {directory}");
                    }
                    else
                    {
                        Directory.Delete(directory, recursive: true);
                        output.WriteLine("journal removed (demo --keep keeps it; --journal DIR writes it where you say)");
                    }
                }
            }

            return wholeCard && exit == Success
                ? RunTriangles(output, error, options with { JournalDirectory = null, Evaluators = [] }, parse.GetValue(keep))
                : exit;
        });
        return command;
    }

    /// <summary>
    /// The card's second half: a small spot universe generated from the demo's exchangeInfo (14 symbols, 16 triangles,
    /// injected mispricings), the triangle evaluator and taker trading through the gateway on the paper venue, journaled,
    /// replayed and compared. Runs in a private temporary directory, removed at the end unless <paramref name="keep"/>.
    /// </summary>
    private static int RunTriangles(TextWriter output, TextWriter error, EngineOptions template, bool keep)
    {
        var directory = Directory.CreateTempSubdirectory("optiflow-demo-triangles-").FullName;
        var finished = false;
        try
        {
            var exchangeInfoPath = DemoSpotExchangeInfo;
            var exchangeInfo = ExchangeInfoParser.ParseFile(exchangeInfoPath);
            var recording = Path.Combine(directory, "spot-universe.gz");
            var generated = new SpotUniverseGenerator(exchangeInfo, new SpotUniverseGeneratorOptions { Seed = 7, FrameCount = 20_000, MispricingCount = 10 }).GenerateFile(recording);
            output.WriteLine();
            output.WriteLine($"OptiFlow demo, part 2: triangular arbitrage on a generated spot universe ({generated.Symbols.Count} symbols, {generated.Triangles} triangles, {generated.Frames:N0} bookTickers, 10 injected mispricings; seed 7)");
            output.WriteLine();
            var taker = new TriangleTakerOptions { MinEdgeBps = 0 };
            var options = template with
            {
                JournalDirectory = Path.Combine(directory, "journal"),
                Evaluators = [new TriangleEvaluatorFactory(exchangeInfoPath, takerFeeBps: 10, minEdgeBps: 0), new TriangleTakerFactory(taker)],
                Trading = new TradingOptions { Mode = TradingMode.Paper, Matching = new MatchingOptions { MakerFeeBasisPoints = 10, TakerFeeBasisPoints = 10 } }.WithExchangeInfo(exchangeInfo),
            };
            var exit = RunAndReplay(output, error, RecordingInput.Open([recording]), options, report: null, command: "demo", compact: true);
            finished = exit != IoFailure;
            return exit;
        }
        finally
        {
            if (finished && !keep)
            {
                Directory.Delete(directory, recursive: true);
            }
            else
            {
                output.WriteLine($"part 2 kept: {directory}");
            }
        }
    }
}
