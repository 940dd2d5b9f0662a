using System.Text;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests.Support;

/// <summary>
/// The symbol order a session produced when symbols were interned during the decode (before the table was frozen at
/// configuration), recomputed independently of <see cref="RecordingSymbolScan"/>: the frames in reader order, each
/// decoded with the interning <see cref="ReferenceDecoder"/>, and the readers' own interning restated from their
/// documented rules.
/// </summary>
/// <remarks>
/// What the old pipeline interned, in order (reader → decoder on one thread, lines without a timestamp not decoded):
/// <list type="bullet">
/// <item>cryptofeed: every snapshot URL's <c>symbol=</c>, file by file and line by line, when the reader was opened,
/// before any frame;</item>
/// <item>hftbacktest: the stream-name prefix of each combined-stream frame when the reader read it, which is before
/// the snapshot lines it had held back (the lines before a file's first stream frame, released just ahead of it);</item>
/// <item>every format: the <c>s</c> / <c>symbol</c> value of each frame the decoder resolved a symbol for.</item>
/// </list>
/// The frame order of the readers does not depend on the table (only the hints do), so the frames are read here
/// through the public readers with an empty frozen table.
/// </remarks>
internal static class ReferenceInterning
{
    public static IReadOnlyList<string> NamesInOrder(RecordingFormat format, IReadOnlyList<string> files, Market market)
    {
        var resolved = RecordingReaders.Resolve(format, files);
        var table = new SymbolTable();
        if (resolved == RecordingFormat.Cryptofeed)
        {
            InternSnapshotUrls(files, table);
        }

        var frames = new List<(byte[] Bytes, int FileIndex, bool FormatError)>();
        using (var reader = RecordingReaders.Open(format, files, new SymbolTable(1).Freeze()))
        {
            while (reader.TryRead(out var frame))
            {
                frames.Add((frame.Frame.ToArray(), frame.FileIndex, frame.LineFormatError));
            }
        }

        var decoder = new ReferenceDecoder(market, table);
        var streamSeen = new HashSet<int>();
        for (var i = 0; i < frames.Count; i++)
        {
            var (bytes, fileIndex, formatError) = frames[i];
            if (formatError)
            {
                continue;
            }

            if (resolved == RecordingFormat.Hftbacktest)
            {
                if (TryGetStreamPrefix(bytes, out var prefix))
                {
                    streamSeen.Add(fileIndex);
                    Intern(table, prefix);
                }
                else if (!streamSeen.Contains(fileIndex))
                {
                    // A held line: the reader had already read (and interned the prefix of) the stream frame that releases it.
                    for (var j = i + 1; j < frames.Count && frames[j].FileIndex == fileIndex; j++)
                    {
                        if (!frames[j].FormatError && TryGetStreamPrefix(frames[j].Bytes, out var next))
                        {
                            Intern(table, next);
                            break;
                        }
                    }
                }
            }

            decoder.Decode(bytes, symbolHint: -1);
        }

        return [.. Enumerable.Range(0, table.Count).Select(table.NameOf)];
    }

    private static void Intern(SymbolTable table, byte[]? name)
    {
        if (name is { Length: > 0 })
        {
            table.TryGetOrAdd(name, out _);
        }
    }

    /// <summary>
    /// The reader's rule: the first <c>"stream"</c>, optional spaces or tabs, a colon, optional spaces or tabs, a quote,
    /// then the name up to <c>@</c> or the closing quote (an empty prefix is a stream frame that interns nothing).
    /// </summary>
    private static bool TryGetStreamPrefix(byte[] frame, out byte[]? prefix)
    {
        prefix = null;
        var text = Encoding.Latin1.GetString(frame);
        var key = text.IndexOf("\"stream\"", StringComparison.Ordinal);
        if (key < 0)
        {
            return false;
        }

        var p = key + 8;
        while (p < text.Length && text[p] is ' ' or '\t')
        {
            p++;
        }

        if (p >= text.Length || text[p] != ':')
        {
            return false;
        }

        p++;
        while (p < text.Length && text[p] is ' ' or '\t')
        {
            p++;
        }

        if (p >= text.Length || text[p] != '"')
        {
            return false;
        }

        var end = text.IndexOfAny(['@', '"'], p + 1);
        if (end < 0)
        {
            return false;
        }

        prefix = end > p + 1 ? Encoding.Latin1.GetBytes(text[(p + 1)..end]) : null;
        return true;
    }

    /// <summary>Snapshot files are those whose first non-empty line is an <c>http…/depth…</c> URL; each line's URL gives <c>symbol=</c>.</summary>
    private static void InternSnapshotUrls(IReadOnlyList<string> files, SymbolTable table)
    {
        foreach (var file in files)
        {
            var lines = ReadLines(file).Where(l => l.Length > 0).ToList();
            if (lines.Count == 0 || !lines[0].StartsWith("http", StringComparison.Ordinal))
            {
                continue;
            }

            var firstArrow = lines[0].IndexOf(" -> ", StringComparison.Ordinal);
            if (!(firstArrow < 0 ? lines[0] : lines[0][..firstArrow]).Contains("/depth", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var line in lines)
            {
                var url = line[..line.IndexOf(" -> ", StringComparison.Ordinal)];
                var key = url.IndexOf("symbol=", StringComparison.Ordinal);
                if (key >= 0)
                {
                    var name = url[(key + 7)..].Split('&')[0];
                    Intern(table, Encoding.Latin1.GetBytes(name));
                }
            }
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = File.OpenRead(path);
        var gzip = stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
        stream.Position = 0;
        using Stream content = gzip ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress) : stream;
        using var reader = new StreamReader(content, Encoding.Latin1);
        while (reader.ReadLine() is { } line)
        {
            yield return line.TrimEnd('\r');
        }
    }
}
