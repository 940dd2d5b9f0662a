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
        var command = new Command("run", "Run decode → ring → core ∥ journal on recordings, then replay the journal and compare.")
        {
            market, format, coreCpu, journal, wait, files,
        };
        command.SetAction(parse =>
        {
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
}
