using System.CommandLine;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
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
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = "Test API keys for the WebSocket API, one per line: <apiKey> hmac <secret> | ed25519 <base64 raw public key or PEM file> | rsa <PEM file>" };
        var orderLatency = new Option<int>("--order-latency-ms") { Description = "Order-entry latency: ms between a WebSocket API request's arrival and its effect (default 0)", DefaultValueFactory = _ => 0 };
        var orderFaults = new Option<string?>("--order-faults") { Description = "Order fault script: kind@N[=arg] or kind@cid:ID, kinds drop, delay, unknown, unknown-not-placed, disconnect, disconnect-not-placed, 429, 418" };
        var format = FormatOption();
        var command = new Command("simulate", "Serve recordings as Binance combined streams + REST depth snapshots on 127.0.0.1 until the data ends.")
        {
            data, market, port, pace, faults, apiKeyFile, orderLatency, orderFaults, format,
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

            IReadOnlyList<OrderFault> orderScript;
            IReadOnlyList<SimulatorApiKey> keys = [];
            try
            {
                orderScript = OrderFault.ParseScript(parse.GetValue(orderFaults));
                if (parse.GetValue(apiKeyFile) is { } keyPath)
                {
                    keys = SimulatorApiKey.ReadFile(keyPath);
                }
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            var latencyMs = parse.GetValue(orderLatency);
            if (latencyMs < 0)
            {
                throw new UsageException($"--order-latency-ms must be 0 or more, not {latencyMs}");
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
                ApiKeys = keys,
                OrderEntryLatency = TimeSpan.FromMilliseconds(latencyMs),
                OrderFaults = orderScript,
            });
            try
            {
                simulator.StartAsync().GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new IOException($"cannot listen on 127.0.0.1:{portValue}: {e.Message}", e);
            }

            output.WriteLine($"simulator: streams {simulator.StreamBaseAddress.ToString().TrimEnd('/')}/stream?streams=…, REST {simulator.RestBaseAddress.ToString().TrimEnd('/')}, pace {paceValue}; WebSocket API {simulator.StreamBaseAddress.ToString().TrimEnd('/')}{simulator.TradingPath} ({keys.Count} test keys); the replay starts with the first market-data connection");
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
            var exchange = simulator.ExchangeStatistics;
            output.WriteLine($"exchange: {exchange.Requests:N0} requests, {exchange.OrdersReceived:N0} orders received, {exchange.OrdersAccepted:N0} accepted, {exchange.OrdersRejected:N0} rejected, {exchange.Fills:N0} fills, {exchange.DuplicateClientOrderIds} duplicate client order ids, {exchange.SignatureFailures} signature failures, {exchange.Faults} order faults");
            return Success;
        });
        return command;
    }
}
