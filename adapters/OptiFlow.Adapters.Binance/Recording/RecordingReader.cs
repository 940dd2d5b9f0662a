using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// Reads a recorded session in the hftbacktest collector format (PROVENANCE §1): one line per frame,
/// <c>&lt;local timestamp&gt; &lt;raw frame&gt;\n</c>, over one or more plain or gzip files read one after another.
/// </summary>
/// <remarks>
/// <para><b>Timestamps.</b> The recorder writes wall-clock time as an integer: nanoseconds (19 digits) in the 2024
/// files, microseconds (16 digits) in the 2023 <c>.dat.gz</c> files. Rule: a timestamp of at most 17 digits is µs and is
/// multiplied by 1000; 18 or 19 digits is ns. A value that overflows ns in a <see cref="long"/> is a line-format error.</para>
/// <para><b>Files.</b> Gzip is detected by the magic bytes <c>1f 8b</c>, not by the extension. Files are read in the
/// order given and form one session (<see cref="RecordedFrame.FileIndex"/> 0, 1, …). Empty lines are skipped (they
/// still count for <see cref="RecordedFrame.Line"/>); a trailing <c>\r</c> is dropped.</para>
/// <para><b>Bare snapshot symbol.</b> A REST snapshot line carries no stream name (and on spot and USDⓈ-M no symbol),
/// so which book it belongs to is read from its file, never guessed from its neighbours. The rule, per file: the
/// candidates are the symbols of the file's diff-depth streams (<c>&lt;symbol&gt;@depth</c> or
/// <c>&lt;symbol&gt;@depth@&lt;speed&gt;</c>, the part before the <c>@</c>, any case), or, when the file has none, of all
/// its streams (all-market <c>!…</c> streams and names without <c>@</c> name no symbol). Exactly one candidate: every
/// bare line of the file gets its id as <see cref="RecordedFrame.SymbolHint"/> (looked up in the session's frozen
/// <see cref="SymbolTable"/>; -1 when the table lacks it). None: -1, and the decoder reports
/// <see cref="DecodeErrorCode.UnknownSnapshotSymbol"/>. Several (a merged multi-symbol recording):
/// <see cref="BinanceFrameDecoder.AmbiguousSymbolHint"/>, and the decoder reports
/// <see cref="DecodeErrorCode.AmbiguousSnapshotSymbol"/> with the line's file and number; the snapshot is applied to no
/// book. A snapshot that carries its own <c>symbol</c> (COIN-M) is attributed by it whatever the hint. The candidates are
/// found by reading the file's stream names once, when its first bare line is met (cold: one pass over that file; files
/// without bare lines are never pre-read). Bare lines before a file's first combined-stream frame are still held
/// (copied to a side buffer, in order) and emitted immediately before that frame, or at the end of the file if it has
/// none, so frames come in the order they always did.</para>
/// <para><b>Allocation.</b> Lines are split by a <see cref="LineSource"/> per file in a pooled byte buffer (1 MiB to
/// start); nothing is allocated per line. A line longer than the buffer doubles it (cold path, allocates); so does
/// opening a file. Not thread-safe: one reader per thread.</para>
/// <para><b>Errors.</b> The constructor throws <see cref="FileNotFoundException"/> (with the path) for a missing file;
/// I/O errors propagate from <see cref="TryRead"/> as <see cref="IOException"/>, and damaged or cut gzip data as
/// <see cref="DamagedRecordingException"/> once every complete line before the damage was returned; the rest of that
/// file is lost, and reading again goes on with the next file.</para>
/// </remarks>
/// <example>
/// <code>
/// using var reader = new RecordingReader(paths, symbols);
/// while (reader.TryRead(out var frame))
/// {
///     var outcome = decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint);
/// }
/// </code>
/// </example>
public sealed class RecordingReader : IRecordingReader
{
    private const int MicrosecondMaxDigits = 17;
    private const int MaxTimestampDigits = 19;

    private readonly string[] _paths;
    private readonly SymbolTable _symbols;
    private readonly bool _internStreamSymbols;

    private LineSource? _lines;
    private int _fileIndex = -1;
    private bool _seenStream;
    private byte[][]? _snapshotCandidates;

    private byte[] _held = [];
    private HeldLine[] _heldLines = [];
    private int _heldCount;
    private int _heldNext;
    private int _heldBytes;

    private bool _pending;
    private HeldLine _pendingLine;
    private bool _disposed;

    /// <summary>Opens a session of one or more recording files.</summary>
    /// <param name="paths">Files in session order; plain or gzip.</param>
    /// <param name="symbols">
    /// The session's frozen symbol table, where the stream-name symbols used for <see cref="RecordedFrame.SymbolHint"/>
    /// are looked up (a stream of a symbol not in it gives hint -1).
    /// </param>
    /// <exception cref="FileNotFoundException">A file does not exist (the message and <see cref="FileNotFoundException.FileName"/> give its path).</exception>
    /// <exception cref="ArgumentException"><paramref name="symbols"/> is not frozen (<see cref="SymbolTable.Freeze"/>).</exception>
    public RecordingReader(IReadOnlyList<string> paths, SymbolTable symbols)
        : this(paths, symbols, internStreamSymbols: false)
    {
    }

    /// <summary>
    /// For <see cref="RecordingSymbolScan"/> alone: with <paramref name="internStreamSymbols"/>, interns the stream-name
    /// symbols into a table still being configured, exactly where the hints are taken (the scan's configuring thread).
    /// </summary>
    internal RecordingReader(IReadOnlyList<string> paths, SymbolTable symbols, bool internStreamSymbols)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!internStreamSymbols)
        {
            SymbolTable.ThrowIfNotFrozen(symbols);
        }

        ArgumentNullException.ThrowIfNull(symbols);
        _internStreamSymbols = internStreamSymbols;
        _paths = new string[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            if (!File.Exists(paths[i]))
            {
                throw new FileNotFoundException($"Recording file not found: {paths[i]}", paths[i]);
            }

            _paths[i] = paths[i];
        }

        _symbols = symbols;
    }

    /// <summary>Advances to the next frame.</summary>
    /// <param name="frame">The frame; its <see cref="RecordedFrame.Frame"/> is valid until the next call.</param>
    /// <returns>False at the end of the last file.</returns>
    /// <remarks>Allocation-free per line (see the type remarks for the cold paths).</remarks>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public bool TryRead(out RecordedFrame frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (_heldNext < _heldCount)
            {
                ref var held = ref _heldLines[_heldNext++];
                if (_heldNext == _heldCount)
                {
                    _heldNext = _heldCount = _heldBytes = 0;
                }

                frame = new RecordedFrame(
                    held.TimestampNs,
                    _held.AsSpan(held.Offset, held.Length),
                    held.Line,
                    _fileIndex,
                    _paths[_fileIndex],
                    held.FormatError ? -1 : BareLineHint(),
                    held.FormatError);
                return true;
            }

            if (_pending)
            {
                _pending = false;
                // The pending frame is still the line source's current line: nothing was read after it.
                frame = new RecordedFrame(
                    _pendingLine.TimestampNs,
                    _lines!.CurrentLine.Slice(_pendingLine.Offset, _pendingLine.Length),
                    _pendingLine.Line,
                    _fileIndex,
                    _paths[_fileIndex],
                    -1,
                    false);
                return true;
            }

            if (_lines is null || !_lines.TryReadLine(out var line))
            {
                if (_heldCount > 0)
                {
                    // The file ended before any combined-stream frame: release the held lines (their hint is the
                    // file's: with no stream at all, none).
                    _heldNext = 0;
                    continue;
                }

                if (!OpenNextFile())
                {
                    frame = default;
                    return false;
                }

                continue;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            var lineNumber = _lines.LineNumber;
            var formatError = !TryParseTimestamp(line, out var timestampNs, out var frameOffset);
            var frameStart = formatError ? 0 : frameOffset;
            var frameSpan = line[frameStart..];

            if (!formatError && TryGetStreamSymbol(frameSpan))
            {
                _seenStream = true;
                if (_heldCount > 0)
                {
                    _heldNext = 0;
                    _pending = true;
                    _pendingLine = new HeldLine { TimestampNs = timestampNs, Line = lineNumber, Offset = frameStart, Length = frameSpan.Length };
                    continue;
                }

                frame = new RecordedFrame(timestampNs, frameSpan, lineNumber, _fileIndex, _paths[_fileIndex], -1, false);
                return true;
            }

            if (!_seenStream)
            {
                Hold(frameSpan, timestampNs, lineNumber, formatError);
                continue;
            }

            frame = new RecordedFrame(timestampNs, frameSpan, lineNumber, _fileIndex, _paths[_fileIndex], formatError ? -1 : BareLineHint(), formatError);
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
        _lines?.Dispose();
        _lines = null;
    }

    /// <summary>
    /// Parses <c>&lt;digits&gt; </c> at the start of a line into ns since the epoch (≤ 17 digits = µs × 1000).
    /// </summary>
    /// <param name="line">The line without its newline.</param>
    /// <param name="timestampNs">ns since the Unix epoch; 0 on failure.</param>
    /// <param name="frameOffset">Offset of the frame (after the single space).</param>
    /// <returns>Whether the line has the <c>&lt;digits&gt; &lt;frame&gt;</c> shape with a non-empty frame.</returns>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> line, out long timestampNs, out int frameOffset)
    {
        timestampNs = 0;
        frameOffset = 0;
        ulong value = 0;
        var digits = 0;
        while (digits < line.Length)
        {
            var d = (uint)(line[digits] - '0');
            if (d > 9)
            {
                break;
            }

            value = (value * 10) + d;
            if (++digits > MaxTimestampDigits)
            {
                return false;
            }
        }

        if (digits == 0 || digits + 1 >= line.Length || line[digits] != (byte)' ')
        {
            return false;
        }

        if (digits <= MicrosecondMaxDigits)
        {
            if (value > (ulong)long.MaxValue / 1000)
            {
                return false;
            }

            value *= 1000;
        }
        else if (value > long.MaxValue)
        {
            return false;
        }

        timestampNs = (long)value;
        frameOffset = digits + 1;
        return true;
    }

    /// <summary>
    /// Finds the combined-stream name (<c>"stream":"btcusdt@…"</c>) and, for the symbol scan, interns its symbol part (the
    /// bytes before <c>@</c> or the closing quote), exactly where the old decode-time interning took it.
    /// </summary>
    /// <returns>Whether the frame has a stream name.</returns>
    private bool TryGetStreamSymbol(ReadOnlySpan<byte> frame)
    {
        if (!TryFindStreamName(frame, out var name, out var terminated))
        {
            return false;
        }

        var end = name.IndexOf((byte)'@');
        if (end < 0 && !terminated)
        {
            return false; // no '@' and no closing quote: not a stream name the reader ever took
        }

        var prefix = end < 0 ? name : name[..end];
        if (_internStreamSymbols && !prefix.IsEmpty)
        {
            RecordingSymbolScan.Intern(_symbols, prefix);
        }

        return true;
    }

    /// <summary>
    /// The text after <c>"stream"</c>, optional spaces or tabs, a colon, optional spaces or tabs and a quote, up to the
    /// closing quote (<paramref name="terminated"/>) or the end of the frame.
    /// </summary>
    private static bool TryFindStreamName(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> name, out bool terminated)
    {
        name = default;
        terminated = false;
        var key = frame.IndexOf("\"stream\""u8);
        if (key < 0)
        {
            return false;
        }

        var p = key + 8;
        while (p < frame.Length && frame[p] is (byte)' ' or (byte)'\t')
        {
            p++;
        }

        if (p >= frame.Length || frame[p] != (byte)':')
        {
            return false;
        }

        p++;
        while (p < frame.Length && frame[p] is (byte)' ' or (byte)'\t')
        {
            p++;
        }

        if (p >= frame.Length || frame[p] != (byte)'"')
        {
            return false;
        }

        var rest = frame[(p + 1)..];
        var close = rest.IndexOf((byte)'"');
        terminated = close >= 0;
        name = terminated ? rest[..close] : rest;
        return true;
    }

    /// <summary>The hint of the current file's bare lines (see "Bare snapshot symbol" in the type remarks).</summary>
    private int BareLineHint()
    {
        _snapshotCandidates ??= SnapshotCandidates(_paths[_fileIndex]);
        return _snapshotCandidates.Length switch
        {
            0 => -1,
            1 => _symbols.TryGet(_snapshotCandidates[0], out var id) ? id : -1,
            _ => BinanceFrameDecoder.AmbiguousSymbolHint,
        };
    }

    /// <summary>
    /// Cold, once per file with a bare line: reads the file's stream names and returns the symbols its bare snapshots
    /// could belong to (the diff-depth streams' symbols, else all streams' symbols; distinct, any case). Damaged gzip data
    /// ends the pass early: the reader reports that damage where it meets it.
    /// </summary>
    internal static byte[][] SnapshotCandidates(string path)
    {
        var depth = new List<byte[]>();
        var all = new List<byte[]>();
        try
        {
            using var source = new LineSource(path);
            while (source.TryReadLine(out var line))
            {
                if (!TryParseTimestamp(line, out _, out var offset) || !TryFindStreamName(line[offset..], out var name, out var terminated) || !terminated)
                {
                    continue;
                }

                var at = name.IndexOf((byte)'@');
                if (at <= 0 || name[0] == (byte)'!')
                {
                    continue; // no symbol named: an all-market stream, or a name without '@'
                }

                var symbol = name[..at];
                AddDistinct(all, symbol);
                var stream = name[(at + 1)..];
                if (stream.SequenceEqual("depth"u8) || stream.StartsWith("depth@"u8))
                {
                    AddDistinct(depth, symbol);
                }
            }
        }
        catch (DamagedRecordingException)
        {
            // The readable part decides; the reading pass reports the damage itself.
        }

        return depth.Count > 0 ? [.. depth] : [.. all];

        static void AddDistinct(List<byte[]> names, ReadOnlySpan<byte> symbol)
        {
            foreach (var known in names)
            {
                if (System.Text.Ascii.EqualsIgnoreCase(known, symbol))
                {
                    return;
                }
            }

            names.Add(symbol.ToArray());
        }
    }

    private void Hold(ReadOnlySpan<byte> frame, long timestampNs, long lineNumber, bool formatError)
    {
        // Cold path: only lines before a file's first combined-stream frame come here.
        if (_heldBytes + frame.Length > _held.Length)
        {
            Array.Resize(ref _held, Math.Max(_heldBytes + frame.Length, _held.Length * 2));
        }

        if (_heldCount == _heldLines.Length)
        {
            Array.Resize(ref _heldLines, Math.Max(4, _heldLines.Length * 2));
        }

        frame.CopyTo(_held.AsSpan(_heldBytes));
        _heldLines[_heldCount++] = new HeldLine
        {
            TimestampNs = timestampNs,
            Line = lineNumber,
            Offset = _heldBytes,
            Length = frame.Length,
            FormatError = formatError,
        };
        _heldBytes += frame.Length;
        _heldNext = _heldCount; // not released until a stream frame or the end of the file
    }

    private bool OpenNextFile()
    {
        _lines?.Dispose();
        _lines = null;
        if (_fileIndex + 1 >= _paths.Length)
        {
            _fileIndex = _paths.Length == 0 ? -1 : _paths.Length - 1;
            return false;
        }

        _fileIndex++;
        _seenStream = false;
        _snapshotCandidates = null;
        _lines = new LineSource(_paths[_fileIndex]);
        return true;
    }

    private struct HeldLine
    {
        public long TimestampNs;
        public long Line;
        public int Offset;
        public int Length;
        public bool FormatError;
    }
}
