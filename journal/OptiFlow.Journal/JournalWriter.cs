using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <summary>
/// Appends records to a journal directory of memory-mapped, fixed-size segment files (<see cref="JournalDescriptor"/>,
/// <see cref="RecordDescriptor"/>), rolling to a new segment when a record does not fit.
/// </summary>
/// <remarks>
/// <para>
/// <b>Thread-safety:</b> one writer thread. Every member except <see cref="Directory"/> and
/// <see cref="SegmentSize"/> must be called from it (or after it stopped, with a happens-before edge such as
/// <see cref="Thread.Join()"/>). Readers on other threads or processes may map the same files while it writes: each
/// record's length is stored last with release semantics, which is the commit point.
/// </para>
/// <para>
/// <b>Allocation:</b> <see cref="Append(ref MarketEvent, long)"/> and <see cref="AppendBlob"/> are allocation-free
/// while the record fits in the current segment; rolling to the next segment allocates (file, mapping, view, file
/// name) once per segment.
/// </para>
/// <para>
/// <b>Durability:</b> level 0: records are in the page cache once appended and survive a crash of this process, not of
/// the machine. <see cref="Flush"/> forces the current segment to the device.
/// </para>
/// <example>
/// <code>
/// using var writer = new JournalWriter(directory, new JournalOptions { SegmentSize = 1 &lt;&lt; 20 });
/// writer.AppendBlob(JournalRecordType.SessionHeader, sessionBytes);
/// writer.Append(ref marketEvent, sequence);   // hot path, per event
/// writer.AppendBlob(JournalRecordType.RunSummary, summaryBytes);
/// </code>
/// </example>
/// </remarks>
public sealed unsafe partial class JournalWriter : IDisposable
{
    private readonly JournalOptions _options;
    private MappedSegment? _segment;
    private byte* _base;
    private int _offset;
    private long _segmentIndex;
    private long _recordCount;
    private long _bytesWritten;
    private int _segmentCount;

    /// <summary>Creates the directory if needed and the first segment, <c>00000000000000000000.seg</c>.</summary>
    /// <param name="directory">Journal directory; created when missing.</param>
    /// <param name="options">Segment size, overwrite policy and clock; <see cref="JournalOptions.Default"/> when in doubt.</param>
    /// <remarks>Allocates (cold path). Creating the segment file reserves <see cref="JournalOptions.SegmentSize"/> bytes (sparse where the file system allows).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The segment size is not a power of two in 4 KiB..1 GiB.</exception>
    /// <exception cref="IOException">The directory already holds segment files and <see cref="JournalOptions.Overwrite"/> is false, or the file system fails.</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian (the format is little-endian).</exception>
    public JournalWriter(string directory, JournalOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The journal format is little-endian; this machine is big-endian.");
        }

        var size = options.SegmentSize;
        if (size is < JournalDescriptor.MinSegmentSize or > JournalDescriptor.MaxSegmentSize || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                size,
                $"JournalOptions.SegmentSize must be a power of two from {JournalDescriptor.MinSegmentSize} to {JournalDescriptor.MaxSegmentSize} bytes.");
        }

        _options = options;
        Directory = Path.GetFullPath(directory);
        SegmentSize = size;
        System.IO.Directory.CreateDirectory(Directory);
        var existing = System.IO.Directory.GetFiles(Directory, "*" + JournalDescriptor.FileExtension);
        if (existing.Length > 0)
        {
            if (!options.Overwrite)
            {
                throw new IOException(
                    $"Journal directory '{Directory}' already holds {existing.Length} segment file(s) (e.g. '{Path.GetFileName(existing[0])}'); "
                    + "choose an empty directory or set JournalOptions.Overwrite to delete them.");
            }

            foreach (var file in existing)
            {
                File.Delete(file);
            }
        }

        OpenSegment(0);
    }

    /// <summary>Full path of the journal directory.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public string Directory { get; }

    /// <summary>Size of every segment file, bytes.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public int SegmentSize { get; }

    /// <summary>Records appended (market events and blobs; padding frames are not counted).</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public long RecordCount => _recordCount;

    /// <summary>Bytes of committed record frames, including padding frames, excluding segment headers.</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public long BytesWritten => _bytesWritten;

    /// <summary>Segment files created so far (the current one included).</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public int SegmentCount => _segmentCount;

    /// <summary>Journal position (bytes) at which the next record will start, unless it has to roll.</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public long Position => (_segmentIndex * SegmentSize) + _offset;

    /// <summary>Appends one market event as a <see cref="JournalRecordType.MarketEvent"/> record of its 128 raw bytes.</summary>
    /// <param name="e">The event; copied, not retained.</param>
    /// <param name="sequence">Its ring sequence.</param>
    /// <remarks>
    /// Hot path: allocation-free unless the segment is full (then it rolls, see the class remarks). Writer thread
    /// only. The record is committed (visible to readers) when this returns.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed (detected without a per-record check: a
    /// disposed writer reports a full segment, and the roll path throws).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(ref MarketEvent e, long sequence)
    {
        const int frameLength = RecordDescriptor.MarketEventFrameLength;
        if (_offset > SegmentSize - frameLength)
        {
            Roll(frameLength);
        }

        var frame = _base + _offset;
        var payload = frame + RecordDescriptor.PayloadOffset;
        Unsafe.WriteUnaligned(payload, e);
        *(ushort*)(frame + RecordDescriptor.TypeOffset) = (ushort)JournalRecordType.MarketEvent;
        *(ushort*)(frame + RecordDescriptor.FlagsOffset) = 0;
        *(long*)(frame + RecordDescriptor.SequenceOffset) = sequence;
        *(uint*)(frame + RecordDescriptor.Crc32COffset) = Crc32C.Compute(payload, MarketEventDescriptor.Size);
        *(int*)(frame + RecordDescriptor.PayloadLengthOffset) = MarketEventDescriptor.Size;
        Volatile.Write(ref *(int*)(frame + RecordDescriptor.FrameLengthOffset), frameLength);
        _offset += frameLength;
        _recordCount++;
        _bytesWritten += frameLength;
    }

    /// <summary>Appends a record whose payload is caller-defined bytes (session header, run summary).</summary>
    /// <param name="type">
    /// <see cref="JournalRecordType.SessionHeader"/> or <see cref="JournalRecordType.RunSummary"/>; or
    /// <see cref="JournalRecordType.MarketEvent"/> with exactly 128 bytes (copying a journal).
    /// </param>
    /// <param name="payload">The bytes, copied; at most <see cref="RecordDescriptor.MaxPayloadLength(int)"/> of <see cref="SegmentSize"/>.</param>
    /// <param name="sequence">Ring sequence to store, or <see cref="RecordDescriptor.NoSequence"/> (-1).</param>
    /// <remarks>Cold path, writer thread only. Allocation-free unless it rolls.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The type is not allowed, or the payload is too large for a segment, or a market event payload is not 128 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void AppendBlob(JournalRecordType type, ReadOnlySpan<byte> payload, long sequence = RecordDescriptor.NoSequence)
    {
        switch (type)
        {
            case JournalRecordType.SessionHeader or JournalRecordType.RunSummary:
                break;
            case JournalRecordType.MarketEvent when payload.Length == MarketEventDescriptor.Size:
                break;
            default:
                throw new ArgumentOutOfRangeException(
                    nameof(type),
                    type,
                    "Blob records are SessionHeader or RunSummary (or MarketEvent with exactly 128 bytes); padding is written by the writer itself.");
        }

        var max = RecordDescriptor.MaxPayloadLength(SegmentSize);
        if (payload.Length > max)
        {
            throw new ArgumentOutOfRangeException(
                nameof(payload),
                payload.Length,
                $"A {type} payload of {payload.Length} bytes does not fit a {SegmentSize}-byte segment (at most {max} bytes).");
        }

        ThrowIfDisposed();
        var frameLength = RecordDescriptor.FrameLength(payload.Length);
        if (_offset > SegmentSize - frameLength)
        {
            Roll(frameLength);
        }

        var frame = _base + _offset;
        var body = new Span<byte>(frame + RecordDescriptor.PayloadOffset, frameLength - RecordDescriptor.HeaderLength);
        payload.CopyTo(body);
        body[payload.Length..].Clear();
        *(ushort*)(frame + RecordDescriptor.TypeOffset) = (ushort)type;
        *(ushort*)(frame + RecordDescriptor.FlagsOffset) = 0;
        *(long*)(frame + RecordDescriptor.SequenceOffset) = sequence;
        *(uint*)(frame + RecordDescriptor.Crc32COffset) = Crc32C.Compute(payload);
        *(int*)(frame + RecordDescriptor.PayloadLengthOffset) = payload.Length;
        Volatile.Write(ref *(int*)(frame + RecordDescriptor.FrameLengthOffset), frameLength);
        _offset += frameLength;
        _recordCount++;
        _bytesWritten += frameLength;
    }

    /// <summary>Writes the current segment's mapped pages to the device (msync) and waits for it.</summary>
    /// <remarks>Blocking I/O: not for the hot path. Writer thread only. Allocation-free. Closed segments were not flushed at roll (durability level 0).</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="IOException">The OS reports a write error.</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        _segment!.Flush();
    }

    /// <summary>Unmaps the current segment. Files keep their full size; space after the last record stays zero.</summary>
    /// <remarks>Does not flush (durability level 0): the page cache writes the data back. Idempotent. Writer thread only.</remarks>
    public void Dispose()
    {
        _segment?.Dispose();
        _segment = null;
        _base = null;

        // The next append finds the segment full and goes to Roll, which throws ObjectDisposedException.
        _offset = SegmentSize;
    }

    private void ThrowIfDisposed()
    {
        if (_base == null)
        {
            ThrowDisposed();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(JournalWriter));
}
