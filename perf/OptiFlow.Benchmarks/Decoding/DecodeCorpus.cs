using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Benchmarks.Decoding;

/// <summary>Loads the real frames of one payload (cold; allocates). Frames are copied out of the recordings once.</summary>
public static class DecodeCorpus
{
    /// <summary>Frames per payload set (fewer when the recordings hold fewer).</summary>
    public const int MaxFrames = 4096;

    /// <summary>The frames of <paramref name="payload"/>, in recording order, and their market.</summary>
    public static (byte[][] Frames, Market Market) Load(DecodePayload payload)
    {
        var root = RecordingData.Root ?? throw new InvalidOperationException("shared/data/binance not found (set OPTIFLOW_DATA)");
        var frames = new List<byte[]>();
        if (payload == DecodePayload.AggTrade)
        {
            var symbols = new SymbolTable();
            foreach (var name in new[] { "BINANCE", "BINANCE_US", "BINANCE_FUTURES", "BINANCE_DELIVERY" })
            {
                using var reader = new CryptofeedRecordingReader([Path.Combine(root, "cryptofeed", "sample_data", name + ".ws.1.0")], symbols);
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
        using (var reader = new RecordingReader([Path.Combine(root, "hftbacktest", "examples", "usdm", "btcusdt_20240808")], new SymbolTable()))
        {
            Collect(reader, marker, frames);
        }

        return ([.. frames], Market.Futures);
    }

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
