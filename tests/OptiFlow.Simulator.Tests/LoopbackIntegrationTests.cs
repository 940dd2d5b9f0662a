using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Simulator.Tests.Support;

namespace OptiFlow.Simulator.Tests;

/// <summary>The demo recording streamed through the in-process simulator (127.0.0.1, ephemeral port) into the live client
/// ends with exactly the books of the file run.</summary>
[TestFixture]
[NonParallelizable]
public sealed class LoopbackIntegrationTests
{
    private MarketCore _fileCore = null!;

    [OneTimeSetUp]
    public void RunFileMode() => _fileCore = FileRun.Run(DemoRecording.Path, Market.Futures, new SymbolTable());

    [Test]
    public async Task ShouldEndWithFileRunBooks_WhenRecordingStreamsThroughSimulator()
    {
        // Arrange: the file run is the reference (one-time set-up).

        // Act
        var live = await LiveRun.RunAsync();

        // Assert
        var file = _fileCore.Symbols[0];
        var state = live.Core.StateOf(0)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.Finished, Is.True, "the client finished within the bound");
            Assert.That(live.Client.Completion, Is.EqualTo(MarketDataClientCompletion.RecordingEnded));
            Assert.That(live.Core.BooksDigest(), Is.EqualTo(_fileCore.BooksDigest()), "books digest");
            Assert.That(state.LastAppliedUpdateId, Is.EqualTo(file.LastAppliedUpdateId));
            Assert.That(state.Applied, Is.EqualTo(file.Applied), "applied depth messages (synced at the recorded snapshot)");
            Assert.That(live.Core.SignalCount, Is.EqualTo(_fileCore.SignalCount), "signals (their ring sequences differ, so digests do not compare)");
            Assert.That(state.Book.Bids.PriceAt(0), Is.EqualTo(file.Book.Bids.PriceAt(0)));
            Assert.That(state.Book.Asks.PriceAt(0), Is.EqualTo(file.Book.Asks.PriceAt(0)));
            Assert.That(state.Gaps, Is.Zero);
            Assert.That(live.Client.Counters[0].Gaps, Is.Zero);
            Assert.That(live.Client.Counters[0].Resyncs, Is.EqualTo(1));
            Assert.That(live.Core.DecodeErrors, Is.Zero);
            Assert.That(live.Client.Frames, Is.EqualTo(live.Simulator.Statistics.Sent), "every frame sent was received");
        }
    }

    [Test]
    public async Task ShouldNotAllocatePerMessage_WhenReceiveLoopDecodesRealFrames()
    {
        // Arrange + Act: as fast as the client reads, so nearly every receive completes from the buffer.
        var live = await RunInNoGcRegionAsync(SimulatorPace.Max);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.Client.ReceiveSteadyStateCollections, Is.Zero, "collections during the window (measurement exact only without)");
            Assert.That(live.Client.ReceiveSteadyStateFrames, Is.GreaterThan(5000), "frames inside the measured window");
            Assert.That(live.Client.ReceiveSteadyStateOwnAllocatedBytes, Is.Zero, "bytes allocated by the receive loop itself (decode, chain check, publish)");
            Assert.That(live.Client.ReceiveSteadyStateAllocatedBytes, Is.Zero, "bytes allocated by the receive thread, WebSocket receive included");
        }
    }

    [Test]
    public async Task ShouldNotAllocatePerMessage_WhenFramesArriveOneByOne()
    {
        // Arrange + Act: paced at 20 × the recording's own timing (about 5 s), so the thread waits for many frames, as
        // against Binance. Through ClientWebSocket this run allocated 250 to 425 KB inside ReceiveAsync (584 B on part
        // of the receives that waited; MarketDataClient.ReceiveSteadyStateReceiveCallBytes remarks).
        var live = await RunInNoGcRegionAsync(SimulatorPace.Times(20));

        // Assert
        var client = live.Client;
        await TestContext.Out.WriteLineAsync(
            $"receive thread, steady state: {client.ReceiveSteadyStateFrames} frames, {client.ReceiveSteadyStateWaitingReceives} receives waited for data, "
            + $"{client.ReceiveSteadyStateAllocatedBytes} B allocated, of which {client.ReceiveSteadyStateReceiveCallBytes} B inside WebSocket.ReceiveAsync");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.ReceiveSteadyStateCollections, Is.Zero, "collections during the window (measurement exact only without)");
            Assert.That(client.ReceiveSteadyStateFrames, Is.GreaterThan(5000));
            Assert.That(client.ReceiveSteadyStateWaitingReceives, Is.GreaterThan(0), "paced: receives waited for data");
            Assert.That(client.ReceiveSteadyStateOwnAllocatedBytes, Is.Zero, "the loop's own allocation");
            Assert.That(client.ReceiveSteadyStateReceiveCallBytes, Is.Zero, "inside WebSocket.ReceiveAsync, waits included");
        }
    }

    private static async Task<LiveRunResult> RunInNoGcRegionAsync(SimulatorPace pace)
    {
        // The receive thread measures its own allocation from frame 2000 to its last frame. The simulator runs in this
        // process and allocates per frame; a collection it triggers would charge the rest of the receive thread's
        // allocation context to that thread, so the run happens inside a no-GC region.
        if (!GC.TryStartNoGCRegion(200L * 1024 * 1024))
        {
            Assert.Inconclusive("the runtime refused a 200 MiB no-GC region");
        }

        try
        {
            var live = await LiveRun.RunAsync(pace: pace);
            Assert.That(live.Finished, Is.True, "the client finished within the bound");
            return live;
        }
        finally
        {
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }
}
