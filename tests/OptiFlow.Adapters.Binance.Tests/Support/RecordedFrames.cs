using System.Text;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests.Support;

/// <summary>A frame copied out of a recording, for tests that decode the same frames several times.</summary>
internal sealed record StoredFrame(byte[] Bytes, int SymbolHint, long Line, string Path)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(Path)}:{Line}";
}

/// <summary>Loads recorded frames into memory (test helper; allocates).</summary>
internal static class RecordedFrames
{
    /// <summary>Every frame of a hftbacktest-format session, through <see cref="RecordingReader"/>.</summary>
    public static List<StoredFrame> LoadHftbacktest(IReadOnlyList<string> paths, SymbolTable symbols, int maxFrames = int.MaxValue)
    {
        var frames = new List<StoredFrame>();
        using var reader = new RecordingReader(paths, symbols);
        while (frames.Count < maxFrames && reader.TryRead(out var frame))
        {
            frames.Add(new StoredFrame(frame.Frame.ToArray(), frame.SymbolHint, frame.Line, frame.Path));
        }

        return frames;
    }

    /// <summary>Frames of a cryptofeed <c>*.ws.1.0</c> capture: lines <c>&lt;float secs&gt;: &lt;frame&gt;</c> after the connect line.</summary>
    public static List<StoredFrame> LoadCryptofeed(string path)
    {
        var frames = new List<StoredFrame>();
        var lineNumber = 0L;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var separator = line.IndexOf(": ", StringComparison.Ordinal);
            if (separator < 0 || line.Contains(" <-> ", StringComparison.Ordinal))
            {
                continue;
            }

            frames.Add(new StoredFrame(Encoding.UTF8.GetBytes(line[(separator + 2)..]), -1, lineNumber, path));
        }

        return frames;
    }
}

/// <summary>Loads frames through any <see cref="IRecordingReader"/> (test helper; allocates).</summary>
internal static class ReaderFrames
{
    /// <summary>Every frame the reader returns, copied, with its symbol hint.</summary>
    public static List<StoredFrame> Load(IRecordingReader reader)
    {
        var frames = new List<StoredFrame>();
        while (reader.TryRead(out var frame))
        {
            frames.Add(new StoredFrame(frame.Frame.ToArray(), frame.SymbolHint, frame.Line, frame.Path));
        }

        return frames;
    }
}
