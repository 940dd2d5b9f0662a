using System.CommandLine;
using OptiFlow.Cli.Operations;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow run</c>: the whole path on any recording, with the journal and the replay check.</summary>
internal static class RunCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var market = MarketOption();
        var journal = JournalOption("Journal directory: new, empty, or an OptiFlow journal with --overwrite (default: a new private folder under ~/.local/state/optiflow, kept and printed)");
        var overwrite = OverwriteOption();
        var coreCpu = CoreCpuOption();
        var wait = WaitStrategyOption();
        var journalWait = JournalWaitStrategyOption();
        var journalPlacement = JournalPlacementOption();
        var latencySample = LatencySampleOption();
        var format = FormatOption();
        var files = FilesArgument();
        // Live (issue 7): --venue instead of FILE; --market stays required for FILE, optional (futures) for --venue sim.
        market.Required = false;
        files.Arity = ArgumentArity.ZeroOrMore;
        var venue = new Option<string?>("--venue") { Description = "Run live instead of on FILE: binance-spot, binance-futures or sim (needs --endpoint)" };
        var symbols = new Option<string?>("--symbols") { Description = "Live: comma-separated symbols, e.g. btcusdt,ethusdt" };
        var streams = new Option<string?>("--streams") { Description = "Live: stream suffixes (default bookTicker,depth@100ms,aggTrade; sim: bookTicker,depth@100ms,trade,aggTrade)" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Live: stream base address override, e.g. ws://127.0.0.1:PORT (REST is derived)" };
        var bookOut = new Option<string?>("--book-out") { Description = "Live: write what 'optiflow book' prints to this file" };
        var signalsOut = new Option<string?>("--signals-out") { Description = "Live: write what 'optiflow signals' prints to this file" };
        var seconds = new Option<double?>("--seconds") { Description = "Live: stop after this many seconds" };
        var maxFailedAttempts = new Option<int?>("--max-failed-attempts")
        {
            Description = "Live: give up (exit 4) after this many failed connection attempts in a row (default 10; 0: never give up)",
        };
        var report = ReportOption();
        var strategies = new StrategyOptions();
        var trade = new TradeOptions();
        var operations = new OperationsOptions(live: true);
        var command = new Command("run", "Run decode → ring → core ∥ journal on recordings, then replay the journal and compare; or run live with --venue.")
        {
            market, format, coreCpu, journal, overwrite, wait, journalWait, journalPlacement, latencySample, files, venue, symbols, streams, endpoint, bookOut, signalsOut, seconds, maxFailedAttempts, report,
        };
        foreach (var option in strategies.All.Concat(trade.All).Concat(operations.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var evaluators = strategies.Factories(parse);
            if (parse.GetValue(venue) is { } venueName)
            {
                // Live runs idle cheaply unless told otherwise: the core blocks (no CPU while no data, woken in tens of
                // µs), the other consumers sleep (tuning.md, "Wait strategies for live runs").
                var liveWait = parse.GetResult(wait) is { Implicit: false } ? ParseWait(parse.GetValue(wait)) : EngineOptions.LiveCoreWaitStrategy;
                var liveOthers = ParseOptionalWait(parse.GetValue(journalWait), "--journal-wait-strategy") ?? EngineOptions.LiveConsumerWaitStrategy;
                var liveOperations = operations.Parse(parse, live: true);
                return LiveRun.Run(
                    output,
                    error,
                    new LiveRunRequest(venueName, parse.GetValue(market), parse.GetValue(symbols), parse.GetValue(streams), parse.GetValue(endpoint), parse.GetValue(bookOut), parse.GetValue(signalsOut), parse.GetValue(seconds), parse.GetValue(maxFailedAttempts), CheckReport(parse.GetValue(report))),
                    CheckedSessionOptions("run", parse.GetValue(journal), parse.GetValue(overwrite), parse.GetValue(coreCpu), liveWait, liveOthers) with
                    {
                        JournalPlacement = ParseJournalPlacement(parse.GetValue(journalPlacement)),
                        LatencySampleInterval = ParseLatencySample(parse.GetValue(latencySample), everyEventByDefault: true), // live: every event unless given
                        Evaluators = evaluators,
                        Trading = trade.Options(
                            parse,
                            parse.GetValue(market) is { } m ? ParseMarket(m) : Market.Futures,
                            strategies.ExchangeInfoFile(parse),
                            liveVenue: venueName,
                            streamEndpoint: RecordCommand.LiveVenue(venueName, parse.GetValue(endpoint)).Endpoint),
                    },
                    liveOperations);
            }

            if (parse.GetValue(files) is not { Length: > 0 })
            {
                throw new UsageException("give at least one recording FILE, or --venue to run live. Run 'optiflow run --help' for usage.");
            }

            if (parse.GetValue(market) is null)
            {
                throw new UsageException("Option '--market' is required with FILE.");
            }

            // Everything is validated (options, input files, the journal directory) before anything is created.
            var fileOperations = operations.Parse(parse, live: false);
            var marketValue = ParseMarket(parse.GetValue(market));
            var waitKind = ParseWait(parse.GetValue(wait));
            var journalWaitKind = ParseOptionalWait(parse.GetValue(journalWait), "--journal-wait-strategy");
            SessionOptions(parse.GetValue(journal), parse.GetValue(coreCpu), waitKind, journalWaitKind).Validate();
            if (parse.GetValue(journal) is { } given)
            {
                Journal.JournalDirectories.RequireWritable(given, parse.GetValue(overwrite));
            }

            var reportDirectory = CheckReport(parse.GetValue(report));
            var input = SessionInput(parse.GetValue(format), parse.GetValue(files), marketValue);
            var trading = trade.Options(parse, marketValue, strategies.ExchangeInfoFile(parse));
            var options = CheckedSessionOptions("run", parse.GetValue(journal), parse.GetValue(overwrite), parse.GetValue(coreCpu), FileRunWait(parse, wait, trading is not null), journalWaitKind) with
            {
                Evaluators = evaluators,
                Trading = trading,
                JournalPlacement = ParseJournalPlacement(parse.GetValue(journalPlacement)),
                LatencySampleInterval = ParseLatencySample(parse.GetValue(latencySample), everyEventByDefault: trading is not null),
            };
            using var running = RunOperations.Start(fileOperations, error); // binds --metrics-port first: a port in use creates nothing
            return RunAndReplay(output, error, input, options, reportDirectory, "run", operations: running);
        });
        return command;
    }
}
