using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// Splits one plain or gzip file (gzip detected by its magic bytes <c>1f 8b</c>) into lines without allocating per line.
/// </summary>
/// <remarks>
/// <para>The line (without <c>\n</c> and without a trailing <c>\r</c>) is a span into a pooled buffer, valid until the next
/// <see cref="TryReadLine"/>. A line longer than the buffer doubles it (cold path). Not thread-safe.</para>
/// <para><b>Damaged gzip.</b> Corrupt compressed data (the decompressor's <see cref="InvalidDataException"/>) and a
/// gzip stream that ends without its trailer both throw <see cref="DamagedRecordingException"/>
/// (<see cref="DecodeErrorCode.CorruptInput"/> / <see cref="DecodeErrorCode.TruncatedInput"/>) naming the file, the
/// last complete line and the compressed offset; the partial line at the damage is discarded, and the source returns
/// nothing after it. .NET's <see cref="GZipStream"/> reports a cut stream only under the runtime switch
/// <c>System.IO.Compression.UseStrictValidation</c> (read once per process, so a library cannot turn it on reliably):
/// this repository's <c>Directory.Build.props</c> sets it for every executable and test host, and
/// <see cref="StrictGzipValidation"/> says whether it is in force (probed once). Without it, the end of a gzip file is
/// checked by hand: the last four bytes (the final member's ISIZE, RFC 1952 §2.3.1) must equal the decompressed length
/// modulo 2³². That catches every cut but is exact only for a file of one gzip member (every recorder here writes one);
/// a file of several members is then reported as truncated too, and the message says to set the switch.</para>
/// </remarks>
internal sealed class LineSource : IDisposable
{
    private const int InitialBufferSize = 1 << 20;

    /// <summary>What the decompressor says for a cut stream under strict validation; null when the switch is off.</summary>
    private static readonly string? StrictTruncationMessage = ProbeStrictValidation();

    private readonly string _path;
    private readonly FileStream _file;
    private readonly bool _gzip;
    private Stream? _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scan;
    private bool _eof;
    private bool _damaged;
    private long _decompressed;
    private int _lineStart;
    private int _lineLength;

    public LineSource(string path)
    {
        _path = path;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = _file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            _file.Position = 0;
            _gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            _stream = _gzip ? new GZipStream(_file, CompressionMode.Decompress, leaveOpen: false) : _file;
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>
    /// Whether this process's <see cref="GZipStream"/> reports a cut stream itself (the runtime switch
    /// <c>System.IO.Compression.UseStrictValidation</c> is on); otherwise the ISIZE check of the remarks applies.
    /// </summary>
    public static bool StrictGzipValidation => StrictTruncationMessage is not null;

    [ThreadStatic]
    private static bool t_forceTrailerCheck;

    /// <summary>For tests, on the calling thread only: check the end of a gzip file by hand even when the runtime validates strictly.</summary>
    internal static bool ForceTrailerCheck
    {
        get => t_forceTrailerCheck;
        set => t_forceTrailerCheck = value;
    }

    /// <summary>1-based number of the last line returned (empty lines included).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The last line returned, still valid while <see cref="TryReadLine"/> is not called again.</summary>
    public ReadOnlySpan<byte> CurrentLine => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Reads the next line; false at the end of the file.</summary>
    /// <exception cref="DamagedRecordingException">The gzip data is corrupt or cut (see the remarks).</exception>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        if (_stream is null || _damaged)
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

            var read = _gzip ? ReadCompressed(_buffer, _end, _buffer.Length - _end) : _stream.Read(_buffer, _end, _buffer.Length - _end);
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
        _file.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>
    /// Cut stream under strict validation: the decompressor's message for the constant below (a gzip header and an empty
    /// final deflate block, without the 8-byte trailer); null when the runtime reads it silently.
    /// </summary>
    private static string? ProbeStrictValidation()
    {
        byte[] cut = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0x03, 0x00];
        try
        {
            using var gzip = new GZipStream(new MemoryStream(cut), CompressionMode.Decompress);
            Span<byte> sink = stackalloc byte[16];
            while (gzip.Read(sink) > 0)
            {
            }

            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }

    /// <summary>Reads decompressed bytes, turning damage into <see cref="DamagedRecordingException"/> (cold paths aside, one call per 1 MiB).</summary>
    private int ReadCompressed(byte[] buffer, int offset, int count)
    {
        int read;
        try
        {
            read = _stream!.Read(buffer, offset, count);
        }
        catch (InvalidDataException e)
        {
            var truncated = StrictTruncationMessage is not null && e.Message == StrictTruncationMessage;
            throw truncated ? Damaged(DecodeErrorCode.TruncatedInput, null, e) : Damaged(DecodeErrorCode.CorruptInput, e.Message, e);
        }

        _decompressed += read;
        if (read == 0 && (!StrictGzipValidation || ForceTrailerCheck))
        {
            CheckTrailerByHand();
        }

        return read;
    }

    /// <summary>Without strict validation: the final member's ISIZE must equal the decompressed length modulo 2³² (cold, once per file).</summary>
    private void CheckTrailerByHand()
    {
        var length = _file.Length;
        Span<byte> isize = stackalloc byte[4];
        var ok = length >= 18 && RandomAccess.Read(_file.SafeFileHandle, isize, length - 4) == 4
            && BinaryPrimitives.ReadUInt32LittleEndian(isize) == (uint)_decompressed;
        if (!ok)
        {
            throw Damaged(
                DecodeErrorCode.TruncatedInput,
                "its last 4 bytes are not the decompressed length; a file of several gzip members also fails this check: set System.IO.Compression.UseStrictValidation to check those",
                null);
        }
    }

    /// <summary>
    /// The exception for damage met now: every complete line before it has been returned (the source reads only when the
    /// bytes it holds contain no newline), so <see cref="LineNumber"/> complete lines were read.
    /// </summary>
    private DamagedRecordingException Damaged(DecodeErrorCode code, string? detail, Exception? inner)
    {
        _damaged = true;
        long offset;
        try
        {
            offset = _file.Position;
        }
        catch (ObjectDisposedException)
        {
            offset = -1;
        }

        return new DamagedRecordingException(_path, code, LineNumber, offset, detail, inner);
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
