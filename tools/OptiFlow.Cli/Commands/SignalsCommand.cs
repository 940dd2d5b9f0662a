using System.CommandLine;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Hosting.Output;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow signals</c>: one CSV row per applied depth message, printed by an outbound consumer (<see cref="SignalCsvPrinter"/>).</summary>
internal static class SignalsCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var market = MarketOption();
        var format = FormatOption();
        var files = FilesArgument();
        var command = new Command("signals", "Print one CSV row per applied depth message: top of book, mid, OBI over 1/5/10 levels, weighted mid.")
        {
            market, format, files,
        };
        command.SetAction(parse =>
        {
            var marketValue = ParseMarket(parse.GetValue(market));
            var input = SessionInput(parse.GetValue(format), parse.GetValue(files), marketValue);
            using var stdout = Console.OpenStandardOutput();
            using var buffer = new Utf8OutputBuffer(output == Console.Out ? stdout : new TextWriterStream(output));
            var result = RunPrinting(input, new SignalCsvPrinter(buffer, input.Symbols), views: null);
            buffer.ThrowIfFailed("standard output");
            return ReportDataErrorsOnly(result, error);
        });
        return command;
    }
}
