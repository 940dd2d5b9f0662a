using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>What one loopback run produced.</summary>
internal sealed record LiveRunResult(MarketCore Core, MarketDataClient Client, BinanceSimulator Simulator, bool Finished, SymbolTable Symbols);

/// <summary>A live run over loopback: simulator in-process on an ephemeral port → client → multi-producer ring → core thread.</summary>
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
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
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
        var symbols = new SymbolTable();
        symbols.GetOrAdd("BTCUSDT"); // the session's symbols are interned at configuration; the client only looks up
        symbols.Freeze();
        var ring = new RingBuffer<MarketEvent>(1 << 16, new YieldingWaitStrategy(), ProducerType.Multi);
        var core = new MarketCore(symbols.Capacity, sink: null, measureLatency: true);
        using var processor = new BatchEventProcessor<MarketEvent, CoreEventHandler>(ring, ring.Sequencer.NewBarrier(), new CoreEventHandler(core));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        var client = new MarketDataClient(
            new MarketDataClientOptions
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
            },
            ring,
            symbols);
        core.SnapshotRequester = client; // before the core's thread starts
        processor.Start("test-core");
        bool finished;
        try
        {
            client.Start();
            finished = await Task.Run(() => client.WaitForCompletion(RunTimeout));
            if (!finished)
            {
                client.Stop();
                client.WaitForCompletion(TimeSpan.FromSeconds(10));
            }

            var target = ring.Cursor.Value;
            for (var i = 0; i < 2000 && processor.Sequence.Value < target; i++)
            {
                await Task.Delay(5);
            }
        }
        finally
        {
            processor.Halt();
            processor.Join(TimeSpan.FromSeconds(10));
            await simulator.StopAsync();
        }

        return new LiveRunResult(core, client, simulator, finished, symbols);
    }
}
