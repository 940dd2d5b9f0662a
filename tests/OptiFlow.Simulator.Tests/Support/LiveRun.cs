using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>What one loopback run produced.</summary>
internal sealed record LiveRunResult(MarketCore Core, MarketDataClient Client, BinanceSimulator Simulator, bool Finished, SymbolTable Symbols);

/// <summary>A live run over loopback through the public host: simulator in-process on an ephemeral port → a live
/// <see cref="EngineSession"/> (client → multi-producer ring → core; the core's snapshot requests back through the
/// outbound ring).</summary>
internal static class LiveRun
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(40);

    public static async Task<LiveRunResult> RunAsync(
        string faults = "",
        Action<SimulatorOptions>? unused = null,
        TimeSpan? receiveTimeout = null,
        IReadOnlyList<string>? streams = null,
        bool? splitFuturesRoutes = null,
        TimeProvider? clock = null,
        SimulatorPace? pace = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null,
        string? journal = null)
    {
        _ = unused;
        var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [DemoRecording.Path],
            Market = Market.Futures,
            Pace = pace ?? SimulatorPace.Max,
            Faults = SimulatorFault.ParseScript(faults),
            Certificate = certificate,
        });
        await simulator.StartAsync();
        var clientOptions = new MarketDataClientOptions
        {
            Venue = BinanceVenue.UsdmFutures,
            Symbols = ["btcusdt"],
            Streams = streams ?? DemoRecording.Streams,
            StreamBaseAddress = simulator.StreamBaseAddress,
            FinishOnRecordingEnd = true,
            ReceiveTimeout = receiveTimeout ?? TimeSpan.FromSeconds(10),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            SplitFuturesRoutes = splitFuturesRoutes,
            TimeProvider = clock ?? TimeProvider.System,
            TrustedServerCertificate = certificate,
        };
        var session = EngineSession.ForLive(clientOptions, new EngineOptions { JournalDirectory = journal, DrainTimeout = TimeSpan.FromSeconds(20) });
        MarketDataClientCompletion completion;
        SessionResult result;
        try
        {
            session.Start();
            completion = await Task.Run(() => session.RunLive(RunTimeout, CancellationToken.None));
            result = session.Stop();
        }
        finally
        {
            session.Dispose();
            await simulator.StopAsync();
        }

        // The bound stops the client (Stopped); a run that reached the simulator's end finished on its own.
        var finished = completion is not MarketDataClientCompletion.Stopped;
        return new LiveRunResult(result.Core, session.Client!, simulator, finished, result.Symbols);
    }
}
