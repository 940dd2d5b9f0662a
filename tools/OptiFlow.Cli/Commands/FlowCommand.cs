using System.CommandLine;
using System.Globalization;
using System.Text;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Hosting.Output;
using OptiFlow.Engine.Model;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow flow --bucket-volume V [--window N] FILE...</c>: VPIN over equal-volume buckets of a recording's trades:
/// the recording runs through an engine session whose core feeds a <see cref="Engine.Evaluators.VpinEvaluator"/>
/// (<see cref="VpinEvaluatorFactory"/>), and an outbound consumer (<see cref="VpinCsvPrinter"/>) prints its records; a
/// JSON summary line on standard error.
/// </summary>
internal static class FlowCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var bucketVolume = new Option<string>("--bucket-volume")
        {
            Description = "Bucket volume V in base units (a decimal with at most 8 decimals, > 0), e.g. 10 or 0.5",
            Required = true,
        };
        var window = new Option<int>("--window")
        {
            Description = "Buckets N per VPIN window (>= 1); a row is printed for every bucket from each symbol's N-th on",
            DefaultValueFactory = _ => 50,
        };
        var market = new Option<string?>("--market")
        {
            Description = "futures or spot (default: detected from the first depthUpdate; give it for a recording of trades only)",
        };
        var format = FormatOption();
        var files = FilesArgument();
        var command = new Command(
            "flow",
            "Print VPIN per equal-volume bucket of trades as CSV (symbol,bucket,E,buy_volume,sell_volume,vpin): trades from `trade` frames, "
            + "aggressor side from m (true = sell), buckets of exactly V base units per symbol (a trade that overfills one is split), "
            + "vpin = sum of |buy - sell| over the last N buckets / (N*V). Futures trades whose X is not MARKET (insurance fund, ADL) are skipped "
            + "and counted. aggTrade frames are skipped and counted: they re-report the trade stream's fills (both streams would count each fill "
            + "twice) and carry no X. A JSON summary goes to standard error.")
        {
            bucketVolume, window, market, format, files,
        };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(bucketVolume)!;
            if (FixedPoint.TryParse(Encoding.UTF8.GetBytes(text.Trim()), out var volume) != FixedPointParseStatus.Ok || volume <= 0)
            {
                throw new UsageException($"--bucket-volume must be a positive decimal with at most 8 decimals, not '{text}'");
            }

            var n = parse.GetValue(window);
            if (n < 1)
            {
                throw new UsageException($"--window must be at least 1, not {n}");
            }

            var marketText = parse.GetValue(market);
            Market? marketValue = marketText is null ? null : ParseMarket(marketText);
            var checkedFiles = CheckFiles(parse.GetValue(files));
            var input = RecordingInput.Open(checkedFiles, ParseFormat(parse.GetValue(format)), marketValue);
            using var stdout = Console.OpenStandardOutput();
            using var buffer = new Utf8OutputBuffer(output == Console.Out ? stdout : new TextWriterStream(output));
            var factory = new VpinEvaluatorFactory(volume, n);
            var printer = new VpinCsvPrinter(buffer, input.Symbols);
            SessionResult result;
            using (var session = EngineSession.ForRecording(input, new EngineOptions { OutboundHandlers = [printer], Evaluators = [factory] }))
            {
                session.Start();
                session.PublishRecording();
                result = session.Stop();
            }

            buffer.ThrowIfFailed("standard output");
            var vpin = factory.Created!;
            var status = result.Evaluators.Count > 0 ? result.Evaluators[0] : null;
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"trades\":{vpin.Trades},\"skipped\":{{\"non_market_trades\":{vpin.NonMarketTrades},\"agg_trades\":{vpin.AggTrades}}},\"buckets\":{vpin.Buckets},\"rows\":{printer.Rows},\"symbols\":{result.Symbols.Count},\"decode_errors\":{result.Core.DecodeErrors},\"damaged_inputs\":{result.DamagedInputs.Count},\"bucket_volume\":\"{FixedPoint.ToString(volume)}\",\"window\":{n}}}"));
            if (status?.Fault is { } fault)
            {
                error.WriteLine($"optiflow: the vpin evaluator failed at inbound sequence {status.FaultSequence}: {fault.GetType().Name}: {fault.Message}");
                return DataErrors;
            }

            return result.Core.DecodeErrors > 0 || result.DamagedInputs.Count > 0 ? DataErrors : Success;
        });
        return command;
    }
}
