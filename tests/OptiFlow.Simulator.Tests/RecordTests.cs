using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Cli;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests;

/// <summary>
/// <c>optiflow record</c> and its <see cref="DailyRecordingWriter"/> against the loopback simulator: one gzip file per
/// symbol per UTC day named as hftbacktest's collector names them, read back by the engine's own recording reader as
/// the frames the simulator served; a snapshot line after the resync that follows a dropped connection; a second day
/// file when the clock crosses midnight; a restart that appends; refusals with exit 2.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class RecordTests
{
    /// <summary>Lines of the demo recording each served file keeps (its snapshot is line 17): small enough that the
    /// writer's queue (16,384) can never fill, whatever the machine's speed.</summary>
    private const int ServedLines = 4000;

    private static readonly string[] DefaultStreamKinds = ["@trade", "@bookTicker", "@depth"];

    private TempDirectory _data = null!;
    private string _btc = "";
    private string _eth = "";

    [OneTimeSetUp]
    public void CutServedFiles()
    {
        _data = new TempDirectory("record-data");
        _btc = _data.File("btcusdt_served.gz");
        _eth = _data.File("ethusdt_served.gz");
        var lines = ReadLines(DemoRecording.Path).Take(ServedLines).ToList();
        WriteLines(_btc, lines);
        WriteLines(_eth, lines.Select(l => l.Replace("btcusdt", "ethusdt", StringComparison.Ordinal).Replace("BTCUSDT", "ETHUSDT", StringComparison.Ordinal)));
    }

    [OneTimeTearDown]
    public void DeleteServedFiles() => _data.Dispose();

    [Test]
    public async Task ShouldWriteOneGzipFilePerSymbolHoldingTheServedFrames_WhenRecordingTwoSymbols()
    {
        // Arrange
        await using var simulator = new BinanceSimulator(new SimulatorOptions { Files = [_btc, _eth], Market = Market.Futures });
        await simulator.StartAsync();
        using var output = new TempDirectory("record-two");

        // Act
        var result = await CliRun.RunAsync("record", "--venue", "sim", "--endpoint", simulator.StreamBaseAddress.ToString(), "--symbols", "btcusdt,ETHUSDT", "--out", output.Path);

        // Assert
        var files = Directory.GetFiles(output.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var btcFiles = DayFiles(output.Path, "btcusdt");
        var ethFiles = DayFiles(output.Path, "ethusdt");
        var btc = ReadBack(btcFiles);
        var eth = ReadBack(ethFiles);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.Success), result.Error);
            Assert.That(files, Has.All.Match(DayFileName()), "only <symbol>_<yyyymmdd>.gz files, lower case, and no lock file left");
            Assert.That(btcFiles, Has.Length.InRange(1, 2), "one file (two if the run crossed midnight)");
            Assert.That(ethFiles, Has.Length.InRange(1, 2));
            Assert.That(btcFiles.Concat(ethFiles), Has.All.Matches<string>(IsGzip), "gzip magic 1f 8b");
            Assert.That(btc.Frames, Is.EqualTo(ServedFrames(_btc, "btcusdt")), "btcusdt: the frames served, in order, byte for byte");
            Assert.That(eth.Frames, Is.EqualTo(ServedFrames(_eth, "ethusdt")), "ethusdt: the frames served, in order, byte for byte");
            Assert.That(btc.Frames.Count + eth.Frames.Count, Is.EqualTo(simulator.Statistics.Sent), "every frame the simulator sent was written");
            Assert.That(btc.Snapshots, Has.Count.GreaterThanOrEqualTo(1).And.All.StartsWith("{\"lastUpdateId\""), "the start-up snapshot, as the bare REST body");
            Assert.That(eth.Snapshots, Has.Count.GreaterThanOrEqualTo(1).And.All.StartsWith("{\"lastUpdateId\""));
            Assert.That(btc.TimestampDigits, Is.EquivalentTo(new[] { 19 }), "local timestamps in ns, as hftbacktest's collector writes");
            Assert.That(result.Output, Does.Contain("; 0 dropped (queue full), 0 naming no recorded symbol"));
        }
    }

    [Test]
    [Retry(3)] // a scripted disconnect at max pace races the reconnect's snapshot (see SimulatorFaultTests): retried, never relaxed
    public async Task ShouldWriteTheResyncSnapshotAfterTheReconnect_WhenTheServerDropsTheConnection()
    {
        // Arrange
        await using var simulator = new BinanceSimulator(new SimulatorOptions
        {
            Files = [_btc],
            Market = Market.Futures,
            Faults = SimulatorFault.ParseScript("disconnect@3000"),
        });
        await simulator.StartAsync();
        using var output = new TempDirectory("record-disconnect");

        // Act
        var result = await CliRun.RunAsync("record", "--venue", "sim", "--endpoint", simulator.StreamBaseAddress.ToString(), "--symbols", "btcusdt", "--out", output.Path);

        // Assert
        var files = DayFiles(output.Path, "btcusdt");
        var back = ReadBack(files);
        var replay = ReplayThroughTheEngine(files);
        var lost = LostAfter().Match(result.Error);
        var firstConnectionFrames = lost.Success ? int.Parse(lost.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.Success), result.Error);
            Assert.That(result.Output, Does.Contain("feed: 2 connects, 1 drops"), "one drop, one reconnect");
            Assert.That(result.Output, Does.Contain(", 2 resyncs,"), "start-up + reconnect");
            Assert.That(back.Snapshots, Has.Count.EqualTo(2), "a snapshot line after each resync");
            Assert.That(back.FramesBeforeSnapshot, Has.Count.EqualTo(2));
            Assert.That(firstConnectionFrames, Is.GreaterThan(0), "the client's log names the frames of the lost connection");
            Assert.That(back.FramesBeforeSnapshot[0], Is.LessThan(firstConnectionFrames), "the start-up snapshot comes during the first connection");
            Assert.That(back.FramesBeforeSnapshot[1], Is.GreaterThanOrEqualTo(firstConnectionFrames), "the second comes after every frame of the lost connection");
            Assert.That(LastUpdateId(back.Snapshots[1]), Is.GreaterThan(LastUpdateId(back.Snapshots[0])), "a fresh snapshot, not the first again");
            Assert.That(replay.DecodeErrors, Is.Zero, "the engine reads every line of the recording");
            Assert.That(replay.StateOf(0)!.SyncState, Is.EqualTo(BookSyncState.Live), "replayed, the recording ends with its book synced");
        }
    }

    [Test]
    public async Task ShouldRollToTheNextDayFile_WhenTheClockCrossesUtcMidnight()
    {
        // Arrange: 1 ms per clock read from 23:59:58, so the 2,000th line crosses midnight.
        var clock = new MidnightClock(new DateTimeOffset(2026, 12, 31, 23, 59, 58, TimeSpan.Zero));
        await using var simulator = new BinanceSimulator(new SimulatorOptions { Files = [_btc], Market = Market.Futures });
        await simulator.StartAsync();
        using var output = new TempDirectory("record-midnight");
        IReadOnlyList<DailyRecordingFile> written;
        long dropped;
        using (var writer = new DailyRecordingWriter(output.Path, ["btcusdt"], new DailyRecordingOptions { Clock = clock }))
        {
            var client = new MarketDataClientOptions
            {
                Venue = BinanceVenue.UsdmFutures,
                Symbols = ["btcusdt"],
                Streams = ["trade", "bookTicker", "depth@100ms"],
                StreamBaseAddress = simulator.StreamBaseAddress,
                FinishOnRecordingEnd = true,
                RawFeed = writer,
            };

            // Act
            using (var session = EngineSession.ForLive(client))
            {
                session.Start();
                await Task.Run(() => session.RunLive(LiveRun.RunTimeout, CancellationToken.None));
                session.Stop();
            }

            Assert.That(writer.Complete(TimeSpan.FromSeconds(30)), Is.True, "the writer finished");
            written = writer.Files;
            dropped = writer.Dropped;
        }

        // Assert
        var before = Path.Combine(output.Path, "btcusdt_20261231.gz");
        var after = Path.Combine(output.Path, "btcusdt_20270101.gz");
        var midnightNs = (new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        var first = ReadBack([before]);
        var second = ReadBack([after]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.GetFiles(output.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "btcusdt_20261231.gz", "btcusdt_20270101.gz" }));
            Assert.That(first.Stamps, Has.All.LessThan(midnightNs), "the old day's file holds only lines stamped before midnight");
            Assert.That(second.Stamps[0], Is.GreaterThanOrEqualTo(midnightNs), "the new day's file starts at midnight");
            Assert.That(first.Frames.Concat(second.Frames), Is.EqualTo(ServedFrames(_btc, "btcusdt")), "nothing lost or repeated at the roll");
            Assert.That(first.Frames, Is.Not.Empty);
            Assert.That(second.Frames, Is.Not.Empty);
            Assert.That(written.Select(f => (f.Path, f.Lines)), Is.EqualTo(new[] { (before, (long)first.Lines), (after, (long)second.Lines) }), "the writer's own account");
            Assert.That(dropped, Is.Zero);
        }
    }

    [Test]
    public void ShouldAppendAGzipMember_WhenARestartedRecorderFindsTodaysFile()
    {
        // Arrange
        using var output = new TempDirectory("record-append");
        var clock = new MidnightClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(output.Path, "btcusdt_20260601.gz");
        string[] frames =
        [
            "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1}}",
            "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":2}}",
            "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":3}}",
        ];

        // Act
        Record(output.Path, clock, frames[..2]);
        var firstRun = File.ReadAllBytes(path);
        var restarted = Record(output.Path, clock, frames[2..]);

        // Assert
        var back = ReadBack([path]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(back.Frames, Is.EqualTo(frames), "both runs' lines, in order, read through both gzip members");
            Assert.That(restarted.Single().Appended, Is.True);
            var bytes = File.ReadAllBytes(path);
            Assert.That(bytes[..firstRun.Length], Is.EqualTo(firstRun), "the first run's member is untouched");
            Assert.That(bytes[firstRun.Length..(firstRun.Length + 2)], Is.EqualTo(new byte[] { 0x1f, 0x8b }), "a new gzip member starts right after it");
        }
    }

    [Test]
    public void ShouldRefuseToAppend_WhenTodaysFileWasCutByAKilledRecorder()
    {
        // Arrange: a member without its trailer, as a recorder killed before closing leaves it.
        using var output = new TempDirectory("record-cut");
        var clock = new MidnightClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Record(output.Path, clock, ["{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1}}"]);
        var path = Path.Combine(output.Path, "btcusdt_20260601.gz");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^8]);

        // Act + Assert: ethusdt first, so a writer that opened files before checking them all would leave one.
        Assert.That(
            () => new DailyRecordingWriter(output.Path, ["ethusdt", "btcusdt"], new DailyRecordingOptions { Clock = clock }),
            Throws.TypeOf<RecordingDirectoryException>().With.Message.StartsWith($"{path}: the day file exists and is damaged"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes[..^8]), "the damaged file is left as it was");
        Assert.That(Directory.GetFiles(output.Path), Is.EqualTo(new[] { path }), "nothing else written, the lock released");
    }

    [Test]
    public void ShouldRefuseTheDirectory_WhenAnotherRecorderWritesThere()
    {
        // Arrange
        using var output = new TempDirectory("record-locked");
        using var first = new DailyRecordingWriter(output.Path, ["btcusdt"]);

        // Act + Assert
        Assert.That(
            () => new DailyRecordingWriter(output.Path, ["ethusdt"]),
            Throws.TypeOf<RecordingDirectoryException>().With.Message.StartsWith($"{output.Path}: another recorder is writing there"));
    }

    [Test]
    public void ShouldNotAllocate_WhenAReceiveThreadHandsAFrameOver()
    {
        // Arrange: a 3 KB depth frame, larger than a slot's first buffer; 64 warm-up runs grow all 16 slots.
        using var output = new TempDirectory("record-alloc");
        using var writer = new DailyRecordingWriter(output.Path, ["btcusdt"], new DailyRecordingOptions { QueueCapacity = 16 });
        var frame = Encoding.UTF8.GetBytes("{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"b\":[" + string.Join(',', Enumerable.Repeat("[\"28145.10\",\"3.818\"]", 150)) + "]}}");
        Assert.That(frame, Has.Length.GreaterThan(3000));

        // Act
        var allocated = AllocationAssert.ShouldNotAllocate(() => writer.OnFrame(frame), warmUpRuns: 64);

        // Assert
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void ShouldStopWritingAndNameTheFile_WhenTheDiskIsFull()
    {
        // Arrange: today's file is /dev/full, which refuses every write with ENOSPC.
        Assume.That(File.Exists("/dev/full"), "needs /dev/full (Linux)");
        using var output = new TempDirectory("record-full");
        var clock = new MidnightClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(output.Path, "btcusdt_20260601.gz");
        File.CreateSymbolicLink(path, "/dev/full");
        var frame = Encoding.UTF8.GetBytes("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1}}");
        using var writer = new DailyRecordingWriter(output.Path, ["btcusdt"], new DailyRecordingOptions { Clock = clock, FlushInterval = TimeSpan.Zero });

        // Act: each frame is flushed at the end of its batch, so the first write reaches the device.
        writer.OnFrame(frame);
        BoundedWait.Until(() => writer.Failure is not null, TimeSpan.FromSeconds(10), () => "the writer never reported the failed write");
        writer.OnFrame(frame);
        writer.Complete(TimeSpan.FromSeconds(10));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writer.Failure!.Message, Does.StartWith($"cannot write {path}: ").And.Contain("No space left on device"));
            Assert.That(writer.Failed.IsCancellationRequested, Is.True, "the host is told to stop the feed");
            Assert.That(writer.LostAfterFailure, Is.EqualTo(1), "the frame after the failure is counted, not written");
        }
    }

    [Test]
    public async Task ShouldExit2WithOneLine_WhenOutIsAFile()
    {
        // Arrange
        using var output = new TempDirectory("record-usage");
        var file = output.File("out.gz");
        await File.WriteAllTextAsync(file, "");

        // Act
        var result = await CliRun.RunAsync("record", "--venue", "sim", "--endpoint", "ws://127.0.0.1:9", "--symbols", "btcusdt", "--out", file);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(result.ErrorLines, Is.EqualTo(new[] { $"optiflow: --out is a file, not a directory: {file} (record writes <symbol>_<yyyymmdd>.gz files into a directory)" }));
        }
    }

    [Test]
    public async Task ShouldExit2WithOneLine_WhenTheVenueIsUnknown()
    {
        // Arrange
        using var output = new TempDirectory("record-venue");

        // Act
        var result = await CliRun.RunAsync("record", "--venue", "kraken", "--symbols", "btcusdt", "--out", output.Path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(result.ErrorLines, Is.EqualTo(new[] { "optiflow: --venue must be binance-spot, binance-futures or sim, not 'kraken'" }));
            Assert.That(Directory.GetFiles(output.Path), Is.Empty, "nothing written");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]+_\d{8}\.gz$")]
    private static partial Regex DayFileName();

    /// <summary>The client's log line for a lost connection: <c>connection lost after N frames</c>.</summary>
    [GeneratedRegex(@"connection lost after (\d+) frames")]
    private static partial Regex LostAfter();

    private static IReadOnlyList<DailyRecordingFile> Record(string directory, TimeProvider clock, IEnumerable<string> frames)
    {
        using var writer = new DailyRecordingWriter(directory, ["btcusdt"], new DailyRecordingOptions { Clock = clock });
        foreach (var frame in frames)
        {
            writer.OnFrame(Encoding.UTF8.GetBytes(frame));
        }

        Assert.That(writer.Complete(TimeSpan.FromSeconds(10)), Is.True);
        return writer.Files;
    }

    /// <summary>A symbol's day files in the directory, in day order.</summary>
    private static string[] DayFiles(string directory, string symbol) =>
        [.. Directory.GetFiles(directory, symbol + "_*.gz").Order(StringComparer.Ordinal)];

    private static bool IsGzip(string path)
    {
        var head = new byte[2];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }

    /// <summary>The files read back by the engine's recording reader: combined-stream frames and bare snapshot bodies.</summary>
    private static ReadBackResult ReadBack(IReadOnlyList<string> files)
    {
        var result = new ReadBackResult();
        var recording = RecordingInput.Open([.. files], RecordingFormat.Hftbacktest, Market.Futures);
        using var reader = recording.OpenReader();
        while (reader.TryRead(out var frame))
        {
            Assert.That(frame.LineFormatError, Is.False, $"{frame.Path}:{frame.Line}");
            var text = Encoding.UTF8.GetString(frame.Frame);
            result.Lines++;
            result.Stamps.Add(frame.LocalTimestampNs);
            if (text.StartsWith("{\"stream\"", StringComparison.Ordinal))
            {
                result.Frames.Add(text);
            }
            else
            {
                result.Snapshots.Add(text);
                result.FramesBeforeSnapshot.Add(result.Frames.Count);
            }
        }

        foreach (var file in files)
        {
            foreach (var line in ReadLines(file))
            {
                result.TimestampDigits.Add(line.IndexOf(' ', StringComparison.Ordinal));
            }
        }

        return result;
    }

    /// <summary>What the simulator serves of a file to the default streams: its combined frames of the symbol's trade,
    /// bookTicker and depth streams, in order, verbatim.</summary>
    private static List<string> ServedFrames(string file, string symbol)
    {
        var frames = new List<string>();
        foreach (var line in ReadLines(file))
        {
            var frame = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            if (DefaultStreamKinds.Any(kind => frame.StartsWith("{\"stream\":\"" + symbol + kind, StringComparison.Ordinal)))
            {
                frames.Add(frame);
            }
        }

        return frames;
    }

    private static MarketCore ReplayThroughTheEngine(IReadOnlyList<string> files)
    {
        using var session = EngineSession.ForRecording(RecordingInput.Open([.. files], RecordingFormat.Hftbacktest, Market.Futures));
        session.Start();
        session.PublishRecording();
        return session.Stop().Core;
    }

    private static long LastUpdateId(string snapshot)
    {
        using var json = System.Text.Json.JsonDocument.Parse(snapshot);
        return json.RootElement.GetProperty("lastUpdateId").GetInt64();
    }

    private static IEnumerable<string> ReadLines(string gzipPath)
    {
        using var file = File.OpenRead(gzipPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var text = new StreamReader(gzip, Encoding.UTF8);
        while (text.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static void WriteLines(string gzipPath, IEnumerable<string> lines)
    {
        using var file = File.Create(gzipPath);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var text = new StreamWriter(gzip, new UTF8Encoding(false));
        foreach (var line in lines)
        {
            text.Write(line);
            text.Write('\n');
        }
    }

    private sealed class ReadBackResult
    {
        public List<string> Frames { get; } = [];

        public List<string> Snapshots { get; } = [];

        public List<int> FramesBeforeSnapshot { get; } = [];

        public List<long> Stamps { get; } = [];

        public HashSet<int> TimestampDigits { get; } = [];

        public int Lines { get; set; }
    }

    /// <summary>A clock that moves 1 ms per read (from any thread), from a given instant: a test reaches midnight at a
    /// chosen line, without sleeping.</summary>
    private sealed class MidnightClock(DateTimeOffset start) : TimeProvider
    {
        private long _reads;

        public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromMilliseconds(Interlocked.Increment(ref _reads));
    }
}
