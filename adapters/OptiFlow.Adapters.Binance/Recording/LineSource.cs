using System.Buffers;
using System.IO.Compression;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// Splits one plain or gzip file (gzip detected by its magic bytes <c>1f 8b</c>) into lines without allocating per line.
/// </summary>
/// <remarks>
/// The line (without <c>\n</c> and without a trailing <c>\r</c>) is a span into a pooled buffer, valid until the next
/// <see cref="TryReadLine"/>. A line longer than the buffer doubles it (cold path). Not thread-safe.
/// </remarks>
internal sealed class LineSource : IDisposable
{
    private const int InitialBufferSize = 1 << 20;

    private Stream? _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scan;
    private bool _eof;
    private int _lineStart;
    private int _lineLength;

    public LineSource(string path)
    {
        _stream = Open(path);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>1-based number of the last line returned (empty lines included).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The last line returned, still valid while <see cref="TryReadLine"/> is not called again.</summary>
    public ReadOnlySpan<byte> CurrentLine => _buffer.AsSpan(_lineStart, _lineLength);

    public static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
                ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false)
                : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next line; false at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        if (_stream is null)
        {
            return false;
        }

        while (true)
        {
            var newline = _buffer.AsSpan(_scan, _end - _scan).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                SetLine(_start, _scan + newline - _start);
                _start = _scan = _scan + newline + 1;
                line = CurrentLine;
                return true;
            }

            _scan = _end;
            if (_eof)
            {
                if (_end > _start)
                {
                    SetLine(_start, _end - _start);
                    _start = _scan = _end;
                    line = CurrentLine;
                    return true;
                }

                _stream.Dispose();
                _stream = null;
                return false;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _scan -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, _end).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }
            else
            {
                _end += read;
            }
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void SetLine(int start, int length)
    {
        LineNumber++;
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }

        _lineStart = start;
        _lineLength = length;
    }
}
