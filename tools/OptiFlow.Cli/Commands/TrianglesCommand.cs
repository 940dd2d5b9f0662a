using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Hosting.Output;
using OptiFlow.Engine.Model;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow triangles --exchange-info FILE [--taker-fee-bps 10] [--min-edge-bps 0] FILE...</c>: incremental
/// triangular arbitrage over the spot universe of an exchangeInfo file. A session runs the recording through the core
/// with a <see cref="TriangleEvaluator"/> (built by a <see cref="TriangleEvaluatorFactory"/>); a
/// <see cref="TriangleJsonPrinter"/> on the outbound ring prints one JSON line per cycle whose edge reached the
/// threshold; a JSON summary line goes to standard error.
/// </summary>
internal static class TrianglesCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var exchangeInfo = new Option<string>("--exchange-info")
        {
            Description = "A Binance spot exchangeInfo JSON file: its TRADING symbols form the triangles",
            Required = true,
        };
        var fee = new Option<string>("--taker-fee-bps")
        {
            Description = "Taker fee in bps, taken from what each leg receives (0 to below 10000, at most 4 decimals)",
            DefaultValueFactory = _ => "10",
        };
        var minEdge = new Option<string>("--min-edge-bps")
        {
            Description = "Print cycles whose edge is at least this many bps (may be negative)",
            DefaultValueFactory = _ => "0",
        };
        var format = FormatOption();
        var files = FilesArgument();
        var command = new Command("triangles", "Evaluate every triangle of the spot universe on each bookTicker: one JSON line per cycle with edge_bps >= --min-edge-bps, a summary on standard error.")
        {
            exchangeInfo, fee, minEdge, format, files,
        };
        command.SetAction(parse =>
        {
            var feeBps = Number(parse.GetValue(fee), "--taker-fee-bps");
            var minEdgeBps = Number(parse.GetValue(minEdge), "--min-edge-bps");
            var path = parse.GetValue(exchangeInfo);
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new UsageException("--exchange-info needs a file");
            }

            var checkedFiles = CheckFiles(parse.GetValue(files));
            var factory = new TriangleEvaluatorFactory(path, feeBps, minEdgeBps);
            var input = RecordingInput.Open(checkedFiles, ParseFormat(parse.GetValue(format)), Market.Spot, factory.ExchangeInfo.SymbolTableCapacity());
            using var stdout = Console.OpenStandardOutput();
            using var buffer = new Utf8OutputBuffer(output == Console.Out ? stdout : new TextWriterStream(output));
            var printer = new TriangleJsonPrinter(buffer, input.Symbols, factory.Universe);
            SessionResult result;
            using (var session = EngineSession.ForRecording(input, new EngineOptions { OutboundHandlers = [printer], Evaluators = [factory] }))
            {
                session.Start();
                session.PublishRecording();
                result = session.Stop();
            }

            buffer.ThrowIfFailed("standard output");
            var evaluator = (TriangleEvaluator)result.Core.Evaluators!.Evaluators[0];
            error.WriteLine(Summary(result, evaluator));
            var status = result.Evaluators[0];
            if (status.IsQuarantined)
            {
                error.WriteLine($"optiflow: the triangle evaluator failed at inbound sequence {status.FaultSequence}: {status.Fault!.GetType().Name}: {status.Fault.Message}");
                return EngineFailure;
            }

            return ReportDataErrorsOnly(result, error);
        });
        return command;
    }

    /// <summary>The summary line: counts, plan outcomes by reason, and the evaluation time per trigger.</summary>
    internal static string Summary(SessionResult result, TriangleEvaluator evaluator)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("bookTicker_frames", result.Core.EventsOfKind(MarketEventKind.BookTicker));
            json.WriteNumber("triangles", evaluator.Universe.Count);
            json.WriteNumber("instruments", evaluator.Universe.Instruments.Count);
            json.WriteNumber("triggers", evaluator.Triggers);
            json.WriteNumber("evaluations", evaluator.Evaluations);
            json.WriteNumber("opportunities", evaluator.Opportunities);
            json.WriteNumber("executable_plans", evaluator.PlanCount(TrianglePlanStatus.Executable));
            json.WriteStartObject("plan_failures");
            foreach (var status in Enum.GetValues<TrianglePlanStatus>())
            {
                if (status is not (TrianglePlanStatus.None or TrianglePlanStatus.Executable))
                {
                    json.WriteNumber(status.ToString(), evaluator.PlanCount(status));
                }
            }

            json.WriteEndObject();
            var latency = evaluator.EvaluationLatency;
            json.WriteNumber("eval_ns_p50", latency.ValueAtPercentile(50));
            json.WriteNumber("eval_ns_p99", latency.ValueAtPercentile(99));
            json.WriteNumber("eval_ns_max", latency.Max);
            json.WriteNumber("taker_fee_bps", evaluator.TakerFeeBps);
            json.WriteNumber("min_edge_bps", evaluator.MinEdgeBps);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Number(string? text, string option)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new UsageException($"{option} must be a number of basis points, not '{text}'");
        }

        return value;
    }
}
