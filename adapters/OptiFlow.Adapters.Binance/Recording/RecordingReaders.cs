using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>Chooses and opens the reader for a <see cref="RecordingFormat"/>, detecting it from content on request.</summary>
/// <remarks>Wiring-time only (cold; allocates). Thread-safe (no state).</remarks>
public static class RecordingReaders
{
    /// <summary>
    /// Detects the format from the first non-empty line of <paramref name="path"/> (gunzipped if needed):
    /// <c>&lt;digits&gt; {</c> is hftbacktest; <c>wss://…</c>, <c>http…-&gt;</c> or <c>&lt;digits&gt;.&lt;digits&gt;: {</c>
    /// is cryptofeed; <c>{</c> is JSON lines.
    /// </summary>
    /// <param name="path">A recording file.</param>
    /// <returns>The format (never <see cref="RecordingFormat.Auto"/>).</returns>
    /// <exception cref="InvalidDataException">The first line matches no format, or the file is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DamagedRecordingException">The file's gzip data is damaged before its first line ends.</exception>
    public static RecordingFormat Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Recording file not found: {path}", path);
        }

        using var source = new LineSource(path);
        while (source.TryReadLine(out var line))
        {
            line = line.TrimStart(" \t"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == (byte)'{')
            {
                return RecordingFormat.Jsonl;
            }

            if (line.StartsWith("wss://"u8) || line.StartsWith("ws://"u8) || line.StartsWith("http"u8))
            {
                return RecordingFormat.Cryptofeed;
            }

            var digits = 0;
            while (digits < line.Length && (uint)(line[digits] - '0') <= 9)
            {
                digits++;
            }

            if (digits > 0 && digits < line.Length)
            {
                if (line[digits] == (byte)' ')
                {
                    return RecordingFormat.Hftbacktest;
                }

                if (line[digits] == (byte)'.')
                {
                    return RecordingFormat.Cryptofeed;
                }
            }

            break;
        }

        throw new InvalidDataException($"{path}: cannot detect the recording format from its first line (expected hftbacktest '<ns> {{…}}', cryptofeed '<url> <-> <secs>' / '<secs>: {{…}}', or a JSON line)");
    }

    /// <summary>Parses a <c>--format</c> value: <c>auto</c>, <c>hftbacktest</c>, <c>cryptofeed</c>, <c>jsonl</c> (case-insensitive).</summary>
    /// <param name="value">The text, or null for <see cref="RecordingFormat.Auto"/>.</param>
    /// <param name="format">The format.</param>
    /// <returns>Whether the text names a format.</returns>
    public static bool TryParse(string? value, out RecordingFormat format)
    {
        switch (value?.ToLowerInvariant())
        {
            case null or "auto":
                format = RecordingFormat.Auto;
                return true;
            case "hftbacktest":
                format = RecordingFormat.Hftbacktest;
                return true;
            case "cryptofeed":
                format = RecordingFormat.Cryptofeed;
                return true;
            case "jsonl":
                format = RecordingFormat.Jsonl;
                return true;
            default:
                format = RecordingFormat.Auto;
                return false;
        }
    }

    /// <summary>
    /// Resolves <see cref="RecordingFormat.Auto"/> from the first file (<see cref="Detect"/>); a first line that matches no
    /// format falls back to <see cref="RecordingFormat.Hftbacktest"/>, whose reader then reports it as a line-format error
    /// (and a first line lost to damaged gzip data too: the reader then reports the damage).
    /// </summary>
    /// <param name="format">The requested format.</param>
    /// <param name="paths">The session's files; at least one.</param>
    /// <returns>A concrete format.</returns>
    /// <exception cref="ArgumentException">When <paramref name="paths"/> is empty and detection is needed.</exception>
    /// <exception cref="FileNotFoundException">The first file does not exist.</exception>
    public static RecordingFormat Resolve(RecordingFormat format, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (format != RecordingFormat.Auto)
        {
            return format;
        }

        if (paths.Count == 0)
        {
            throw new ArgumentException("no file to detect the format from", nameof(paths));
        }

        try
        {
            return Detect(paths[0]);
        }
        catch (InvalidDataException)
        {
            // Undetectable (empty, or a malformed first line): the hftbacktest reader reports each bad line as a
            // line-format error with its line number, which is the most useful outcome for a damaged recording.
            return RecordingFormat.Hftbacktest;
        }
        catch (DamagedRecordingException)
        {
            // Compressed data damaged before the first line: the session's reader meets the same damage and reports it
            // (DamagedRecordingException) with whatever came before it.
            return RecordingFormat.Hftbacktest;
        }
    }

    /// <summary>
    /// The files a session of <paramref name="format"/> reads: for cryptofeed, each <c>*.ws.1.0</c> brings its sibling
    /// <c>*.http.0.0</c> (<see cref="CryptofeedRecordingReader.WithSnapshotFiles"/>); otherwise the files as given.
    /// </summary>
    /// <param name="format">A concrete or auto format.</param>
    /// <param name="paths">Files named by the user.</param>
    /// <returns>The files in reading order.</returns>
    public static IReadOnlyList<string> SessionFiles(RecordingFormat format, IReadOnlyList<string> paths) =>
        Resolve(format, paths) == RecordingFormat.Cryptofeed ? CryptofeedRecordingReader.WithSnapshotFiles(paths) : paths;

    /// <summary>Opens the reader for a session.</summary>
    /// <param name="format">The format, or <see cref="RecordingFormat.Auto"/>.</param>
    /// <param name="paths">Files in session order (for cryptofeed: ws and http files, see <see cref="SessionFiles"/>).</param>
    /// <param name="symbols">The session's frozen symbol table, where the symbols used as snapshot hints are looked up.</param>
    /// <returns>The reader; dispose it.</returns>
    /// <exception cref="ArgumentException"><paramref name="symbols"/> is not frozen (<see cref="SymbolTable.Freeze"/>).</exception>
    public static IRecordingReader Open(RecordingFormat format, IReadOnlyList<string> paths, SymbolTable symbols)
    {
        SymbolTable.ThrowIfNotFrozen(symbols);
        return OpenReader(format, paths, symbols, internSymbols: false);
    }

    /// <summary>
    /// Opens the reader for <see cref="RecordingSymbolScan"/>: over a table still being configured, interning the hint
    /// symbols where the reader takes them (see the readers' internal constructors).
    /// </summary>
    internal static IRecordingReader OpenForSymbolScan(RecordingFormat format, IReadOnlyList<string> paths, SymbolTable symbols) =>
        OpenReader(format, paths, symbols, internSymbols: true);

    private static IRecordingReader OpenReader(RecordingFormat format, IReadOnlyList<string> paths, SymbolTable symbols, bool internSymbols) => Resolve(format, paths) switch
    {
        RecordingFormat.Cryptofeed => new CryptofeedRecordingReader(paths, symbols, internSymbols),
        RecordingFormat.Jsonl => new JsonLinesRecordingReader(paths),
        _ => new RecordingReader(paths, symbols, internSymbols),
    };
}
