using System.CommandLine;
using OptiFlow.Cli.Output;
using OptiFlow.Cli.Replay;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Model;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow run</c>: the whole path on any recording, with the journal and the replay check.</summary>
internal static class RunCommand
{
    public static Command Build(TextWriter output)
    {
        var market = MarketOption();
        var journal = JournalOption("Journal directory (default: a new folder under the system temp directory)");
        var coreCpu = CoreCpuOption();
        var wait = WaitStrategyOption();
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
        var command = new Command("run", "Run decode → ring → core ∥ journal on recordings, then replay the journal and compare; or run live with --venue.")
        {
            market, format, coreCpu, journal, wait, files, venue, symbols, streams, endpoint, bookOut, signalsOut, seconds,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(venue) is { } venueName)
            {
                return RunLive(parse, output, venueName, market, symbols, streams, endpoint, bookOut, signalsOut, seconds, coreCpu, wait, journal);
            }

            if (parse.GetValue(files) is not { Length: > 0 })
            {
                throw new UsageException("give at least one recording FILE, or --venue to run live. Run 'optiflow run --help' for usage.");
            }

            if (parse.GetValue(market) is null)
            {
                throw new UsageException("Option '--market' is required with FILE.");
            }

            var marketValue = ParseMarket(parse.GetValue(market));
            var input = SessionInput(parse.GetValue(format), parse.GetValue(files));
            return RunAndReplay(
                output,
                marketValue,
                input.Files,
                parse.GetValue(journal) ?? DefaultJournal("run"),
                parse.GetValue(coreCpu),
                ParseWait(parse.GetValue(wait)),
                input.Format);
        });
        return command;
    }

    private static int RunLive(
        ParseResult parse,
        TextWriter output,
        string venueName,
        Option<string> market,
        Option<string?> symbols,
        Option<string?> streams,
        Option<string?> endpoint,
        Option<string?> bookOut,
        Option<string?> signalsOut,
        Option<double?> seconds,
        Option<int?> coreCpu,
        Option<string> wait,
        Option<string?> journal)
    {
        var (venue, uri) = RecordCommand.LiveVenue(venueName, parse.GetValue(endpoint));
        var isSim = venueName.Equals("sim", StringComparison.OrdinalIgnoreCase);
        if (isSim && parse.GetValue(market) is { } m && ParseMarket(m) == Market.Spot)
        {
            venue = Adapters.Binance.Streaming.BinanceVenue.Spot;
        }

        var symbolList = RecordCommand.SplitList(parse.GetValue(symbols));
        if (symbolList.Length == 0)
        {
            throw new UsageException("--venue needs --symbols, e.g. --symbols btcusdt,ethusdt");
        }

        return LiveSession.Run(
            new LiveSessionOptions
            {
                Venue = venue,
                Symbols = symbolList,
                Streams = RecordCommand.SplitList(parse.GetValue(streams) ?? (isSim ? "bookTicker,depth@100ms,trade,aggTrade" : "bookTicker,depth@100ms,aggTrade")),
                Endpoint = uri,
                FinishOnRecordingEnd = isSim,
                BookOut = parse.GetValue(bookOut),
                SignalsOut = parse.GetValue(signalsOut),
                JournalDirectory = parse.GetValue(journal) ?? DefaultJournal("run"),
                CoreCpu = parse.GetValue(coreCpu),
                WaitStrategy = ParseWait(parse.GetValue(wait)),
                Duration = parse.GetValue(seconds) is { } s ? TimeSpan.FromSeconds(s) : null,
            },
            output);
    }
}
