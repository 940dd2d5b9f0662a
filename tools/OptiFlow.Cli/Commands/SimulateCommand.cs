using System.CommandLine;
using OptiFlow.Adapters.Binance.Simulator;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary><c>optiflow simulate</c>: the loopback Binance simulator on its own (127.0.0.1).</summary>
internal static class SimulateCommand
{
    public static Command Build(TextWriter output)
    {
        var data = new Option<string[]>("--data") { Description = "Recordings to serve (any format the engine reads)", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = true };
        var market = new Option<string>("--market") { Description = "futures (default) or spot", DefaultValueFactory = _ => "futures" };
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => 0 };
        var pace = new Option<string>("--pace") { Description = "original, xN (e.g. x10) or max (as fast as clients read)", DefaultValueFactory = _ => "original" };
        var faults = new Option<string?>("--faults") { Description = "Fault script: kind@[stream:]N[=arg],… e.g. drop@depth:50,disconnect@1000,429@1=2" };
        var format = FormatOption();
        var command = new Command("simulate", "Serve recordings as Binance combined streams + REST depth snapshots on 127.0.0.1 until the data ends.")
        {
            data, market, port, pace, faults, format,
        };
        command.SetAction(parse =>
        {
            if (!SimulatorPace.TryParse(parse.GetValue(pace), out var paceValue))
            {
                throw new UsageException("--pace must be original, xN or max");
            }

            IReadOnlyList<SimulatorFault> script;
            try
            {
                script = SimulatorFault.ParseScript(parse.GetValue(faults));
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new UsageException($"--port must be 0 (any free port) to 65535, not {portValue}");
            }

            var input = InputFiles(parse.GetValue(format), parse.GetValue(data));
            var simulator = new BinanceSimulator(new SimulatorOptions
            {
                Files = input.Files,
                Format = input.Format,
                Market = ParseMarket(parse.GetValue(market)),
                Port = portValue,
                Pace = paceValue,
                Faults = script,
            });
            try
            {
                simulator.StartAsync().GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new IOException($"cannot listen on 127.0.0.1:{portValue}: {e.Message}", e);
            }

            output.WriteLine($"simulator: streams {simulator.StreamBaseAddress.ToString().TrimEnd('/')}/stream?streams=…, REST {simulator.RestBaseAddress.ToString().TrimEnd('/')}, pace {paceValue}; the replay starts with the first connection");
            // SIGINT or SIGTERM stop the simulator cleanly (connections closed, statistics printed).
            using var signals = new StopSignals();
            while (!simulator.Completion.IsCompleted && !signals.Token.IsCancellationRequested)
            {
                signals.Token.WaitHandle.WaitOne(200);
            }

            // Let the closing handshakes finish, then stop.
            Thread.Sleep(500);
            simulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var statistics = simulator.Statistics;
            output.WriteLine($"simulator: {statistics.Frames:N0} frames read, {statistics.Sent:N0} sent, {statistics.Connections} connections, {statistics.SnapshotRequests} snapshot requests, {statistics.Faults} faults");
            return Success;
        });
        return command;
    }
}
