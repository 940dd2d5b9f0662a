using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// Reads a cryptofeed raw capture (PROVENANCE §3): the WebSocket file <c>*.ws.1.0</c> and its REST snapshot file
/// <c>*.http.0.0</c>, merged in receive-time order so that every symbol's snapshot arrives where it was received.
/// </summary>
/// <remarks>
/// <para><b>Formats.</b> <c>*.ws.1.0</c>: line 1 is the connect line <c>&lt;wss url&gt; &lt;-&gt; &lt;unix secs&gt;</c>
/// (skipped), then <c>&lt;unix secs, decimal&gt;: &lt;combined-stream frame&gt;</c>. <c>*.http.0.0</c>:
/// <c>&lt;REST url&gt; -&gt; &lt;unix secs&gt;: &lt;body&gt;</c>, one <c>/depth?symbol=…</c> snapshot per symbol; the
/// symbol comes from the URL's <c>symbol=</c> and is given as <see cref="RecordedFrame.SymbolHint"/> (spot and USDⓈ-M
/// snapshots carry no symbol; COIN-M ones also carry <c>symbol</c>). A file whose first line is an exchangeInfo
/// response (<c>*.0</c>) is skipped: it is not market data. Which kind a file is comes from its first line, not its name.</para>
/// <para><b>Order.</b> Snapshots are loaded at construction (cold; they are small) and each is emitted before the first
/// WebSocket frame received after it (ties: the snapshot first); the core buffers diffs until a symbol's snapshot
/// arrives (binance.md §3.1, §3.2), so every symbol syncs. Seconds are converted to ns (up to 9 decimals kept).</para>
/// <para><b>Errors.</b> A WebSocket line without the <c>&lt;secs&gt;: </c> prefix is returned with
/// <see cref="RecordedFrame.LineFormatError"/> set. Missing files throw <see cref="FileNotFoundException"/> at
/// construction; damaged gzip data in a snapshot file (loaded whole) throws <see cref="DamagedRecordingException"/> at
/// construction, and in a WebSocket file from <see cref="TryRead"/> after every complete line before it (reading again
/// goes on with the next file). Allocation: none per line after construction (pooled line buffer). Not thread-safe.</para>
/// </remarks>
public sealed class CryptofeedRecordingReader : IRecordingReader
{
    private readonly string[] _paths;
    private readonly SymbolTable _symbols;
    private readonly bool _internSnapshotSymbols;
    private readonly List<Snapshot> _snapshots = [];
    private readonly List<int> _wsFiles = [];
    private byte[] _snapshotBytes = [];

    private int _nextSnapshot;
    private int _wsIndex = -1;
    private LineSource? _ws;
    private bool _pending;
    private long _pendingTimestampNs;
    private int _pendingFrameOffset;
    private bool _pendingFormatError;
    private bool _disposed;

    /// <summary>Opens a capture.</summary>
    /// <param name="paths">The <c>*.ws.1.0</c> and <c>*.http.0.0</c> files (any order; <c>*.0</c> exchangeInfo files are skipped).</param>
    /// <param name="symbols">
    /// The session's frozen symbol table, where the snapshot URLs' symbols given as hints are looked up (-1 when absent).
    /// </param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A snapshot line does not have the <c>&lt;url&gt; -&gt; &lt;secs&gt;: &lt;body&gt;</c> shape.</exception>
    /// <exception cref="ArgumentException"><paramref name="symbols"/> is not frozen (<see cref="SymbolTable.Freeze"/>).</exception>
    /// <remarks>Allocates: the snapshot bodies are copied into one array.</remarks>
    public CryptofeedRecordingReader(IReadOnlyList<string> paths, SymbolTable symbols)
        : this(paths, symbols, internSnapshotSymbols: false)
    {
    }

    /// <summary>
    /// For <see cref="RecordingSymbolScan"/> alone: with <paramref name="internSnapshotSymbols"/>, interns the snapshot
    /// URLs' symbols into a table still being configured, in load order (the scan's configuring thread).
    /// </summary>
    internal CryptofeedRecordingReader(IReadOnlyList<string> paths, SymbolTable symbols, bool internSnapshotSymbols)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!internSnapshotSymbols)
        {
            SymbolTable.ThrowIfNotFrozen(symbols);
        }

        ArgumentNullException.ThrowIfNull(symbols);
        _symbols = symbols;
        _internSnapshotSymbols = internSnapshotSymbols;
        _paths = [.. paths];
        using var bytes = new MemoryStream();
        for (var i = 0; i < _paths.Length; i++)
        {
            if (!File.Exists(_paths[i]))
            {
                throw new FileNotFoundException($"Recording file not found: {_paths[i]}", _paths[i]);
            }

            switch (Classify(_paths[i]))
            {
                case FileKind.Snapshots:
                    LoadSnapshots(i, bytes);
                    break;
                case FileKind.WebSocket:
                    _wsFiles.Add(i);
                    break;
            }
        }

        _snapshotBytes = bytes.ToArray();

        // Stable sort by receive time (List.Sort is not stable: sort on (time, load order)).
        _snapshots.Sort(static (x, y) => x.TimestampNs != y.TimestampNs ? x.TimestampNs.CompareTo(y.TimestampNs) : x.Order.CompareTo(y.Order));
    }

    /// <summary>Snapshots found in the <c>*.http.0.0</c> files.</summary>
    public int SnapshotCount => _snapshots.Count;

    /// <summary>
    /// Adds, for every <c>X.ws.1.0</c> in <paramref name="paths"/>, its sibling <c>X.http.0.0</c> when it exists and is
    /// not already listed (cold, allocates).
    /// </summary>
    /// <param name="paths">Files named by the user.</param>
    /// <returns>The files, with the snapshot files appended.</returns>
    public static IReadOnlyList<string> WithSnapshotFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new List<string>(paths);
        foreach (var path in paths)
        {
            if (!path.EndsWith(".ws.1.0", StringComparison.Ordinal))
            {
                continue;
            }

            var http = string.Concat(path.AsSpan(0, path.Length - ".ws.1.0".Length), ".http.0.0");
            if (File.Exists(http) && !result.Exists(p => Path.GetFullPath(p) == Path.GetFullPath(http)))
            {
                result.Add(http);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public bool TryRead(out RecordedFrame frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (!_pending && !ReadWsLine())
            {
                if (_nextSnapshot < _snapshots.Count)
                {
                    frame = SnapshotFrame(_snapshots[_nextSnapshot++]);
                    return true;
                }

                frame = default;
                return false;
            }

            if (_nextSnapshot < _snapshots.Count && !_pendingFormatError && _snapshots[_nextSnapshot].TimestampNs <= _pendingTimestampNs)
            {
                frame = SnapshotFrame(_snapshots[_nextSnapshot++]);
                return true;
            }

            _pending = false;
            var line = _ws!.CurrentLine;
            var fileIndex = _wsFiles[_wsIndex];
            frame = new RecordedFrame(_pendingTimestampNs, line[_pendingFrameOffset..], _ws.LineNumber, fileIndex, _paths[fileIndex], -1, _pendingFormatError);
            return true;
        }
    }

    /// <summary>Closes the current file and returns the pooled buffer. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ws?.Dispose();
        _ws = null;
    }

    /// <summary>
    /// Parses a decimal count of Unix seconds (<c>1633998512.0633569</c>) into ns; up to 10 integer digits and any
    /// number of decimals (digits past the 9th are dropped).
    /// </summary>
    /// <param name="text">The digits.</param>
    /// <param name="timestampNs">ns since the epoch; 0 on failure.</param>
    /// <returns>Whether <paramref name="text"/> is all digits with at most one '.', at least one digit before it.</returns>
    /// <remarks>Allocation-free; never throws.</remarks>
    public static bool TryParseSeconds(ReadOnlySpan<byte> text, out long timestampNs)
    {
        timestampNs = 0;
        long seconds = 0;
        var i = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            if (i == 10)
            {
                return false;
            }

            seconds = (seconds * 10) + (text[i] - '0');
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        long fraction = 0;
        var fractionDigits = 0;
        if (i < text.Length)
        {
            if (text[i] != (byte)'.')
            {
                return false;
            }

            i++;
            while (i < text.Length)
            {
                var d = (uint)(text[i] - '0');
                if (d > 9)
                {
                    return false;
                }

                if (fractionDigits < 9)
                {
                    fraction = (fraction * 10) + d;
                    fractionDigits++;
                }

                i++;
            }
        }

        while (fractionDigits < 9)
        {
            fraction *= 10;
            fractionDigits++;
        }

        timestampNs = (seconds * 1_000_000_000) + fraction;
        return true;
    }

    private bool ReadWsLine()
    {
        while (true)
        {
            if (_ws is null)
            {
                if (_wsIndex + 1 >= _wsFiles.Count)
                {
                    return false;
                }

                _wsIndex++;
                _ws = new LineSource(_paths[_wsFiles[_wsIndex]]);
            }

            if (!_ws.TryReadLine(out var line))
            {
                _ws.Dispose();
                _ws = null;
                continue;
            }

            if (line.IsEmpty || (_ws.LineNumber == 1 && line.IndexOf(" <-> "u8) >= 0))
            {
                continue; // blank line or the connect line
            }

            _pending = true;
            var colon = line.IndexOf(": "u8);
            if (colon > 0 && TryParseSeconds(line[..colon], out var ns) && colon + 2 < line.Length)
            {
                _pendingTimestampNs = ns;
                _pendingFrameOffset = colon + 2;
                _pendingFormatError = false;
            }
            else
            {
                _pendingTimestampNs = 0;
                _pendingFrameOffset = 0;
                _pendingFormatError = true;
            }

            return true;
        }
    }

    private RecordedFrame SnapshotFrame(Snapshot s) =>
        new(s.TimestampNs, _snapshotBytes.AsSpan(s.Offset, s.Length), s.Line, s.FileIndex, _paths[s.FileIndex], s.SymbolId, false);

    private void LoadSnapshots(int fileIndex, MemoryStream bytes)
    {
        using var source = new LineSource(_paths[fileIndex]);
        while (source.TryReadLine(out var line))
        {
            if (line.IsEmpty)
            {
                continue;
            }

            var arrow = line.IndexOf(" -> "u8);
            var rest = arrow < 0 ? default : line[(arrow + 4)..];
            var colon = rest.IndexOf(": "u8);
            if (arrow < 0 || colon <= 0 || !TryParseSeconds(rest[..colon], out var ns))
            {
                throw new InvalidDataException($"{_paths[fileIndex]}:{source.LineNumber}: not a '<url> -> <secs>: <body>' snapshot line");
            }

            var url = line[..arrow];
            var symbolId = -1;
            var key = url.IndexOf("symbol="u8);
            if (key >= 0)
            {
                var name = url[(key + 7)..];
                var amp = name.IndexOf((byte)'&');
                var symbol = amp < 0 ? name : name[..amp];
                if (_internSnapshotSymbols)
                {
                    symbolId = RecordingSymbolScan.Intern(_symbols, symbol);
                }
                else
                {
                    _symbols.TryGet(symbol, out symbolId);
                }
            }

            var body = rest[(colon + 2)..];
            _snapshots.Add(new Snapshot(ns, (int)bytes.Length, body.Length, source.LineNumber, fileIndex, symbolId, _snapshots.Count));
            bytes.Write(body);
        }
    }

    private static FileKind Classify(string path)
    {
        using var source = new LineSource(path);
        while (source.TryReadLine(out var line))
        {
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.StartsWith("wss://"u8) || line.StartsWith("ws://"u8) || line.IndexOf(" <-> "u8) >= 0)
            {
                return FileKind.WebSocket;
            }

            if (line.StartsWith("http"u8))
            {
                var arrow = line.IndexOf(" -> "u8);
                var url = arrow < 0 ? line : line[..arrow];
                return url.IndexOf("/depth"u8) >= 0 ? FileKind.Snapshots : FileKind.Other;
            }

            return FileKind.WebSocket;
        }

        return FileKind.Other;
    }

    private enum FileKind
    {
        Other,
        WebSocket,
        Snapshots,
    }

    private readonly record struct Snapshot(long TimestampNs, int Offset, int Length, long Line, int FileIndex, int SymbolId, int Order);
}
