using NUnit.Framework;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// Decode → publish → core ∥ journal over real frames allocates nothing in steady state on any of the three threads,
/// measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> on each thread from frame/event 10,000 to the end.
/// </summary>
[TestFixture]
[Category("Data")]
public sealed class PipelineAllocationTests
{
    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures)]
    [TestCase("hftbacktest/examples/spot/ethusdt_20240808", Market.Spot)]
    [TestCase("hftbacktest/examples/cm/btcusd_perp_20240808.gz", Market.Futures)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20230405.dat.gz", Market.Futures)]
    public void ShouldAllocateNothingOnProducerCoreOrJournal_WhenInSteadyState(string recording, Market market)
    {
        // Arrange: segments larger than the journal, so no segment roll (which opens a file) falls in the window.
        var file = RecordingData.Require(recording);
        using var temp = new TempDirectory("alloc");

        // Act
        var result = RecordingSession.Run(new SessionOptions
        {
            Market = market,
            Files = [file],
            JournalDirectory = temp.File("journal"),
            JournalSegmentSize = 256 * 1024 * 1024,
            SteadyStateAfter = 10_000,
        });

        // Assert
        Assert.That(result.Frames, Is.GreaterThan(20_000), "enough real frames after the warm-up");
        Assert.Multiple(() =>
        {
            Assert.That(result.ProducerSteadyStateBytes, Is.Zero, "producer thread (read, decode, claim, publish)");
            Assert.That(result.Core.SteadyStateAllocatedBytes, Is.Zero, "core thread");
            Assert.That(result.JournalSteadyStateBytes, Is.Zero, "journal thread");
        });
    }
}
