using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Benchmarks.Decoding;

/// <summary>
/// Decoding real Binance frames three ways, same run, same frames, same output (a <see cref="MarketEvent"/> slot plus a
/// <see cref="DepthLevelBuffer"/>): <see cref="BinanceFrameDecoder"/> (ours), <see cref="Utf8JsonReaderFrameDecoder"/>
/// (baseline) and <see cref="JsonSerializerFrameDecoder"/> (source-generated DTOs).
/// </summary>
/// <remarks>
/// <code>
///  frames[] (real, copied once) ──► Decode_* ──► slot + levels     (one thread, no ring, no I/O)
///  one op = one frame; each invocation decodes 4,096 frames, cycling through the payload's set
/// </code>
/// Short job (1 launch, 3 warm-ups, 10 iterations): the whole class took 3.5–5 minutes per run on the 2-core box.
/// Setup checks that the three decoders agree on every frame. Run:
/// <c>dotnet run -c Release --project perf/OptiFlow.Benchmarks -- --filter '*BinanceDecode*'</c>
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
[Config(typeof(ThroughputConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class BinanceDecodeBenchmarks
{
    private const int FramesPerInvoke = 4096;

    private byte[][] _frames = [];
    private BinanceFrameDecoder _ours = null!;
    private Utf8JsonReaderFrameDecoder _reader = null!;
    private JsonSerializerFrameDecoder _serializer = null!;
    private DepthLevelBuffer _levels = null!;
    private MarketEvent _slot;

    /// <summary>The payload whose real frames are decoded.</summary>
    [Params(DecodePayload.BookTicker, DecodePayload.DepthUpdate, DecodePayload.Trade, DecodePayload.AggTrade)]
    public DecodePayload Payload { get; set; }

    /// <summary>Loads the frames and checks the three decoders agree on each.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (frames, market) = DecodeCorpus.Load(Payload);
        _frames = frames;
        var symbols = DecodeCorpus.Symbols(Payload);
        _ours = new BinanceFrameDecoder(market, symbols);
        _reader = new Utf8JsonReaderFrameDecoder(market, symbols);
        _serializer = new JsonSerializerFrameDecoder(market, symbols);
        _levels = new DepthLevelBuffer();
        var check = new DepthLevelBuffer();
        foreach (var frame in _frames)
        {
            var outcome = _ours.Decode(frame, ref _slot, _levels, -1);
            var expected = _slot;
            var expectedLevels = _levels.Prices.ToArray().Sum() ^ _levels.Quantities.ToArray().Sum() ^ _levels.Count;
            MarketEvent other = default;
            if (outcome is not (FrameOutcome.Event or FrameOutcome.Levels)
                || !_reader.Decode(frame, ref other, check) || !Same(expected, other) || Digest(check) != expectedLevels
                || !_serializer.Decode(frame, Payload, ref other, check) || !Same(expected, other) || Digest(check) != expectedLevels)
            {
                throw new InvalidOperationException($"decoders disagree on {System.Text.Encoding.UTF8.GetString(frame)}");
            }
        }
    }

    /// <summary>Ours: hand-written byte scanner.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    [BenchmarkCategory("Decode")]
    public long Decode_OptiFlow()
    {
        long sum = 0;
        var frames = _frames;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            _ours.Decode(frames[i % frames.Length], ref _slot, _levels, -1);
            sum += _slot.FinalUpdateId + _levels.Count;
        }

        return sum;
    }

    /// <summary>Baseline: one forward <c>Utf8JsonReader</c> pass.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvoke)]
    [BenchmarkCategory("Decode")]
    public long Decode_Utf8JsonReader()
    {
        long sum = 0;
        var frames = _frames;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            _reader.Decode(frames[i % frames.Length], ref _slot, _levels);
            sum += _slot.FinalUpdateId + _levels.Count;
        }

        return sum;
    }

    /// <summary><c>JsonSerializer</c> with source generation into DTOs, copied into the slot.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    [BenchmarkCategory("Decode")]
    public long Decode_JsonSerializerSourceGen()
    {
        long sum = 0;
        var frames = _frames;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            _serializer.Decode(frames[i % frames.Length], Payload, ref _slot, _levels);
            sum += _slot.FinalUpdateId + _levels.Count;
        }

        return sum;
    }

    private static long Digest(DepthLevelBuffer levels) => levels.Prices.ToArray().Sum() ^ levels.Quantities.ToArray().Sum() ^ levels.Count;

    private static bool Same(MarketEvent a, MarketEvent b) =>
        a.Kind == b.Kind && a.SymbolId == b.SymbolId && a.EventTimeMs == b.EventTimeMs && a.TransactionTimeMs == b.TransactionTimeMs
        && a.FinalUpdateId == b.FinalUpdateId && a.FirstUpdateId == b.FirstUpdateId && a.Price == b.Price && a.Quantity == b.Quantity
        && a.AskPrice == b.AskPrice && a.AskQuantity == b.AskQuantity && (a.Kind == MarketEventKind.DepthLevel || a.PreviousFinalUpdateId == b.PreviousFinalUpdateId);

    /// <summary>Adds MB/s and msgs/s columns computed from the mean time per frame and the payload's mean frame size.</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            AddColumn(new ThroughputColumn(megabytes: true), new ThroughputColumn(megabytes: false));
        }
    }
}
