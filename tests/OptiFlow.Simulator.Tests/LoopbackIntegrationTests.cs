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
    public void RunFileMode() => _fileCore = FileRun.Run(DemoRecording.Path, Market.Futures);

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
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
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
    public async Task ShouldStreamOverTlsAndEndWithFileRunBooks_WhenTheSimulatorServesWss()
    {
        // Arrange: a self-signed certificate for 127.0.0.1; the simulator serves wss:// and https:// with it, and the
        // client pins it (the system trust store does not know it).
        using var certificate = SelfSignedLoopbackCertificate();

        // Act
        var live = await LiveRun.RunAsync(certificate: certificate);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.Simulator.StreamBaseAddress.Scheme, Is.EqualTo("wss"));
            Assert.That(live.Simulator.RestBaseAddress.Scheme, Is.EqualTo("https"));
            Assert.That(live.Finished, Is.True, "the client finished within the bound");
            Assert.That(live.Client.Completion, Is.EqualTo(MarketDataClientCompletion.RecordingEnded));
            Assert.That(live.Client.Counters[0].Resyncs, Is.EqualTo(1), "the REST snapshot came over https");
            Assert.That(live.Client.Counters[0].SnapshotFailures, Is.Zero);
            Assert.That(live.Core.BooksDigest(), Is.EqualTo(_fileCore.BooksDigest()), "books digest");
            Assert.That(live.Client.Frames, Is.EqualTo(live.Simulator.Statistics.Sent), "every frame sent was received");
        }
    }

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
    public void ShouldRefuseAnUntrustedCertificate_WhenNothingIsPinned()
    {
        // Arrange
        using var certificate = SelfSignedLoopbackCertificate();
        var pinned = new MarketDataClientOptions { Venue = BinanceVenue.UsdmFutures, Symbols = ["btcusdt"], TrustedServerCertificate = certificate };
        var unpinned = new MarketDataClientOptions { Venue = BinanceVenue.UsdmFutures, Symbols = ["btcusdt"] };
        using var other = SelfSignedLoopbackCertificate();
        const System.Net.Security.SslPolicyErrors untrusted = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;

        // Act / Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unpinned.AcceptServerCertificate(certificate, untrusted), Is.False, "self-signed, not pinned");
            Assert.That(pinned.AcceptServerCertificate(certificate, untrusted), Is.True, "the pinned certificate");
            Assert.That(pinned.AcceptServerCertificate(other, untrusted), Is.False, "another self-signed certificate");
            Assert.That(unpinned.AcceptServerCertificate(certificate, System.Net.Security.SslPolicyErrors.None), Is.True, "system-trusted");
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        // Kestrel needs the private key in a form it can use: round-trip through PKCS#12.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    [Test]
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
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
    [Retry(3)] // a live run over loopback sockets at max pace races the start-up snapshot (see SimulatorFaultTests): retried, never relaxed
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
