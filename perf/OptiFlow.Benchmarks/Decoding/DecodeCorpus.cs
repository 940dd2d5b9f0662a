using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Benchmarks.Decoding;

/// <summary>Loads the real frames of one payload (cold; allocates). Frames are copied out of the recordings once.</summary>
public static class DecodeCorpus
{
    /// <summary>Frames per payload set (fewer when the recordings hold fewer).</summary>
    public const int MaxFrames = 4096;

    private static readonly string[] CryptofeedCaptures = ["BINANCE", "BINANCE_US", "BINANCE_FUTURES", "BINANCE_DELIVERY"];

    /// <summary>The frames of <paramref name="payload"/>, in recording order, and their market.</summary>
    public static (byte[][] Frames, Market Market) Load(DecodePayload payload)
    {
        var frames = new List<byte[]>();
        var hintsUnused = new SymbolTable(1).Freeze(); // frames are copied out; their snapshot hints are not needed
        if (payload == DecodePayload.AggTrade)
        {
            foreach (var path in CryptofeedPaths())
            {
                using var reader = new CryptofeedRecordingReader([path], hintsUnused);
                Collect(reader, "@aggTrade\""u8, frames);
            }

            return ([.. frames], Market.Futures);
        }

        var marker = payload switch
        {
            DecodePayload.BookTicker => "@bookTicker\""u8.ToArray(),
            DecodePayload.DepthUpdate => "@depth@0ms\""u8.ToArray(),
            _ => "@trade\""u8.ToArray(),
        };
        using (var reader = new RecordingReader([UsdmPath()], hintsUnused))
        {
            Collect(reader, marker, frames);
        }

        return ([.. frames], Market.Futures);
    }

    /// <summary>
    /// The session's symbol table for <paramref name="payload"/>'s recordings: every symbol interned by the data's first
    /// pass, frozen (the decoders only look symbols up, as on a receive thread).
    /// </summary>
    public static SymbolTable Symbols(DecodePayload payload)
    {
        var symbols = new SymbolTable();
        if (payload == DecodePayload.AggTrade)
        {
            foreach (var path in CryptofeedPaths())
            {
                RecordingSymbolScan.Intern(RecordingFormat.Cryptofeed, [path], symbols);
            }
        }
        else
        {
            RecordingSymbolScan.Intern(RecordingFormat.Hftbacktest, [UsdmPath()], symbols);
        }

        return symbols.Freeze();
    }

    private static string Root => RecordingData.Root ?? throw new InvalidOperationException("shared/data/binance not found (set OPTIFLOW_DATA)");

    private static string UsdmPath() => Path.Combine(Root, "hftbacktest", "examples", "usdm", "btcusdt_20240808");

    private static IEnumerable<string> CryptofeedPaths() => CryptofeedCaptures.Select(name => Path.Combine(Root, "cryptofeed", "sample_data", name + ".ws.1.0"));

    /// <summary>Mean frame length in bytes of <paramref name="payload"/>.</summary>
    public static double MeanBytes(DecodePayload payload)
    {
        var frames = Load(payload).Frames;
        return frames.Average(f => (double)f.Length);
    }

    private static void Collect(IRecordingReader reader, ReadOnlySpan<byte> marker, List<byte[]> frames)
    {
        while (frames.Count < MaxFrames && reader.TryRead(out var frame))
        {
            var head = frame.Frame[..Math.Min(64, frame.Frame.Length)];
            if (head.IndexOf(marker) >= 0)
            {
                frames.Add(frame.Frame.ToArray());
            }
        }
    }
}
