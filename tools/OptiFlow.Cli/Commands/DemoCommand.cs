using System.CommandLine;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
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
            if (evaluators.Count == 0 && trading is not null)
            {
                // The card's default: a maker on the order-book imbalance, quoting 0.01 BTC (above Binance's minimum notional).
                evaluators = [new ObiMakerFactory(new ObiMakerOptions { Threshold = 0.3, Quantity = FixedPoint.Scale / 100, Limits = new StrategyLimits { CooldownMs = 200 } })];
            }

            var options = CheckedSessionOptions("demo", given, parse.GetValue(overwrite), parse.GetValue(coreCpu), waitKind, journalWaitKind) with { Evaluators = evaluators, Trading = trading };
            var directory = options.JournalDirectory!;
            output.WriteLine("OptiFlow demo: Binance USDⓈ-M BTCUSDT, 2023-04-04 23:58:20 – 2023-04-05 00:00:00 UTC, recorded by hftbacktest (MIT)");
            output.WriteLine();
            var finished = false;
            try
            {
                var exit = RunAndReplay(output, error, input, options, reportDirectory, "demo");
                finished = exit != IoFailure;
                return exit;
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
        });
        return command;
    }
}
