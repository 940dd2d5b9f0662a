using System.CommandLine;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow demo</c>: the main job on the recording shipped with the tool.</summary>
internal static class DemoCommand
{
    public static Command Build(TextWriter output)
    {
        var journal = JournalOption("Journal directory (default: a new folder under the system temp directory)");
        var coreCpu = CoreCpuOption();
        var wait = WaitStrategyOption();
        var journalWait = JournalWaitStrategyOption();
        var command = new Command("demo", "Run the whole path on the recording shipped with OptiFlow (Binance USDⓈ-M BTCUSDT, 2023-04-04), journal it, replay the journal and compare.")
        {
            journal, coreCpu, wait, journalWait,
        };
        command.SetAction(parse =>
        {
            var file = DemoRecording;
            if (!File.Exists(file))
            {
                throw new UsageException($"the demo recording is missing from the installation: {file}");
            }

            var options = SessionOptions(
                parse.GetValue(journal) ?? DefaultJournal("demo"),
                parse.GetValue(coreCpu),
                ParseWait(parse.GetValue(wait)),
                ParseOptionalWait(parse.GetValue(journalWait), "--journal-wait-strategy"));
            var input = RecordingInput.Open([file], Adapters.Binance.Recording.RecordingFormat.Hftbacktest, Market.Futures);
            output.WriteLine("OptiFlow demo: Binance USDⓈ-M BTCUSDT, 2023-04-04 23:58:20 – 2023-04-05 00:00:00 UTC, recorded by hftbacktest (MIT)");
            output.WriteLine();
            return RunAndReplay(output, input, options);
        });
        return command;
    }
}
