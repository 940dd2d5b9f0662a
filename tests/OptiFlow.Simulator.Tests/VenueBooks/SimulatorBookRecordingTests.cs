using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Simulator.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests.VenueBooks;

/// <summary>
/// The simulator's books over real recordings: at every checkpoint they equal the engine's file-run books (the engine is
/// the comparison here, never a part of the simulator), a break in the recording is handled, and the bodies served are
/// byte for byte those the simulator served when its books were the engine's <see cref="MarketCore"/>.
/// </summary>
[TestFixture]
public sealed class SimulatorBookRecordingTests
{
    private const int CheckpointEvery = 500;
    private const int ServedLimit = 20;

    public static IEnumerable<TestCaseData> Recordings()
    {
        yield return new TestCaseData("", Market.Futures).SetArgDisplayNames("demo USDⓈ-M BTCUSDT 2023-04-04");
        yield return new TestCaseData("hftbacktest/examples/usdm/ethusdt_20240808", Market.Futures).SetArgDisplayNames("USDⓈ-M ETHUSDT 2024-08-08");
        yield return new TestCaseData("hftbacktest/examples/cm/ethusd_perp_20240808.gz", Market.Futures).SetArgDisplayNames("COIN-M ETHUSD_PERP 2024-08-08");
        yield return new TestCaseData("hftbacktest/examples/spot/btcusdt_20240808", Market.Spot).SetArgDisplayNames("spot BTCUSDT 2024-08-08");
        yield return new TestCaseData("cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0", Market.Futures).SetArgDisplayNames("COIN-M, 10 symbols, 10 snapshots (cryptofeed)");
    }

    [TestCaseSource(nameof(Recordings))]
    public void ShouldEqualFileRunBooks_WhenEveryCheckpointOfRecordingIsCompared(string relativePath, Market market)
    {
        // Arrange
        var symbols = Symbols(relativePath);
        var simulator = new SimulatorBook(market, symbols);
        var engine = new SteppedCore(market, symbols);
        var checkpoints = 0;
        var knownCheckpoints = 0;

        // Act + Assert: frame by frame into both; compare every symbol's book at each checkpoint and at the end.
        var frames = 0L;
        foreach (var (frame, hint) in Frames(relativePath, symbols))
        {
            simulator.Feed(frame, hint, out _, out _);
            engine.Feed(frame, hint);
            if (++frames % CheckpointEvery == 0)
            {
                checkpoints++;
                knownCheckpoints += AssertSameBooks(simulator, engine.Core, symbols, $"after frame {frames}");
            }
        }

        knownCheckpoints += AssertSameBooks(simulator, engine.Core, symbols, $"at the end (frame {frames})");
        Assert.That(knownCheckpoints, Is.GreaterThan(checkpoints / 2), "most checkpoints compared a known book");
    }

    [TestCase(17, "{\"lastUpdateId\":2710246765483,\"E\":0,\"T\":0,\"bids\":[[\"28145.1\",\"3.818\"],[\"28145\",\"0.413\"],[\"28144.7\",\"0.002\"]],\"asks\":[[\"28145.2\",\"6.833\"],[\"28145.3\",\"0.009\"],[\"28145.4\",\"0.008\"]]}", TestName = "ShouldServePreviousBytes_WhenDemoRecordingJustSeededTheBook")]
    [TestCase(5000, "{\"lastUpdateId\":2710247774776,\"E\":1680652738705,\"T\":1680652738705,\"bids\":[[\"28151.9\",\"3.472\"],[\"28151.8\",\"0.003\"],[\"28151.7\",\"15.322\"]],\"asks\":[[\"28152\",\"0.084\"],[\"28152.1\",\"0.027\"],[\"28152.5\",\"0.002\"]]}", TestName = "ShouldServePreviousBytes_WhenDemoRecordingIsLive")]
    public void ShouldServePreviousBytes_WhenDemoRecordingReachesFrame(int frame, string expected)
    {
        // Arrange: expected bodies were served by the simulator when its books were the engine's MarketCore (783cb1b).
        var symbols = Symbols("");
        var simulator = new SimulatorBook(Market.Futures, symbols);

        // Act
        foreach (var (bytes, hint) in Frames("", symbols).Take(frame))
        {
            simulator.Feed(bytes, hint, out _, out _);
        }

        // Assert
        Assert.That(Encoding.ASCII.GetString(simulator.TrySerialize(0, 3)!), Is.EqualTo(expected));
    }

    [TestCase("", Market.Futures, 13384, "3E50220A4DE61B275ABC66B4CE0E203B4A9A2F0F35B6F53208B5D06BA271DC42", 80287, TestName = "ShouldServePreviousFullBody_WhenDemoRecordingEnds")]
    [TestCase("hftbacktest/examples/spot/btcusdt_20240808", Market.Spot, 41249, "7E2EC1CDF05138C96C303DAB8C15D4FCFD0A159D67548D56DC2354EFE42DB5EF", 76120, TestName = "ShouldServePreviousFullBody_WhenSpotRecordingEnds")]
    public void ShouldServePreviousFullBody_WhenRecordingEnds(string relativePath, Market market, int frameCount, string sha256, int length)
    {
        // Arrange: the hash and length of the whole body served by the simulator at 783cb1b (its books were MarketCore).
        var symbols = Symbols(relativePath);
        var simulator = new SimulatorBook(market, symbols);

        // Act
        var frames = 0;
        foreach (var (bytes, hint) in Frames(relativePath, symbols))
        {
            simulator.Feed(bytes, hint, out _, out _);
            frames++;
        }

        var body = simulator.TrySerialize(0, 0)!;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames, Is.EqualTo(frameCount));
            Assert.That(body, Has.Length.EqualTo(length));
            Assert.That(Convert.ToHexString(SHA256.HashData(body)), Is.EqualTo(sha256));
        }
    }

    [Test]
    public void ShouldForgetBookUntilFreshSnapshot_WhenRecordingLosesADiff()
    {
        // Arrange: one simulator sees the whole demo recording; the other loses its 300th depth diff, and at frame
        // 6000 receives a fresh snapshot served by the first (as a venue's REST answer would be).
        var symbols = Symbols("");
        var whole = new SimulatorBook(Market.Futures, symbols);
        var broken = new SimulatorBook(Market.Futures, symbols);
        var depthFrames = 0;
        var frames = 0;
        bool? knownAfterBreak = null;
        byte[]? servedAfterBreak = [];

        // Act
        foreach (var (bytes, hint) in Frames("", symbols))
        {
            frames++;
            whole.Feed(bytes, hint, out var kind, out _);
            if (kind == MarketEventKind.DepthLevel && ++depthFrames == 300)
            {
                continue;
            }

            broken.Feed(bytes, hint, out _, out _);
            if (depthFrames == 301 && knownAfterBreak is null)
            {
                knownAfterBreak = broken.IsKnown(0);
                servedAfterBreak = broken.TrySerialize(0, 0);
            }

            if (frames == 6000)
            {
                broken.Feed(whole.TrySerialize(0, 0), 0, out _, out _);
            }
        }

        // Assert
        var book = broken.BookOf(0)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(knownAfterBreak, Is.False, "the diff after the lost one does not chain");
            Assert.That(servedAfterBreak, Is.Null, "nothing to serve while the book is unknown");
            Assert.That(book.Gaps, Is.EqualTo(1));
            Assert.That(book.SnapshotsLoaded, Is.EqualTo(2));
            Assert.That(book.Status, Is.EqualTo(VenueBookStatus.Live));
            Assert.That(broken.TrySerialize(0, 0), Is.EqualTo(whole.TrySerialize(0, 0)), "synced again on the fresh snapshot");
        }
    }

    /// <summary>The recording's symbols, configured by the data's first pass and frozen, as a session configures them.</summary>
    private static SymbolTable Symbols(string relativePath)
    {
        var symbols = new SymbolTable();
        RecordingSymbolScan.Intern(RecordingFormat.Auto, SessionFiles(relativePath), symbols);
        return symbols.Freeze();
    }

    private static IReadOnlyList<string> SessionFiles(string relativePath) =>
        RecordingReaders.SessionFiles(RecordingFormat.Auto, [relativePath.Length == 0 ? DemoRecording.Path : RecordingData.Require(relativePath)]);

    private static IEnumerable<(byte[] Frame, int Hint)> Frames(string relativePath, SymbolTable symbols)
    {
        using var reader = RecordingReaders.Open(RecordingFormat.Auto, SessionFiles(relativePath), symbols);
        while (reader.TryRead(out var frame))
        {
            if (!frame.LineFormatError)
            {
                yield return (frame.Frame.ToArray(), frame.SymbolHint);
            }
        }
    }

    /// <summary>Asserts every symbol's venue book equals the engine's; returns how many were known.</summary>
    private static int AssertSameBooks(SimulatorBook simulator, MarketCore core, SymbolTable symbols, string where)
    {
        var known = 0;
        for (var id = 0; id < symbols.Count; id++)
        {
            var state = core.StateOf(id);
            var engineKnows = state is not null && state.SyncState != BookSyncState.AwaitingSnapshot;
            var context = $"{symbols.NameOf(id)} {where}";
            Assert.That(simulator.IsKnown(id), Is.EqualTo(engineKnows), context);
            if (!engineKnows)
            {
                Assert.That(simulator.TrySerialize(id, 0), Is.Null, context);
                continue;
            }

            known++;
            var book = simulator.BookOf(id)!;
            var lastUpdateId = state!.SyncState == BookSyncState.Live ? state.LastAppliedUpdateId : state.SnapshotLastUpdateId;
            using var document = JsonDocument.Parse(simulator.TrySerialize(id, ServedLimit));
            var served = document.RootElement;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(book.LastUpdateId, Is.EqualTo(lastUpdateId), context);
                Assert.That(Levels.Pairs(book.Bids.BestFirst), Is.EqualTo(EngineLevels(state.Book.Bids)), $"bids, {context}");
                Assert.That(Levels.Pairs(book.Asks.BestFirst), Is.EqualTo(EngineLevels(state.Book.Asks)), $"asks, {context}");
                Assert.That(served.GetProperty("lastUpdateId").GetInt64(), Is.EqualTo(lastUpdateId), $"served, {context}");
                Assert.That(ServedLevels(served.GetProperty("bids")), Is.EqualTo(EngineText(state.Book.Bids, ServedLimit)), $"served bids, {context}");
                Assert.That(ServedLevels(served.GetProperty("asks")), Is.EqualTo(EngineText(state.Book.Asks, ServedLimit)), $"served asks, {context}");
            }
        }

        return known;
    }

    private static (long Price, long Quantity)[] EngineLevels(PriceLevels side) =>
        [.. Enumerable.Range(0, side.Count).Select(i => (side.PriceAt(i), side.QuantityAt(i)))];

    private static string[] EngineText(PriceLevels side, int limit) =>
        [.. Enumerable.Range(0, Math.Min(limit, side.Count)).Select(i => FixedPoint.ToString(side.PriceAt(i)) + "," + FixedPoint.ToString(side.QuantityAt(i)))];

    private static string[] ServedLevels(JsonElement side) =>
        [.. side.EnumerateArray().Select(level => level[0].GetString() + "," + level[1].GetString())];
}
