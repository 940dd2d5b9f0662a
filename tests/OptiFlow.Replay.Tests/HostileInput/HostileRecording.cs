using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using OptiFlow.Cli;

namespace OptiFlow.Replay.Tests.HostileInput;

/// <summary>
/// Edited copies of a real recording for the hostile-input suite (issue 16): the recording shipped with the tool
/// (USDⓈ-M BTCUSDT 2023-04-04, so the suite runs without the shared data folder), a second symbol made from it by
/// renaming BTCUSDT to ETHUSDT (so a session has an unaffected symbol to compare), gzip writing, and the command line
/// run in-process with its exit code and both streams captured.
/// </summary>
internal static partial class HostileRecording
{
    private static readonly Lazy<List<string>> LazyBtc = new(() => RecordingLines.Read(OptiFlowCommand.DemoRecording));

    /// <summary>The shipped recording's lines (13,384 frames; its REST snapshot is bare).</summary>
    public static List<string> Btc => [.. LazyBtc.Value];

    /// <summary>The same lines as an ETHUSDT recording: stream names and payload symbols renamed.</summary>
    public static List<string> Eth => [.. LazyBtc.Value.Select(l => l.Replace("btcusdt@", "ethusdt@", StringComparison.Ordinal).Replace("\"s\":\"BTCUSDT\"", "\"s\":\"ETHUSDT\"", StringComparison.Ordinal))];

    /// <summary>Writes lines as one gzip member; returns the compressed bytes.</summary>
    public static byte[] WriteGzip(string path, IEnumerable<string> lines)
    {
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>Runs <c>optiflow ARGS</c> in-process.</summary>
    public static (int Exit, string Output, string Error) RunCli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = OptiFlowCommand.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The final book line <c>optiflow book</c> printed for <paramref name="symbol"/>.</summary>
    public static string BookLine(string output, string symbol) =>
        output.Split('\n').Single(l => l.StartsWith($"{{\"symbol\":\"{symbol}\"", StringComparison.Ordinal));

    /// <summary>Indexes of the depth diffs after the snapshot that carry at least one bid level.</summary>
    public static List<int> DiffsWithBids(List<string> lines)
    {
        var snapshot = RecordingLines.SnapshotIndex(lines);
        return [.. RecordingLines.IndexesOf(lines, "@depth").Where(i => i > snapshot && lines[i].Contains("\"b\":[[", StringComparison.Ordinal))];
    }

    /// <summary>The line with the first level of its <c>"b"</c> (diff) or <c>"bids"</c> (snapshot) replaced by <paramref name="level"/>.</summary>
    public static string WithFirstBid(string line, string level) =>
        FirstBid().Replace(line, m => $"{m.Groups[1].Value}[{level}", 1);

    /// <summary>The line with the string value of one field replaced (the first occurrence).</summary>
    public static string WithField(string line, string field, string value) =>
        new Regex($"\"{Regex.Escape(field)}\":\"[^\"]*\"").Replace(line, $"\"{field}\":{value}", 1);

    [GeneratedRegex("(\"(?:b|bids)\":\\s*\\[)\\[[^\\]]*\\]")]
    private static partial Regex FirstBid();
}
