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
/// <para><b>Bare snapshot symbol.</b> A REST snapshot line carries no stream name (and on spot and USDⓈ-M no symbol).
/// Its <see cref="RecordedFrame.SymbolHint"/> is the symbol of the most recent combined-stream frame of the same file
/// (the stream-name prefix before <c>@</c>, looked up in the session's frozen <see cref="SymbolTable"/>; -1 when the
/// table does not hold it). If no combined-stream frame has been read yet in that file, the line is held (copied to a
/// side buffer, in order with any other such lines) and emitted immediately before the file's first combined-stream
/// frame, with that frame's symbol; if the file ends first, it is emitted with hint -1 (the decoder then reports
/// <see cref="DecodeErrorCode.UnknownSnapshotSymbol"/>).</para>
/// <para><b>Allocation.</b> Lines are split by a <see cref="LineSource"/> per file in a pooled byte buffer (1 MiB to
/// start); nothing is allocated per line. A line longer than the buffer doubles it (cold path, allocates); so does
/// opening a file. Not thread-safe: one reader per thread.</para>
/// <para><b>Errors.</b> The constructor throws <see cref="FileNotFoundException"/> (with the path) for a missing file;
/// I/O and gzip errors propagate from <see cref="TryRead"/> as <see cref="IOException"/> /
/// <see cref="InvalidDataException"/>.</para>
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
    private int _fileSymbol = -1;
    private bool _seenStream;

    private byte[] _held = [];
    private HeldLine[] _heldLines = [];
    private int _heldCount;
    private int _heldNext;
    private int _heldBytes;
    private int _flushHint = -1;

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
                    held.FormatError ? -1 : _flushHint,
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
                    // The file ended before any combined-stream frame: release the held lines without a symbol.
                    _flushHint = -1;
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

            if (!formatError && TryGetStreamSymbol(frameSpan, out var streamSymbol))
            {
                _fileSymbol = streamSymbol;
                _seenStream = true;
                if (_heldCount > 0)
                {
                    _flushHint = streamSymbol;
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

            frame = new RecordedFrame(timestampNs, frameSpan, lineNumber, _fileIndex, _paths[_fileIndex], formatError ? -1 : _fileSymbol, formatError);
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
    /// Finds the combined-stream name (<c>"stream":"btcusdt@…"</c>) and looks its symbol part up (interns it, for the
    /// symbol scan).
    /// </summary>
    /// <returns>Whether the frame has a stream name; <paramref name="symbolId"/> is -1 if the symbol is not in the table.</returns>
    private bool TryGetStreamSymbol(ReadOnlySpan<byte> frame, out int symbolId)
    {
        symbolId = -1;
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

        var nameStart = p + 1;
        var rest = frame[nameStart..];
        var end = rest.IndexOfAny((byte)'@', (byte)'"');
        if (end <= 0)
        {
            return end == 0;
        }

        if (_internStreamSymbols)
        {
            symbolId = RecordingSymbolScan.Intern(_symbols, rest[..end]);
        }
        else
        {
            _symbols.TryGet(rest[..end], out symbolId);
        }

        return true;
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
        _fileSymbol = -1;
        _seenStream = false;
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
