using NUnit.Framework;
using OptiFlow.Engine.Hosting;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// Decode → publish → core ∥ journal over real frames allocates nothing in steady state on any of the three threads
/// (two, with the journal on the core's thread), measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> on
/// each thread from frame/event 10,000 to the end.
/// Reading the journal back (its market events as delta records, with and without read-ahead) allocates nothing either.
/// </summary>
[TestFixture]
[Category("Data")]
[NonParallelizable]
public sealed class PipelineAllocationTests
{
    /// <summary>Start-up allocates the ring (8 MiB), symbol states and buffers; steady state allocates nothing.</summary>
    private const long NoGcBudgetBytes = 200L * 1024 * 1024;

    private const int LargeSegmentSize = 256 * 1024 * 1024;
    private const int SmallSegmentSize = 1024 * 1024;
    private const int SteadyStateAfter = 10_000;

    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures, JournalPlacement.OwnThread)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures, JournalPlacement.CoreThread)]
    [TestCase("hftbacktest/examples/spot/ethusdt_20240808", Market.Spot, JournalPlacement.OwnThread)]
    [TestCase("hftbacktest/examples/spot/ethusdt_20240808", Market.Spot, JournalPlacement.CoreThread)]
    [TestCase("hftbacktest/examples/cm/btcusd_perp_20240808.gz", Market.Futures, JournalPlacement.OwnThread)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20230405.dat.gz", Market.Futures, JournalPlacement.OwnThread)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20230405.dat.gz", Market.Futures, JournalPlacement.CoreThread)]
    public void ShouldAllocateNothingOnProducerCoreOrJournal_WhenInSteadyState(string recording, Market market, JournalPlacement placement)
    {
        // Arrange / Act
        var (result, _) = RunWithoutGc(recording, market, journalLinger: null, placement: placement);

        // Assert
        Assert.That(result.Frames, Is.GreaterThan(20_000), "enough real frames after the warm-up");
        Assert.Multiple(() =>
        {
            Assert.That(result.JournalOnCoreThread, Is.EqualTo(placement == JournalPlacement.CoreThread));
            Assert.That(result.JournalRecords, Is.GreaterThanOrEqualTo(result.PublishedSlots), "every published slot journaled");
            Assert.That(result.ProducerSteadyStateBytes, Is.Zero, "producer thread (read, decode, claim, publish)");
            Assert.That(result.Core.SteadyStateAllocatedBytes, Is.Zero, "core thread");
            Assert.That(result.JournalSteadyStateBytes, Is.Zero, "journal thread");
        });
    }

    [Test]
    public void ShouldAllocateNothingOnTheJournalThread_WhenItLingers()
    {
        // Arrange / Act: every journal batch short of the whole ring (65,536 slots) waits up to 2 µs for more.
        var (result, _) = RunWithoutGc("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures, journalLinger: (1 << 16, 2000));

        // Assert
        Assert.That(result.Frames, Is.GreaterThan(20_000), "enough real frames after the warm-up");
        Assert.Multiple(() =>
        {
            Assert.That(result.JournalLingerCount, Is.GreaterThan(0), "the journal processor lingered");
            Assert.That(result.JournalSteadyStateBytes, Is.Zero, "journal thread");
            Assert.That(result.JournalFaults, Is.Zero);
            Assert.That(result.JournalRecords, Is.GreaterThanOrEqualTo(result.PublishedSlots), "every published slot journaled");
            Assert.That(result.Core.SteadyStateAllocatedBytes, Is.Zero, "core thread");
        });
    }

    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures, JournalPlacement.OwnThread)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20240808", Market.Futures, JournalPlacement.CoreThread)]
    [TestCase("hftbacktest/examples/usdm/btcusdt_20230405.dat.gz", Market.Futures, JournalPlacement.OwnThread)]
    public void ShouldAllocateNothingOnTheJournalThread_WhenSegmentsRollInTheWindow(string recording, Market market, JournalPlacement placement)
    {
        // Arrange / Act: 1 MiB segments (~16,600 events each on the largest recording, whose 532,923 events journal as
        // 33.6 MB of mostly delta records): the journal rolls many times inside the steady-state
        // window; each next segment is prepared in the background and the roll only writes its header.
        var (result, segmentFiles) = RunWithoutGc(recording, market, journalLinger: null, segmentSize: SmallSegmentSize, placement: placement);

        // Assert
        var windowBytes = result.JournalBytes * (result.JournalRecords - SteadyStateAfter) / result.JournalRecords; // market events are deltas of ~64 bytes, not 160
        Assert.That(windowBytes, Is.GreaterThan(3L * SmallSegmentSize), "the window spans several segment rolls");
        Assert.Multiple(() =>
        {
            Assert.That(segmentFiles, Is.GreaterThan(3), "segment files written");
            Assert.That(result.JournalSteadyStateBytes, Is.Zero, "journal thread");
            Assert.That(result.JournalFaults, Is.Zero);
            Assert.That(result.Core.SteadyStateAllocatedBytes, Is.Zero, "core thread");
            Assert.That(result.ProducerSteadyStateBytes, Is.Zero, "producer thread");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ShouldAllocateNothingOnTheReadingThread_WhenReadingRealDeltaRecords(bool readAhead)
    {
        // Arrange: the largest recording journaled into one segment, its market events as MarketEventDelta records
        using var temp = new TempDirectory("alloc-read");
        var journal = temp.File("journal");
        var run = HostedRun.Run(Market.Futures, [RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808")],
            new EngineOptions { JournalDirectory = journal, JournalSegmentSize = LargeSegmentSize });
        using var reader = new JournalReader(journal, new JournalReaderOptions { ReadAhead = readAhead });
        long warmUp = 0;
        while (warmUp < SteadyStateAfter && reader.TryRead(out _))
        {
            warmUp++; // maps the segment; the first records compile the path
        }

        // Act
        long records = 0;
        long priceSum = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (reader.TryRead(out var record))
        {
            if (record.Type == JournalRecordType.MarketEvent)
            {
                priceSum += record.MarketEvent.Price; // the event put back together is read
            }

            records++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, $"bytes allocated reading {records:N0} records");
            Assert.That(records, Is.GreaterThan(500_000), "real records after the warm-up");
            Assert.That(priceSum, Is.Not.Zero);
            Assert.That(run.JournalBytes, Is.LessThan(run.JournalRecords * 100), "mostly deltas: whole market event records are 160 bytes");
        });
    }

    private static (SessionResult Result, int SegmentFiles) RunWithoutGc(string recording, Market market, (int BatchSize, long Nanoseconds)? journalLinger, int segmentSize = LargeSegmentSize, JournalPlacement placement = JournalPlacement.Auto)
    {
        // By default segments larger than the journal, so no segment roll falls in the window.
        var file = RecordingData.Require(recording);
        using var temp = new TempDirectory("alloc");

        // The symbols' first pass reads the whole recording: done before the window, as a session's configuration.
        var input = RecordingInput.Open([file], Adapters.Binance.Recording.RecordingFormat.Auto, market);

        // No GC may run inside the window, or the count lies (see NoGcRegion).
        var result = NoGcRegion.Run(NoGcBudgetBytes, () => HostedRun.Run(input, new EngineOptions
        {
            JournalDirectory = temp.File("journal"),
            JournalSegmentSize = segmentSize,
            SteadyStateAfter = SteadyStateAfter,
            JournalLinger = journalLinger,
            JournalPlacement = placement,
        }));

        return (result, Directory.GetFiles(temp.File("journal"), "*.seg").Length);
    }
}
