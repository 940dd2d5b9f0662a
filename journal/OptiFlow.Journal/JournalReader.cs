using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <summary>
/// Reads a journal directory's records in order across its segments, checking every record's CRC-32C.
/// </summary>
/// <remarks>
/// <para>
/// The constructor validates every segment header (magic, format version, <see cref="MarketEventDescriptor.Version"/>,
/// index, base position, size) and throws <see cref="JournalFormatException"/> naming the file. <see cref="TryRead"/>
/// maps one segment at a time and stops at the first zero length (the end of the written data); calling it again
/// later picks up records committed since. A damaged or torn record throws <see cref="JournalCorruptException"/> with
/// the segment file and offset; nothing is skipped silently.
/// </para>
/// <para>
/// <b>Thread-safety:</b> one reading thread. It may run while a <see cref="JournalWriter"/> appends on another thread
/// or process: lengths are loaded with acquire semantics, so a record is read only once committed. Segments the writer
/// creates after this reader was constructed are not seen (tailing comes later).
/// </para>
/// <para>
/// <b>Allocation:</b> construction allocates; <see cref="TryRead"/> is allocation-free per record and allocates only
/// when it maps the next segment (once per segment).
/// </para>
/// <example>
/// <code>
/// using var reader = new JournalReader(directory);
/// while (reader.TryRead(out var record))
/// {
///     if (record.Type == JournalRecordType.MarketEvent)
///     {
///         ref readonly var e = ref record.MarketEvent;   // valid until the next TryRead
///     }
/// }
/// </code>
/// </example>
/// </remarks>
public sealed unsafe class JournalReader : IDisposable
{
    private readonly string[] _paths;
    private readonly long[] _indices;
    private MappedSegment? _segment;
    private byte* _base;
    private int _segmentOrdinal;
    private int _offset;
    private long _recordCount;
    private bool _disposed;

    /// <summary>Opens a journal directory and validates the header of every segment file in it.</summary>
    /// <param name="directory">The journal directory.</param>
    /// <remarks>Cold path: allocates, reads every header once.</remarks>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="JournalFormatException">No segment files; a badly named file; a bad magic, format version or MarketEvent layout version; a header that disagrees with its file name, its file's length, its neighbours' size, or the sequence of indices.</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public JournalReader(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The journal format is little-endian; this machine is big-endian.");
        }

        Directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new DirectoryNotFoundException($"Journal directory '{Directory}' does not exist.");
        }

        var files = System.IO.Directory.GetFiles(Directory, "*" + JournalDescriptor.FileExtension);
        if (files.Length == 0)
        {
            throw new JournalFormatException($"Journal directory '{Directory}' holds no segment files (*{JournalDescriptor.FileExtension}).");
        }

        var bases = new long[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            if (!MappedSegment.TryParseFileName(Path.GetFileName(files[i]), out bases[i]))
            {
                throw new JournalFormatException(
                    $"Segment file '{files[i]}' is not named by its base position ({JournalDescriptor.FileNameDigits} decimal digits + '{JournalDescriptor.FileExtension}').",
                    files[i]);
            }
        }

        Array.Sort(bases, files);
        _paths = files;
        _indices = new long[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            var header = ValidateHeader(files[i], bases[i]);
            if (i == 0)
            {
                SegmentSize = header.Size;
            }
            else if (header.Size != SegmentSize)
            {
                throw new JournalFormatException(
                    $"Segment file '{files[i]}' has segment size {header.Size}, but '{files[0]}' has {SegmentSize}.", files[i]);
            }
            else if (header.Index != _indices[i - 1] + 1)
            {
                throw new JournalFormatException(
                    $"Segment file '{files[i]}' has index {header.Index}, but the previous segment '{files[i - 1]}' has {_indices[i - 1]}: a segment is missing.",
                    files[i]);
            }

            _indices[i] = header.Index;
        }
    }

    /// <summary>Full path of the journal directory.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public string Directory { get; }

    /// <summary>Size of every segment file, bytes.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public int SegmentSize { get; }

    /// <summary>Number of segment files found when the reader was opened.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public int SegmentCount => _paths.Length;

    /// <summary>Records returned so far (padding excluded).</summary>
    /// <remarks>Reading thread only. Allocation-free.</remarks>
    public long RecordCount => _recordCount;

    /// <summary>Journal position (bytes) of the next frame the reader will look at.</summary>
    /// <remarks>Reading thread only. Allocation-free. After a <see cref="JournalCorruptException"/>, it is the damaged frame's position.</remarks>
    public long Position => (_indices[_segmentOrdinal] * SegmentSize) + Math.Max(_offset, JournalDescriptor.HeaderLength);

    /// <summary>Reads the next committed record, moving across segments through their padding frames.</summary>
    /// <param name="record">The record; its payload is valid until the next call or <see cref="Dispose"/>.</param>
    /// <returns>False at the end of the written data (a zero length, or the end of the last segment); the reader stays there.</returns>
    /// <remarks>Reading thread only. Allocation-free per record; mapping the next segment allocates.</remarks>
    /// <exception cref="JournalCorruptException">The next frame fails its CRC-32C check or is torn; the message names the file and offset.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool TryRead(out JournalRecord record)
    {
        record = default;
        if (_base == null && !MapCurrent())
        {
            return false;
        }

        while (true)
        {
            var size = SegmentSize;
            if (_offset == size)
            {
                if (!NextSegment())
                {
                    return false;
                }

                continue;
            }

            var frame = _base + _offset;
            var length = Volatile.Read(ref *(int*)(frame + RecordDescriptor.FrameLengthOffset));
            if (length == 0)
            {
                return false;
            }

            if ((length & (RecordDescriptor.Alignment - 1)) != 0 || length < RecordDescriptor.MinPaddingFrameLength || length > size - _offset)
            {
                ThrowTorn(length, "its length is not a multiple of 8, too small, or runs past the end of the segment");
            }

            var type = (JournalRecordType)(*(ushort*)(frame + RecordDescriptor.TypeOffset));
            if (type == JournalRecordType.Padding)
            {
                if (length != size - _offset)
                {
                    ThrowTorn(length, "a padding frame must run to the end of its segment");
                }

                if (!NextSegment())
                {
                    return false;
                }

                continue;
            }

            if (length < RecordDescriptor.HeaderLength)
            {
                ThrowTorn(length, "it is shorter than a record header");
            }

            var payloadLength = *(int*)(frame + RecordDescriptor.PayloadLengthOffset);
            if ((uint)payloadLength > (uint)(length - RecordDescriptor.HeaderLength) || RecordDescriptor.FrameLength(payloadLength) != length)
            {
                ThrowTorn(length, $"its payload length {payloadLength} does not match the frame length");
            }

            if (type is not (JournalRecordType.MarketEvent or JournalRecordType.SessionHeader or JournalRecordType.RunSummary))
            {
                ThrowTorn(length, $"its type {(ushort)type} is unknown");
            }

            if (type == JournalRecordType.MarketEvent && payloadLength != MarketEventDescriptor.Size)
            {
                ThrowTorn(length, $"a MarketEvent payload must be {MarketEventDescriptor.Size} bytes, not {payloadLength}");
            }

            var payload = frame + RecordDescriptor.PayloadOffset;
            var stored = *(uint*)(frame + RecordDescriptor.Crc32COffset);
            var computed = Crc32C.Compute(payload, payloadLength);
            if (stored != computed)
            {
                ThrowCrcMismatch(stored, computed);
            }

            record = new JournalRecord(
                type,
                *(long*)(frame + RecordDescriptor.SequenceOffset),
                Position,
                new ReadOnlySpan<byte>(payload, payloadLength));
            _offset += length;
            _recordCount++;
            return true;
        }
    }

    /// <summary>Unmaps the current segment. Idempotent.</summary>
    /// <remarks>Reading thread only. Records returned before become invalid.</remarks>
    public void Dispose()
    {
        _disposed = true;
        _segment?.Dispose();
        _segment = null;
        _base = null;
    }

    private static (long Index, int Size) ValidateHeader(string path, long basePosition)
    {
        Span<byte> header = stackalloc byte[JournalDescriptor.HeaderLength];
        long fileLength;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            fileLength = stream.Length;
            if (fileLength < JournalDescriptor.HeaderLength)
            {
                throw new JournalFormatException(
                    $"Segment file '{path}' is {fileLength} bytes, shorter than a segment header ({JournalDescriptor.HeaderLength} bytes).", path);
            }

            stream.ReadExactly(header);
        }

        var magic = BinaryPrimitives.ReadUInt64LittleEndian(header[JournalDescriptor.MagicOffset..]);
        if (magic != JournalDescriptor.Magic)
        {
            throw new JournalFormatException(
                $"Segment file '{path}' has magic 0x{magic:X16}, not 'OFJOURNL' (0x{JournalDescriptor.Magic:X16}): not a journal segment, or its header was never completed.",
                path);
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.FormatVersionOffset..]);
        if (version != JournalDescriptor.Version)
        {
            throw new JournalFormatException(
                $"Segment file '{path}' has format version {version}; this reader reads version {JournalDescriptor.Version}.", path);
        }

        var eventVersion = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.MarketEventVersionOffset..]);
        if (eventVersion != MarketEventDescriptor.Version)
        {
            throw new JournalFormatException(
                $"Segment file '{path}' holds MarketEvent layout version {eventVersion}; this build uses version {MarketEventDescriptor.Version}.", path);
        }

        var index = BinaryPrimitives.ReadInt64LittleEndian(header[JournalDescriptor.SegmentIndexOffset..]);
        var storedBase = BinaryPrimitives.ReadInt64LittleEndian(header[JournalDescriptor.BasePositionOffset..]);
        var size = BinaryPrimitives.ReadInt64LittleEndian(header[JournalDescriptor.SegmentSizeOffset..]);
        if (size is < JournalDescriptor.MinSegmentSize or > JournalDescriptor.MaxSegmentSize || (size & (size - 1)) != 0)
        {
            throw new JournalFormatException($"Segment file '{path}' has an invalid segment size {size}.", path);
        }

        if (storedBase != basePosition || index < 0 || storedBase != index * size)
        {
            throw new JournalFormatException(
                $"Segment file '{path}' has index {index} and base position {storedBase}, which disagree with its name (base {basePosition}) and segment size {size}.",
                path);
        }

        if (fileLength != size)
        {
            throw new JournalFormatException($"Segment file '{path}' is {fileLength} bytes long, but its header says {size}: the file was truncated or extended.", path);
        }

        return (index, (int)size);
    }

    private bool MapCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        var ordinal = _segmentOrdinal;
        _segment = MappedSegment.OpenRead(_paths[ordinal], _indices[ordinal], _indices[ordinal] * SegmentSize, SegmentSize);
        _base = _segment.Base;
        _offset = JournalDescriptor.HeaderLength;
        return true;
    }

    private bool NextSegment()
    {
        if (_segmentOrdinal + 1 >= _paths.Length)
        {
            return false;
        }

        _segment!.Dispose();
        _segment = null;
        _base = null;
        _segmentOrdinal++;
        return MapCurrent();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTorn(int length, string reason)
    {
        var path = _paths[_segmentOrdinal];
        throw new JournalCorruptException(
            $"Torn or damaged record in segment file '{path}' at offset {_offset} (journal position {Position}): frame length {length}, but {reason}.",
            path,
            _offset,
            Position);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCrcMismatch(uint stored, uint computed)
    {
        var path = _paths[_segmentOrdinal];
        throw new JournalCorruptException(
            $"CRC-32C mismatch in segment file '{path}' at offset {_offset} (journal position {Position}): stored 0x{stored:X8}, computed 0x{computed:X8}.",
            path,
            _offset,
            Position);
    }
}
