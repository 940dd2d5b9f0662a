using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Benchmarks.Recording;

/// <summary>
/// The data's first pass (<see cref="RecordingSymbolScan"/>) over the largest recording, usdm/btcusdt_20240808
/// (27.8 MB, 93,954 lines), against two same-run references: reading the lines only (the floor any pass pays) and
/// decoding every frame (a full decode pass, the simplest exact alternative and the baseline).
/// </summary>
/// <remarks>
/// <code>
///  file (page cache) ─► RecordingReader (split lines, stream-name lookup/intern) ─┬─► Read_LinesOnly:    nothing
///                                                                                 ├─► Scan_DataFirstPass: byte search per frame,
///                                                                                 │                       decode only frames that may name a new symbol
///                                                                                 └─► Decode_EveryFrame:  BinanceFrameDecoder on every frame
///  one op = one whole pass over the file, on one thread
/// </code>
/// Run: <c>dotnet run -c Release --project perf/OptiFlow.Benchmarks -- --filter '*RecordingSymbolScan*'</c>
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 30)]
[MinColumn]
[MedianColumn]
[BenchmarkCategory("Recording")]
public class RecordingSymbolScanBenchmarks
{
    private string[] _files = [];
    private SymbolTable _symbols = null!;

    /// <summary>Finds the recording and builds the frozen table the two reference passes look symbols up in.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var root = RecordingData.Root ?? throw new InvalidOperationException("shared/data/binance not found (set OPTIFLOW_DATA)");
        _files = [Path.Combine(root, "hftbacktest", "examples", "usdm", "btcusdt_20240808")];
        _symbols = new SymbolTable();
        RecordingSymbolScan.Intern(RecordingFormat.Hftbacktest, _files, _symbols);
        _symbols.Freeze();
    }

    /// <summary>Reads every line through the reader, nothing else.</summary>
    [Benchmark]
    public long Read_LinesOnly()
    {
        long bytes = 0;
        using var reader = new RecordingReader(_files, _symbols);
        while (reader.TryRead(out var frame))
        {
            bytes += frame.Frame.Length;
        }

        return bytes;
    }

    /// <summary>The data's first pass into a fresh table.</summary>
    [Benchmark]
    public int Scan_DataFirstPass() => RecordingSymbolScan.Intern(RecordingFormat.Hftbacktest, _files, new SymbolTable());

    /// <summary>Reference: a full decode pass (every frame decoded, looking symbols up).</summary>
    [Benchmark(Baseline = true)]
    public long Decode_EveryFrame()
    {
        long decoded = 0;
        var decoder = new BinanceFrameDecoder(Market.Futures, _symbols);
        var levels = new DepthLevelBuffer();
        var slot = default(MarketEvent);
        using var reader = new RecordingReader(_files, _symbols);
        while (reader.TryRead(out var frame))
        {
            decoded += decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint) is FrameOutcome.Event or FrameOutcome.Levels ? 1 : 0;
        }

        return decoded;
    }
}
