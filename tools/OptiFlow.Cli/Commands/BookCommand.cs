using System.CommandLine;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Hosting.Output;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow book</c>: books as JSON lines, printed by an outbound consumer (<see cref="BookJsonPrinter"/>).</summary>
internal static class BookCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var market = MarketOption();
        var depth = new Option<int>("--depth") { Description = "Levels per side to print", DefaultValueFactory = _ => 20 };
        var every = new Option<long>("--every") { Description = "Print after every N-th applied depth message of a symbol (0: only at the end)", DefaultValueFactory = _ => 0 };
        var format = FormatOption();
        var files = FilesArgument();
        var command = new Command("book", "Print books as JSON lines: after every N-th applied depth message, and once at the end of each symbol's stream.")
        {
            market, format, depth, every, files,
        };
        command.SetAction(parse =>
        {
            var depthValue = parse.GetValue(depth);
            var everyValue = parse.GetValue(every);
            if (depthValue < 1)
            {
                throw new UsageException("--depth must be at least 1");
            }

            if (everyValue < 0)
            {
                throw new UsageException("--every must be 0 or more");
            }

            var marketValue = ParseMarket(parse.GetValue(market));
            var input = SessionInput(parse.GetValue(format), parse.GetValue(files), marketValue);
            using var stdout = Console.OpenStandardOutput();
            using var buffer = new Utf8OutputBuffer(output == Console.Out ? stdout : new TextWriterStream(output));
            var printer = new BookJsonPrinter(buffer, input.Symbols, depthValue, everyValue);
            var result = RunPrinting(input, printer, printer.Policy);
            printer.WriteFinal(result.Core);
            buffer.ThrowIfFailed("standard output");
            return ReportDataErrorsOnly(result, error);
        });
        return command;
    }
}
