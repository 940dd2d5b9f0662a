using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// Reads JSON lines: one raw frame per line (plain or gzip), as in the FinanceTechnologyProjects depth file
/// (PROVENANCE §4, combined-stream <c>depthUpdate</c> frames, no recorder timestamps, no REST snapshot).
/// </summary>
/// <remarks>
/// <see cref="RecordedFrame.LocalTimestampNs"/> is the frame's event time <c>"E"</c> (ms × 10⁶) found by a byte search,
/// or 0 when the frame has none: the file carries no receive time of its own. <see cref="RecordedFrame.SymbolHint"/> is
/// -1 (a bare snapshot line would be reported as <see cref="DecodeErrorCode.UnknownSnapshotSymbol"/>). Blank lines are
/// skipped. Allocation-free per line after construction; not thread-safe; missing files throw
/// <see cref="FileNotFoundException"/> at construction.
/// </remarks>
public sealed class JsonLinesRecordingReader : IRecordingReader
{
    private readonly string[] _paths;
    private LineSource? _source;
    private int _fileIndex = -1;
    private bool _disposed;

    /// <summary>Opens one or more files read in order as one session.</summary>
    /// <param name="paths">The files.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public JsonLinesRecordingReader(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = [.. paths];
        foreach (var path in _paths)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Recording file not found: {path}", path);
            }
        }
    }

    /// <inheritdoc />
    public bool TryRead(out RecordedFrame frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (_source is null)
            {
                if (_fileIndex + 1 >= _paths.Length)
                {
                    frame = default;
                    return false;
                }

                _fileIndex++;
                _source = new LineSource(_paths[_fileIndex]);
            }

            if (!_source.TryReadLine(out var line))
            {
                _source.Dispose();
                _source = null;
                continue;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            frame = new RecordedFrame(EventTimeNs(line), line, _source.LineNumber, _fileIndex, _paths[_fileIndex], -1, false);
            return true;
        }
    }

    /// <summary>Closes the current file. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _source?.Dispose();
        _source = null;
    }

    private static long EventTimeNs(ReadOnlySpan<byte> line)
    {
        var key = line.IndexOf("\"E\":"u8);
        if (key < 0)
        {
            return 0;
        }

        long ms = 0;
        var digits = 0;
        for (var i = key + 4; i < line.Length && (uint)(line[i] - '0') <= 9 && digits < 15; i++, digits++)
        {
            ms = (ms * 10) + (line[i] - '0');
        }

        return ms * 1_000_000;
    }
}
