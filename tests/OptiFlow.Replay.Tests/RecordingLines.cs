using System.IO.Compression;
using System.Text;

namespace OptiFlow.Replay.Tests;

/// <summary>Reads a recording (plain or gzip) as text lines and writes edited copies, for bad-input tests.</summary>
public static class RecordingLines
{
    public static List<string> Read(string path)
    {
        using var file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    public static void Write(string path, IEnumerable<string> lines) => File.WriteAllLines(path, lines, new UTF8Encoding(false));

    /// <summary>Indexes (0-based) of the lines whose stream name contains <paramref name="streamSuffix"/>, e.g. "@depth".</summary>
    public static List<int> IndexesOf(List<string> lines, string streamSuffix) =>
        [.. Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains($"\"stream\":\"", StringComparison.Ordinal) && lines[i].Contains(streamSuffix, StringComparison.Ordinal))];

    /// <summary>Index of the bare REST snapshot line.</summary>
    public static int SnapshotIndex(List<string> lines) => lines.FindIndex(l => l.Contains("\"lastUpdateId\"", StringComparison.Ordinal));
}
