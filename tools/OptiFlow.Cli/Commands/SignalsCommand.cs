using System.CommandLine;
using OptiFlow.Cli.Output;
using OptiFlow.Cli.Replay;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Model;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow signals</c>: one CSV row per applied depth message.</summary>
internal static class SignalsCommand
{
    public static Command Build(TextWriter output)
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
            var input = SessionInput(parse.GetValue(format), parse.GetValue(files));
            var symbols = new SymbolTable();
            using var stdout = Console.OpenStandardOutput();
            using var buffer = new Utf8OutputBuffer(output == Console.Out ? stdout : new TextWriterStream(output));
            var sink = new SignalCsvSink(buffer, symbols);
            sink.WriteHeader();
            var result = RecordingSession.Run(new SessionOptions
            {
                Market = marketValue,
                Files = input.Files,
                Format = input.Format,
                Sink = sink,
                Symbols = symbols,
            });
            buffer.Flush();
            return ReportDataErrorsOnly(result);
        });
        return command;
    }
}
