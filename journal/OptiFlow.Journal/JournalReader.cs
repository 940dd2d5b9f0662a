using OptiFlow.Engine.Evaluators;
using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <summary>
/// Reads a journal directory's records in order across its segments, checking every record's CRC-32C; follows a
/// journal that another thread or process is still writing (tailing).
/// </summary>
/// <remarks>
/// <para>
/// The constructor validates every segment header (magic, format version, <see cref="MarketEventDescriptor.Version"/>,
/// <see cref="SignalRecordDescriptor.Version"/>, index, base position, size) and throws
/// <see cref="JournalFormatException"/> naming the file; a <b>last</b> segment whose header is not complete yet (the
/// writer is creating it) is left for later. <see cref="TryRead"/> maps one segment at a time and stops at the first
/// zero length (the end of the committed data); calling it again later picks up records committed since, including
/// in segments created after the reader was opened (it looks for the next segment file when it reaches a padding
/// frame or a segment's end). A damaged or torn record throws <see cref="JournalCorruptException"/> with the segment
/// file and offset; nothing is skipped silently.
/// </para>
/// <para>
/// <b>Market events</b> come back as <see cref="JournalRecordType.MarketEvent"/> records of 128 bytes however they were
/// stored: a <see cref="JournalRecordType.MarketEventDelta"/> is applied to the segment's previous market event in a
/// buffer of the reader's own (a few stores per record, no allocation); one with no market event before it in its
/// segment is damage (<see cref="JournalCorruptException"/>). Seeking walks the segment from its start, so any record
/// boundary can be a starting point.
/// </para>
/// <para>
/// <b>Starting points:</b> the first record (default), <see cref="SeekToPosition"/> (a record boundary, e.g. a
/// <see cref="JournalRecord.Position"/> remembered earlier) or <see cref="SeekToTime"/> (the first record whose
/// timestamp is at or after a time).
/// </para>
/// <para>
/// <b>Read-ahead</b> (<see cref="JournalReaderOptions.ReadAhead"/>, off by default): a thread of the reader's own maps
/// the segments ahead, checks their frames and unmaps the finished ones, so the reading thread skips the checks of frames
/// already checked (still every frame is checked once before it is returned, and damage is reported the same way).
/// </para>
/// <para>
/// <b>Thread-safety:</b> one reading thread. It may run while a <see cref="JournalWriter"/> appends on another thread
/// or process: lengths are loaded with acquire semantics and the writer stores them last with release semantics, so a
/// record is read only once committed, and then whole.
/// </para>
/// <para>
/// <b>Allocation:</b> construction and seeking allocate; <see cref="TryRead"/> is allocation-free per record and
/// allocates only when it maps the next segment (once per segment) or, at the end of a segment, probes for the next
/// segment file (a file-existence check, which may allocate; never in the middle of a segment).
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
    private readonly List<string> _paths = [];
    private readonly List<long> _indices = [];
    private string? _nextPath;
    private MappedSegment? _segment;
    private SegmentReadAhead? _readAhead;
    private bool _segmentShared;
    private int _verifiedEnd;
    private long _segmentBase;
    private byte* _base;
    private int _segmentOrdinal;
    private int _offset = JournalDescriptor.HeaderLength;
    private SegmentFormat _format = SegmentFormat.Current; // the current segment's
    private long _recordCount;
    private bool _disposed;
    private readonly byte[] _eventBuffer = GC.AllocateArray<byte>(MarketEventDescriptor.Size, pinned: true);
    private readonly byte* _event; // _eventBuffer's bytes: where delta records are put back together
    private byte* _marketEventBase; // the last market event of the current segment (in the mapping, or _event); null at a segment's start

    /// <summary>Opens a journal directory and validates the header of every segment file in it.</summary>
    /// <param name="directory">The journal directory.</param>
    /// <remarks>Cold path: allocates, reads every header once.</remarks>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="JournalFormatException">No complete segment file; a badly named file; a bad magic, format version or event layout version; a header that disagrees with its file name, its file's length, its neighbours' size, or the sequence of indices (a missing segment).</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public JournalReader(string directory)
        : this(directory, JournalReaderOptions.Default)
    {
    }

    /// <summary>Opens a journal directory with options, and validates the header of every segment file in it.</summary>
    /// <param name="directory">The journal directory.</param>
    /// <param name="options">How to read; <see cref="JournalReaderOptions.ReadAhead"/> starts the read-ahead thread here.</param>
    /// <remarks>Cold path: allocates, reads every header once.</remarks>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="JournalFormatException">No complete segment file; a badly named file; a bad magic, format version or event layout version; a header that disagrees with its file name, its file's length, its neighbours' size, or the sequence of indices (a missing segment).</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public JournalReader(string directory, JournalReaderOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        _event = (byte*)Unsafe.AsPointer(ref _eventBuffer[0]); // pinned for the reader's lifetime
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
        for (var i = 0; i < files.Length; i++)
        {
            var status = SegmentHeader.Read(files[i], bases[i], out var index, out var size, out _, out _, out var error);
            if (status == SegmentHeader.Status.Incomplete && i == files.Length - 1 && i > 0)
            {
                break; // the writer is creating it: TryRead picks it up once its header is complete
            }

            if (status != SegmentHeader.Status.Valid)
            {
                throw new JournalFormatException(error!, files[i]);
            }

            if (i == 0)
            {
                SegmentSize = size;
            }
            else if (size != SegmentSize)
            {
                throw new JournalFormatException(
                    $"Segment file '{files[i]}' has segment size {size}, but '{files[0]}' has {SegmentSize}.", files[i]);
            }
            else if (index != _indices[i - 1] + 1)
            {
                throw new JournalFormatException(
                    $"Segment file '{files[i]}' has index {index}, but the previous segment '{files[i - 1]}' has {_indices[i - 1]}: segment {_indices[i - 1] + 1} is missing.",
                    files[i]);
            }

            _paths.Add(files[i]);
            _indices.Add(index);
        }

        if (_paths.Count == 0)
        {
            throw new JournalFormatException($"Journal directory '{Directory}' holds no complete segment files (*{JournalDescriptor.FileExtension}).");
        }

        _segmentBase = _indices[0] * SegmentSize;
        if (options.ReadAhead)
        {
            _readAhead = new SegmentReadAhead(_paths, _indices, SegmentSize);
        }
    }

    /// <summary>True while frames are checked ahead on the read-ahead thread (<see cref="JournalReaderOptions.ReadAhead"/>, until a seek or <see cref="Dispose"/>).</summary>
    /// <remarks>Reading thread only.</remarks>
    public bool IsReadingAhead => _readAhead is not null;

    /// <summary>The read-ahead, for tests: null without one.</summary>
    internal SegmentReadAhead? ReadAheadForTests => _readAhead;

    /// <summary>Frames the reading thread checked itself (the others were checked by the read-ahead thread).</summary>
    /// <remarks>Reading thread only. Without read-ahead, every frame returned or passed (padding) is counted.</remarks>
    public long FramesCheckedInline { get; private set; }

    /// <summary>Full path of the journal directory.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public string Directory { get; }

    /// <summary>Size of every segment file, bytes.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public int SegmentSize { get; }

    /// <summary>Number of segment files known so far (grows while tailing).</summary>
    /// <remarks>Reading thread only.</remarks>
    public int SegmentCount => _paths.Count;

    /// <summary>Records returned so far (padding excluded).</summary>
    /// <remarks>Reading thread only. Allocation-free.</remarks>
    public long RecordCount => _recordCount;

    /// <summary>Journal position (bytes) of the next frame the reader will look at.</summary>
    /// <remarks>Reading thread only. Allocation-free. After a <see cref="JournalCorruptException"/>, it is the damaged frame's position.</remarks>
    public long Position => _segmentBase + _offset;

    /// <summary>Reads the next committed record, moving across segments through their padding frames.</summary>
    /// <param name="record">The record; its payload is valid until the next call or <see cref="Dispose"/>.</param>
    /// <returns>False at the end of the committed data (a zero length, or the end of the last segment so far); the reader stays there and a later call continues.</returns>
    /// <remarks>Reading thread only. Allocation-free per record; mapping the next segment allocates.</remarks>
    /// <exception cref="JournalCorruptException">The next frame fails its CRC-32C check or is torn; the message names the file and offset.</exception>
    /// <exception cref="JournalFormatException">A segment created while tailing has a bad header.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool TryRead(out JournalRecord record)
    {
        record = default;
        if (_base == null)
        {
            MapCurrent();
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

            JournalRecordType type;
            int payloadLength;
            if (_offset < _verifiedEnd || (_segmentShared && _offset < (_verifiedEnd = _readAhead!.VerifiedEnd(_segmentOrdinal))))
            {
                // Checked by the read-ahead thread (its release store of the verified end follows its checks).
                type = (JournalRecordType)(*(ushort*)(frame + RecordDescriptor.TypeOffset));
                payloadLength = type == JournalRecordType.Padding ? 0 : *(int*)(frame + RecordDescriptor.PayloadLengthOffset);
            }
            else
            {
                type = CheckFrame(frame, length, out payloadLength);
                FramesCheckedInline++;
                if (_segmentShared)
                {
                    _readAhead!.ReaderReached(_segmentOrdinal, _offset + length);
                }
            }

            if (type == JournalRecordType.Padding)
            {
                if (!NextSegment())
                {
                    return false;
                }

                continue;
            }

            var payload = Payload(frame, length, type);
            if (type == JournalRecordType.MarketEventDelta)
            {
                payloadLength = MarketEventDescriptor.Size;
                type = JournalRecordType.MarketEvent;
            }

            record = new JournalRecord(
                type,
                *(long*)(frame + RecordDescriptor.SequenceOffset),
                *(long*)(frame + RecordDescriptor.TimestampNsOffset),
                Position,
                new ReadOnlySpan<byte>(payload, payloadLength));
            _offset += length;
            _recordCount++;
            return true;
        }
    }

    /// <summary>Positions the reader so that the next <see cref="TryRead"/> returns the record at <paramref name="position"/>.</summary>
    /// <param name="position">A record boundary: a <see cref="JournalRecord.Position"/>, or the end of the committed data.</param>
    /// <remarks>Cold path: walks the frames of that segment from its start (checking each), allocates when it maps. Reading thread only.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The position is not in a known segment, or not a record boundary there.</exception>
    /// <exception cref="JournalCorruptException">A frame before the position is damaged.</exception>
    public void SeekToPosition(long position)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var index = position / SegmentSize;
        var ordinal = (int)(index - _indices[0]);
        if (position < 0 || ordinal < 0 || ordinal >= _paths.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"Position {position} is not in any segment of journal '{Directory}'.");
        }

        StopReadAhead();
        if (ordinal != _segmentOrdinal || _base == null)
        {
            Unmap();
            _segmentOrdinal = ordinal;
            MapCurrent();
        }

        var target = (int)(position - (index * SegmentSize));
        _offset = JournalDescriptor.HeaderLength;
        _marketEventBase = null;
        while (_offset < target)
        {
            var frame = _base + _offset;
            var length = Volatile.Read(ref *(int*)(frame + RecordDescriptor.FrameLengthOffset));
            if (length == 0)
            {
                break;
            }

            var type = CheckFrame(frame, length, out _);
            if (type == JournalRecordType.Padding)
            {
                break;
            }

            Payload(frame, length, type); // a market event is the base the records after it may build on
            _offset += length;
        }

        if (_offset != target)
        {
            var found = _offset;
            _offset = JournalDescriptor.HeaderLength;
            throw new ArgumentOutOfRangeException(
                nameof(position), position, $"Position {position} is not a record boundary in '{_paths[ordinal]}' (offset {target}; the nearest boundary at or before it is {found}).");
        }
    }

    /// <summary>
    /// Positions the reader on the first record, from the start of the journal, whose <see cref="JournalRecord.TimestampNs"/>
    /// is at or after <paramref name="timestampNs"/>; records before it (Symbol records, with timestamp 0, included) are skipped.
    /// </summary>
    /// <param name="timestampNs">Wall-clock ns since the Unix epoch.</param>
    /// <returns>True when such a record exists (the next <see cref="TryRead"/> returns it); false when none does yet (the reader is at the end of the committed data).</returns>
    /// <remarks>Cold path: a linear scan that checks every record's CRC. Reading thread only. Assumes timestamps that do not decrease, as recorded data has.</remarks>
    /// <exception cref="JournalCorruptException">A damaged record before the target.</exception>
    public bool SeekToTime(long timestampNs)
    {
        SeekToPosition(_indices[0] * SegmentSize + JournalDescriptor.HeaderLength);
        _recordCount = 0;
        while (TryRead(out var record))
        {
            if (record.Type != JournalRecordType.Symbol && record.TimestampNs >= timestampNs)
            {
                _offset = (int)(record.Position - (_indices[_segmentOrdinal] * SegmentSize));
                _recordCount--;
                return true;
            }
        }

        return false;
    }

    /// <summary>Unmaps the current segment and stops the read-ahead, if any. Idempotent.</summary>
    /// <remarks>Reading thread only. Records returned before become invalid. With read-ahead on Linux, the read-ahead
    /// thread unmaps its segments just after this returns (off the reading thread's time); elsewhere before.</remarks>
    public void Dispose()
    {
        _disposed = true;
        StopReadAhead();
        Unmap();
    }

    /// <summary>Ends the read-ahead (a seek, <see cref="Dispose"/>): its segments are unmapped, the current one included; a seek maps again.</summary>
    private void StopReadAhead()
    {
        if (_readAhead is null)
        {
            return;
        }

        Unmap();
        _readAhead.Dispose();
        _readAhead = null;
    }

    /// <summary>
    /// The payload of a checked frame: for a <see cref="JournalRecordType.MarketEventDelta"/>, its whole event put back
    /// together (<see cref="ApplyDelta"/>); otherwise the frame's own bytes, and a whole market event becomes the base
    /// of the deltas after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* Payload(byte* frame, int length, JournalRecordType type)
    {
        if (type == JournalRecordType.MarketEventDelta)
        {
            return ApplyDelta(frame, length);
        }

        var payload = frame + RecordDescriptor.PayloadOffset;
        if (type == JournalRecordType.MarketEvent)
        {
            _marketEventBase = payload;
        }

        return payload;
    }

    /// <summary>
    /// Puts a checked <see cref="JournalRecordType.MarketEventDelta"/> frame's event together in <see cref="_event"/> from
    /// its base (the segment's previous market event) and returns it; it becomes the next delta's base.
    /// </summary>
    /// <exception cref="JournalCorruptException">No market event before it in its segment: the delta has no base.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* ApplyDelta(byte* frame, int length)
    {
        var baseEvent = _marketEventBase;
        if (baseEvent != _event)
        {
            if (baseEvent == null)
            {
                ThrowTorn(length, "it is a MarketEventDelta record with no market event before it in its segment to apply it to");
            }

            Unsafe.CopyBlockUnaligned(_event, baseEvent, MarketEventDescriptor.Size); // the base is a whole record in the mapping
            _marketEventBase = _event;
        }

        MarketEventDelta.Apply(_event, *(ushort*)(frame + RecordDescriptor.FlagsOffset), frame + RecordDescriptor.PayloadOffset);
        return _event;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private JournalRecordType CheckFrame(byte* frame, int length, out int payloadLength)
    {
        var fault = FrameCheck.Check(frame, length, _offset, SegmentSize, _format, out var type, out payloadLength);
        if (fault != FrameFault.None)
        {
            ThrowFault(fault, frame, length, type, payloadLength);
        }

        return type;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowFault(FrameFault fault, byte* frame, int length, JournalRecordType type, int payloadLength)
    {
        switch (fault)
        {
            case FrameFault.BadLength:
                ThrowTorn(length, "its length is not a multiple of 8, too small, or runs past the end of the segment");
                break;
            case FrameFault.PaddingNotToEnd:
                ThrowTorn(length, "a padding frame must run to the end of its segment");
                break;
            case FrameFault.ShorterThanHeader:
                ThrowTorn(length, "it is shorter than a record header");
                break;
            case FrameFault.PayloadLengthMismatch:
                ThrowTorn(length, $"its payload length {payloadLength} does not match the frame length");
                break;
            case FrameFault.CrcMismatch:
                ThrowCrcMismatch(*(uint*)(frame + RecordDescriptor.Crc32COffset), Crc32C.Frame(frame, payloadLength));
                break;
            case FrameFault.UnknownType when type == JournalRecordType.MarketEventDelta:
                ThrowTorn(length, $"it is a MarketEventDelta record in a segment of format version {*(int*)(_base + JournalDescriptor.FormatVersionOffset)}, which has none (they exist since version {JournalDescriptor.MarketEventDeltaSinceVersion})");
                break;
            case FrameFault.UnknownType:
                ThrowTorn(length, $"its type {(ushort)type} is unknown");
                break;
            default:
                ThrowTorn(length, $"a {type} payload cannot be {payloadLength} bytes");
                break;
        }
    }

    private void MapCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ordinal = _segmentOrdinal;
        if (_readAhead is not null && ordinal < _readAhead.Count)
        {
            _readAhead.ReaderEntered(ordinal);
            _segment = _readAhead.Acquire(ordinal);
            _segmentShared = true;
            _verifiedEnd = _readAhead.VerifiedEnd(ordinal);
        }
        else
        {
            _segment = MappedSegment.OpenRead(_paths[ordinal], _indices[ordinal], _indices[ordinal] * SegmentSize, SegmentSize);
        }

        _segmentBase = _indices[ordinal] * SegmentSize;
        _base = _segment.Base;
        _format = SegmentFormat.Of(*(int*)(_base + JournalDescriptor.FormatVersionOffset));
    }

    private void Unmap()
    {
        if (_segmentShared)
        {
            _readAhead!.Release(_segmentOrdinal); // its thread unmaps it
        }
        else
        {
            _segment?.Dispose();
        }

        _segment = null;
        _segmentShared = false;
        _verifiedEnd = 0;
        _base = null;
        _marketEventBase = null;
    }

    private bool NextSegment()
    {
        if (_segmentOrdinal + 1 >= _paths.Count && !ProbeNextSegment())
        {
            return false;
        }

        Unmap();
        _segmentOrdinal++;
        _offset = JournalDescriptor.HeaderLength;
        MapCurrent();
        return true;
    }

    /// <summary>Tailing: adds the next segment file once it exists with a complete header.</summary>
    private bool ProbeNextSegment()
    {
        var next = _indices[^1] + 1;
        _nextPath ??= Path.Combine(Directory, MappedSegment.FileName(next * SegmentSize));
        if (!File.Exists(_nextPath))
        {
            return false;
        }

        SegmentHeader.Status status;
        long index;
        int size;
        string? error;
        try
        {
            status = SegmentHeader.Read(_nextPath, next * SegmentSize, out index, out size, out _, out _, out error);
        }
        catch (FileNotFoundException)
        {
            return false; // a recovering writer deleted a half-created segment between the check and the open
        }

        if (status == SegmentHeader.Status.Incomplete)
        {
            return false;
        }

        if (status != SegmentHeader.Status.Valid || size != SegmentSize || index != next)
        {
            throw new JournalFormatException(error ?? $"Segment file '{_nextPath}' has size {size} and index {index}; expected {SegmentSize} and {next}.", _nextPath);
        }

        _paths.Add(_nextPath);
        _indices.Add(next);
        _nextPath = null;
        return true;
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
