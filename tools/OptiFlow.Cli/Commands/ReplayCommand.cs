using System.CommandLine;
using OptiFlow.Cli.Output;
using OptiFlow.Cli.Replay;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Model;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow replay</c>: the same core driven from a journal, compared with the live run.</summary>
internal static class ReplayCommand
{
    public static Command Build(TextWriter output)
    {
        var journal = new Argument<string>("JOURNAL") { Description = "A journal directory written by 'optiflow run' or 'optiflow demo'" };
        var command = new Command("replay", "Drive the same core from a journal and report whether its final books and signal stream equal the live run's.")
        {
            journal,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(journal)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"journal directory not found: {directory}");
            }

            var replay = JournalReplay.Run(directory);
            RunReport.PrintBooks(replay.Core, replay.SymbolName, output);
            output.WriteLine();
            RunReport.PrintReplay(replay, output);
            return replay.Identical ? Success : DataErrors;
        });
        return command;
    }
}
