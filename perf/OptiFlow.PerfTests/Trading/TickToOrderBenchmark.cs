using System.Globalization;
using System.Text.Json;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Hosting.Trading;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;
using OptiFlow.Engine.Telemetry;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Trading;

/// <summary>
/// Tick-to-order over loopback (issue 18): the simulator replays the demo recording (Binance USDⓈ-M BTCUSDT) on a
/// loopback port and is the exchange; a live session (client → inbound ring → core with the OBI maker → outbound ring →
/// order gateway → <see cref="BinanceOrderVenue"/>, HMAC-signed requests) trades against it. Reports, per run, the
/// gateway's histograms: frame received → order bytes written to the socket, and the stages between (core decision and
/// ring hops, risk, encode + sign, send). The core and the gateway are pinned to their own CPUs when given.
/// </summary>
/// <remarks>Everything runs in one process on the same machine (simulator, receive thread, core, gateway, journal-less):
/// on a 2-vCPU VM the simulator and the receive thread share the two CPUs with the pinned threads.</remarks>
internal static class TickToOrderBenchmark
{
    private const string ApiKey = "perf-key";
    private const string Secret = "perf-secret";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(string[] args)
    {
        var runs = 3;
        var pace = "x5";
        int? coreCpu = 0;
        int? gatewayCpu = 1;
        var threshold = 0.2;
        string? json = null;
        var recording = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", "OptiFlow.Cli", "Data", "btcusdt_20230404.dat.gz");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pace": pace = args[++i]; break;
                case "--core-cpu": coreCpu = args[++i] == "none" ? null : int.Parse(args[i], CultureInfo.InvariantCulture); break;
                case "--gateway-cpu": gatewayCpu = args[++i] == "none" ? null : int.Parse(args[i], CultureInfo.InvariantCulture); break;
                case "--threshold": threshold = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--recording": recording = args[++i]; break;
                case "--json": json = args[++i]; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: tick-to-order [--runs N] [--pace xN|original] [--core-cpu N|none] [--gateway-cpu N|none] [--threshold OBI] [--recording FILE] [--json PATH]");
                    return 2;
            }
        }

        if (!SimulatorPace.TryParse(pace, out var simulatorPace))
        {
            Console.Error.WriteLine($"--pace: '{pace}' is not original, xN or max");
            return 2;
        }

        recording = Path.GetFullPath(recording);
        Console.WriteLine($"machine: {MachineInfo.Read()}");
        Console.WriteLine($"tick-to-order over loopback: {recording}, pace {pace}, OBI maker threshold {threshold}, core CPU {coreCpu?.ToString(CultureInfo.InvariantCulture) ?? "not pinned"}, gateway CPU {gatewayCpu?.ToString(CultureInfo.InvariantCulture) ?? "not pinned"}, {runs} runs");
        var results = new List<Dictionary<string, object>>();
        for (var run = 1; run <= runs; run++)
        {
            var stages = RunOnce(recording, simulatorPace, coreCpu, gatewayCpu, threshold).GetAwaiter().GetResult();
            Console.WriteLine($"run {run}:");
            Console.WriteLine($"  {"stage",-38} {"count",7} {"p50",10} {"p90",10} {"p99",10} {"max",12}  (ns)");
            var row = new Dictionary<string, object> { ["run"] = run };
            foreach (var (key, h) in stages.All)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {h.Name,-38} {h.TotalCount,7:N0} {h.ValueAtPercentile(50),10:N0} {h.ValueAtPercentile(90),10:N0} {h.ValueAtPercentile(99),10:N0} {h.Max,12:N0}"));
                row[key] = new Dictionary<string, long>
                {
                    ["count"] = h.TotalCount,
                    ["p50"] = h.ValueAtPercentile(50),
                    ["p90"] = h.ValueAtPercentile(90),
                    ["p99"] = h.ValueAtPercentile(99),
                    ["max"] = h.Max,
                };
            }

            results.Add(row);
        }

        if (json is not null)
        {
            File.WriteAllText(json, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "tick-to-order",
                ["machine"] = MachineInfo.Read(),
                ["recording"] = recording,
                ["pace"] = pace,
                ["core_cpu"] = coreCpu?.ToString(CultureInfo.InvariantCulture) ?? "none",
                ["gateway_cpu"] = gatewayCpu?.ToString(CultureInfo.InvariantCulture) ?? "none",
                ["runs"] = results,
            }, Indented));
        }

        return 0;
    }

    private static async Task<TickToOrderStages> RunOnce(string recording, SimulatorPace pace, int? coreCpu, int? gatewayCpu, double threshold)
    {
        var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [recording],
            Market = Market.Futures,
            Pace = pace,
            ApiKeys = [SimulatorApiKey.Hmac(ApiKey, Secret)],
        });
        await simulator.StartAsync();
        try
        {
            var filters = ExchangeInfoParser.ParseFile(Path.Combine(Path.GetDirectoryName(recording)!, "demo-filters.json"));
            var client = new MarketDataClientOptions
            {
                Venue = BinanceVenue.UsdmFutures,
                Symbols = ["btcusdt"],
                Streams = ["bookTicker", "depth@0ms", "trade"],
                StreamBaseAddress = simulator.StreamBaseAddress,
                FinishOnRecordingEnd = true,
            };
            var options = EngineOptions.ForLive() with
            {
                CoreCpu = coreCpu,
                CoreWaitStrategy = coreCpu is null ? WaitStrategyKind.Yielding : WaitStrategyKind.BusySpin,
                DrainTimeout = TimeSpan.FromSeconds(30),
                Evaluators = [new ObiMakerFactory(new ObiMakerOptions { Threshold = threshold, Quantity = FixedPoint.Scale / 100, Limits = new StrategyLimits { CooldownMs = 0, MaxOpenOrders = 1_000, MaxNotional = long.MaxValue / 4 } })],
                Trading = new TradingOptions
                {
                    Mode = TradingMode.Simulator,
                    GatewayCpu = gatewayCpu,
                    GatewayWaitStrategy = gatewayCpu is null ? WaitStrategyKind.Yielding : WaitStrategyKind.BusySpin,
                    VenueFactory = (symbols, market) => new BinanceOrderVenue(new OrderVenueOptions
                    {
                        Market = market,
                        Credentials = ApiCredentials.FromHmacSecret(ApiKey, Secret),
                        Symbols = symbols,
                        ApiUri = new Uri(simulator.StreamBaseAddress, simulator.TradingPath),
                        FuturesUserDataUri = new Uri(simulator.StreamBaseAddress, "/private/ws"),
                    }),
                }.WithExchangeInfo(filters),
            };
            using var session = EngineSession.ForLive(client, options);
            session.Start();
            session.RunLive(TimeSpan.FromMinutes(10), CancellationToken.None);
            var result = session.Stop();
            return result.Trading!.Fault is { } fault ? throw new InvalidOperationException("gateway failed", fault) : result.Trading.Stages;
        }
        finally
        {
            await simulator.StopAsync();
        }
    }
}
