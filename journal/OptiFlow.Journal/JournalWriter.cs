using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <summary>
/// Appends records to a journal directory of memory-mapped, fixed-size segment files (<see cref="JournalDescriptor"/>,
/// <see cref="RecordDescriptor"/>), rolling to a new segment when a record does not fit.
/// </summary>
/// <remarks>
/// <para>
/// <b>Thread-safety:</b> one writer thread. Every member except <see cref="Directory"/>, <see cref="SegmentSize"/>
/// and <see cref="Recovery"/> must be called from it (or after it stopped, with a happens-before edge such as
/// <see cref="Thread.Join()"/>). Readers on other threads or processes may map the same files while it writes: each
/// record's length is stored last with release semantics, which is the commit point.
/// </para>
/// <para>
/// <b>Allocation:</b> <see cref="Append(ref MarketEvent, long)"/>, <see cref="AppendSignal"/>, <see cref="AppendSymbol"/>,
/// <see cref="AppendBlob"/> and <see cref="OnBatchEnd"/> are allocation-free, rolls included: the next segment is created,
/// mapped and pre-faulted on a background thread (<see cref="JournalOptions.PrepareSegments"/>) and the roll only writes its
/// header. A roll that finds it not ready yet waits for it and may allocate (<see cref="SynchronousRolls"/> counts them).
/// </para>
/// <para>
/// <b>Durability:</b> <see cref="JournalOptions.Durability"/>; see <see cref="JournalDurability"/> for what each level
/// survives. Level 0 (the default) never blocks on I/O.
/// </para>
/// <para>
/// <b>Recovery:</b> <see cref="Resume"/> reopens an existing journal: it scans it (<see cref="JournalScanner"/>), cuts
/// a torn or uncommitted tail, and appends after the last good record.
/// </para>
/// <para>
/// <b>The directory:</b> a writer holds an exclusive <c>flock(2)</c> on <c>DIR/.optiflow.lock</c> for its lifetime, so a
/// second writer (this process or another) is refused with a <see cref="JournalDirectoryException"/> naming the holder's
/// pid, instead of splicing its records into the first one's (see <see cref="JournalDirectories"/> for the rules and
/// why <c>flock</c>). A new writer refuses a non-empty directory that is not an OptiFlow journal, and an existing journal
/// unless <see cref="JournalOptions.Overwrite"/>; every directory it creates is 0700 and every file 0600.
/// </para>
/// <para>
/// <b>I/O failure:</b> when the OS refuses a segment (a full disk, a file-size limit) or an msync, the append or flush
/// throws a <see cref="JournalIOException"/> naming the file and the errno, and the writer is <i>failed</i>
/// (<see cref="Failure"/>): every later append or flush throws the same exception and writes nothing. Every record
/// committed before the failure stays in place and verifies; the journal simply ends there.
/// </para>
/// <example>
/// <code>
/// using var writer = new JournalWriter(directory, new JournalOptions { SegmentSize = 1 &lt;&lt; 20 });
/// writer.AppendBlob(JournalRecordType.SessionHeader, sessionBytes);
/// writer.Append(ref marketEvent, sequence);   // hot path, per event
/// writer.OnBatchEnd();                          // at the end of each ring batch (durability level 2)
/// writer.AppendBlob(JournalRecordType.RunSummary, summaryBytes);
/// </code>
/// </example>
/// </remarks>
public sealed unsafe partial class JournalWriter : IDisposable
{
    private readonly JournalOptions _options;
    private readonly long _flushIntervalTicks;
    private readonly bool _deltaMarketEvents;
    private MarketEvent _marketEventBase; // the last market event written in the current segment (delta records' base)
    private bool _hasMarketEventBase;     // false at a segment's start and after Resume: the next market event goes whole
    private MappedSegment? _segment;
    private byte* _base;
    private int _offset;
    private long _segmentIndex;
    private long _recordCount;
    private long _bytesWritten;
    private int _segmentCount;
    private long _flushCount;
    private long _flushedRecordCount; // _recordCount at the last msync
    private long _flushAtRecordCount; // level 2: msync when _recordCount reaches it; long.MaxValue at levels 0 and 1
    private long _lastFlushTicks;
    private JournalLock? _lock;
    private SegmentPreparer? _preparer;
    private MappedSegment? _retired;   // the closed segment, handed to the preparer with the next request
    private int _rollAt;                // offset that sends an append to Roll: SegmentSize, or half of it while the next segment is not yet requested
    private long _synchronousRolls;
    private volatile JournalIOException? _failure;

    /// <summary>
    /// Locks the directory (creating it, mode 0700, when missing) and creates the first segment,
    /// <c>00000000000000000000.seg</c>, after checking that the directory may hold a new journal.
    /// </summary>
    /// <param name="directory">Journal directory; created when missing.</param>
    /// <param name="options">Segment size, overwrite policy, durability and clock; <see cref="JournalOptions.Default"/> when in doubt.</param>
    /// <remarks>
    /// Allocates (cold path). Creating the segment file allocates <see cref="JournalOptions.SegmentSize"/> bytes on the
    /// device (<c>posix_fallocate</c>), so the first write to each page does not also allocate a block and a full disk is
    /// reported here, not as a fault in the mapping. The directory is inspected before anything is created
    /// (<see cref="JournalDirectories.RequireWritable"/>): a refusal leaves no trace. When construction fails after the
    /// writer created the directory, it removes what it created.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The segment size is not a power of two in 4 KiB..1 GiB, or a level-2 flush setting is below 1.</exception>
    /// <exception cref="JournalDirectoryException">The directory holds something that is not an OptiFlow journal, holds a
    /// journal and <see cref="JournalOptions.Overwrite"/> is false, or another writer holds its lock.</exception>
    /// <exception cref="JournalIOException">The OS refuses to create the directory, the lock file or the segment (the message names the path and the errno).</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian (the format is little-endian).</exception>
    public JournalWriter(string directory, JournalOptions options)
        : this(directory, options, validateOnly: true)
    {
        var state = JournalDirectories.RequireWritable(Directory, options.Overwrite);
        var created = state == JournalDirectoryState.Missing;
        if (created)
        {
            JournalDirectories.CreateDirectory(Directory);
        }

        try
        {
            _lock = JournalLock.Acquire(Directory);

            // Again under the lock: another writer may have written here between the first look and the lock.
            if (JournalDirectories.RequireWritable(Directory, options.Overwrite) == JournalDirectoryState.Journal)
            {
                JournalDirectories.DeleteSegments(Directory);
            }

            OpenSegment(0);
            StartPreparing();
        }
        catch
        {
            Dispose();
            if (created)
            {
                RemoveCreatedDirectory();
            }

            throw;
        }
    }

    private JournalWriter(string directory, JournalOptions options, bool validateOnly)
    {
        _ = validateOnly;
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

        ArgumentOutOfRangeException.ThrowIfLessThan(options.FlushEveryRecords, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FlushIntervalMs, 1, nameof(options));
        _options = options;
        _deltaMarketEvents = options.DeltaMarketEvents;
        _flushIntervalTicks = options.FlushIntervalMs * Stopwatch.Frequency / 1000;
        _lastFlushTicks = Stopwatch.GetTimestamp();
        _flushAtRecordCount = options.Durability == JournalDurability.FlushPeriodically ? options.FlushEveryRecords : long.MaxValue;
        Directory = Path.GetFullPath(directory);
        SegmentSize = size;
        _rollAt = size;
    }

    /// <summary>Full path of the journal directory.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public string Directory { get; }

    /// <summary>Size of every segment file, bytes.</summary>
    /// <remarks>Immutable: thread-safe.</remarks>
    public int SegmentSize { get; }

    /// <summary>What <see cref="Resume"/> found in the journal before appending; null for a writer that created a new journal.</summary>
    /// <remarks>Immutable after construction: thread-safe.</remarks>
    public JournalScanReport? Recovery { get; private set; }

    /// <summary>
    /// The I/O failure that stopped this writer (a segment the OS would not create or allocate, an msync error), or null
    /// while it works. Once set, every append and flush throws it and writes nothing; what was committed before it stays.
    /// </summary>
    /// <remarks>Set on the writer thread, read from any thread (a volatile field): a producer may poll it to stop early.</remarks>
    public JournalIOException? Failure => _failure;

    /// <summary>Records appended by this writer (padding frames and records found by <see cref="Resume"/> are not counted).</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public long RecordCount => _recordCount;

    /// <summary>msyncs this writer made: explicit <see cref="Flush"/> calls, level 2's periodic ones, and the flush of each closed segment at levels 1 and 2 (not the one at dispose).</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free. Always 0 at level 0 unless <see cref="Flush"/> is called.</remarks>
    public long FlushCount => _flushCount;

    /// <summary>Bytes of record frames committed by this writer, including padding frames, excluding segment headers.</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public long BytesWritten => _bytesWritten;

    /// <summary>
    /// Bytes of the current segment pre-faulted so far by its background pre-faulter (<see cref="JournalOptions.Prefault"/>);
    /// 0 when pre-faulting is off.
    /// </summary>
    /// <remarks>Writer thread only (the segment may roll otherwise); the count itself is read with a volatile load. Allocation-free.</remarks>
    public long PrefaultedBytes => _segment?.Prefaulter?.BytesDone ?? 0;

    /// <summary>Why the current segment's pre-faulting stopped early (OS or kernel without <c>MADV_POPULATE_WRITE</c>, or an errno); null when it did not.</summary>
    /// <remarks>Writer thread only. The writer itself is unaffected: its pages then fault on first write.</remarks>
    public string? PrefaultError => _segment?.Prefaulter?.Error;

    /// <summary>Waits, bounded, until the current segment's pre-faulter has ended; true when it ended (or there is none).</summary>
    /// <param name="timeout">Bound on the wait.</param>
    /// <returns>Whether it ended within <paramref name="timeout"/>.</returns>
    /// <remarks>Writer thread only; for tests and benchmarks that want a fully pre-faulted segment before they measure.</remarks>
    public bool WaitForPrefault(TimeSpan timeout) => _segment?.Prefaulter?.Wait(timeout) ?? true;

    /// <summary>
    /// Rolls that did not find the next segment ready: the writer created it itself (<see cref="JournalOptions.PrepareSegments"/>
    /// off) or waited for the preparer to finish it (the writer filled a segment faster than one could be created). Such a
    /// roll may allocate on the writer thread; every other roll does not.
    /// </summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public long SynchronousRolls => _synchronousRolls;

    /// <summary>Waits, bounded, until the next segment is prepared in the background (true at once when none is being prepared).</summary>
    /// <param name="timeout">Bound on the wait.</param>
    /// <returns>Whether it is ready: the next roll will then not be synchronous.</returns>
    /// <remarks>Writer thread only; for tests and benchmarks that measure a roll.</remarks>
    public bool WaitForNextSegment(TimeSpan timeout) => _preparer?.WaitReady(timeout) ?? true;

    /// <summary>Segment files this writer created or reopened (the current one included).</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public int SegmentCount => _segmentCount;

    /// <summary>Journal position (bytes) at which the next record will start, unless it has to roll.</summary>
    /// <remarks>Writer thread only (plain field). Allocation-free.</remarks>
    public long Position => (_segmentIndex * SegmentSize) + _offset;

    /// <summary>
    /// Opens an existing journal for appending after its last good record, or creates it when the directory holds no
    /// segment: scans every record (<see cref="JournalScanner.Scan"/>), then cuts a tail that is torn, uncommitted or
    /// a half-created segment (<see cref="JournalScanner.Truncate"/>), and positions the writer after it.
    /// </summary>
    /// <param name="directory">Journal directory.</param>
    /// <param name="options">As for the constructor; <see cref="JournalOptions.SegmentSize"/> must match the journal's, and <see cref="JournalOptions.Overwrite"/> is ignored.</param>
    /// <returns>The writer; <see cref="Recovery"/> says what was found and cut.</returns>
    /// <remarks>Cold path: reads the whole journal once, allocates.</remarks>
    /// <exception cref="JournalCorruptException">Damage that is not at the tail (a CRC mismatch or torn frame followed by more data, a missing segment): the writer refuses to append after it; run <c>optiflow journal verify</c>.</exception>
    /// <exception cref="ArgumentException">The journal's segment size differs from <paramref name="options"/>'.</exception>
    /// <exception cref="JournalFormatException">The segment to append to was written in an older format version (records of two layouts would share it).</exception>
    public static JournalWriter Resume(string directory, JournalOptions options)
    {
        var writer = new JournalWriter(directory, options, validateOnly: true);
        var state = JournalDirectories.Inspect(writer.Directory, out var foreign);
        if (state is JournalDirectoryState.NotAJournal or JournalDirectoryState.NotADirectory)
        {
            throw new JournalDirectoryException(
                state == JournalDirectoryState.NotADirectory ? JournalDirectoryRefusal.NotADirectory : JournalDirectoryRefusal.NotAJournal,
                writer.Directory,
                $"Cannot resume '{writer.Directory}': it is not an OptiFlow journal (it holds '{foreign ?? writer.Directory}'); nothing was written.");
        }

        var created = state == JournalDirectoryState.Missing;
        try
        {
            if (created)
            {
                JournalDirectories.CreateDirectory(writer.Directory);
            }

            writer._lock = JournalLock.Acquire(writer.Directory);
            var report = JournalScanner.Scan(writer.Directory);
            if (report.SegmentFiles.Count == 0)
            {
                writer.OpenSegment(0);
                writer.Recovery = report;
                writer.StartPreparing();
                return writer;
            }

            if (report.SegmentSize != writer.SegmentSize)
            {
                throw new ArgumentException(
                    $"Journal '{writer.Directory}' has {report.SegmentSize}-byte segments; JournalOptions.SegmentSize is {writer.SegmentSize}.", nameof(options));
            }

            if (report.HasDamageBeforeTail)
            {
                var first = report.Damage[0];
                throw new JournalCorruptException(
                    $"Cannot resume journal '{writer.Directory}': {first.Message} This is not a torn tail; run 'optiflow journal verify' and decide.",
                    first.SegmentFile,
                    first.Offset,
                    first.Position);
            }

            JournalScanner.Truncate(report);
            writer.Recovery = report;
            var endPosition = report.EndPosition;
            var index = endPosition / writer.SegmentSize;
            var offset = (int)(endPosition - (index * writer.SegmentSize));
            var path = Path.Combine(writer.Directory, MappedSegment.FileName(index * writer.SegmentSize));
            if (!File.Exists(path))
            {
                writer.OpenSegment(index);
            }
            else
            {
                writer._segment = MappedSegment.OpenWrite(path, index, index * writer.SegmentSize, writer.SegmentSize);
                if (writer._options.Prefault)
                {
                    writer._segment.StartPrefault();
                }

                writer._base = writer._segment.Base;
                var version = *(int*)(writer._base + JournalDescriptor.FormatVersionOffset);
                if (version != JournalDescriptor.Version)
                {
                    throw new JournalFormatException(
                        $"Cannot resume journal '{writer.Directory}': its last segment '{path}' has format version {version}, and this build appends format version {JournalDescriptor.Version} records (a signal record is {SignalRecordDescriptor.Size} bytes since version 5); nothing was written. Copy it into a new journal ('optiflow journal copy') and resume that.",
                        path);
                }

                writer._segmentIndex = index;
                writer._offset = offset;
                writer._segmentCount = 1;
            }

            writer.StartPreparing();
            return writer;
        }
        catch
        {
            writer.Dispose();
            if (created)
            {
                writer.RemoveCreatedDirectory();
            }

            throw;
        }
    }

    /// <summary>
    /// Appends one market event: a <see cref="JournalRecordType.MarketEventDelta"/> record of the 8-byte words in which
    /// it differs from the market event before it in the segment, or a whole <see cref="JournalRecordType.MarketEvent"/>
    /// record of its 128 raw bytes when it is the segment's first (or the first after <see cref="Resume"/>, or
    /// <see cref="JournalOptions.DeltaMarketEvents"/> is off). Either way a reader gets the same 128 bytes back.
    /// </summary>
    /// <param name="e">The event; copied, not retained. Its <see cref="MarketEvent.LocalTimestampNs"/> becomes the record's timestamp.</param>
    /// <param name="sequence">Its ring sequence.</param>
    /// <remarks>
    /// Hot path: allocation-free, a prepared segment roll included (see the class remarks). Writer thread
    /// only. The record is committed (visible to readers) when this returns. At level 2 it may msync. A delta record
    /// costs four 32-byte compares, one store and one CRC step per changed word, and a 128-byte copy of the event
    /// (the next one's base).
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed (detected without a per-record check: a
    /// disposed writer reports a full segment, and the roll path throws).</exception>
    /// <exception cref="JournalIOException">The next segment could not be created (a full disk, a file-size limit), an
    /// msync failed, or the writer had failed before (<see cref="Failure"/>): nothing was appended.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(ref MarketEvent e, long sequence) => AppendMarketEvent(in e, sequence, e.LocalTimestampNs);

    /// <summary>Appends a market event as a delta from the segment's previous one, or whole when the segment has none (see <see cref="Append(ref MarketEvent, long)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendMarketEvent(in MarketEvent e, long sequence, long timestampNs)
    {
        if (!_hasMarketEventBase)
        {
            AppendWholeMarketEvent(in e, sequence, timestampNs);
            return;
        }

        var words = MarketEventDelta.ChangedWords(in e, in _marketEventBase);
        var payloadLength = MarketEventDelta.PayloadLength(words);
        var frameLength = RecordDescriptor.HeaderLength + payloadLength; // 8-aligned: no alignment tail
        if (_offset > _rollAt - frameLength)
        {
            Roll(frameLength);
            if (!_hasMarketEventBase)
            {
                AppendWholeMarketEvent(in e, sequence, timestampNs); // rolled: a new segment starts with a whole event
                return;
            }
        }

        var frame = _base + _offset;
        var crc = Crc32C.RecordHead((ushort)JournalRecordType.MarketEventDelta, words, payloadLength, sequence, timestampNs);
        crc = ~MarketEventDelta.Write(in e, words, (ulong*)(frame + RecordDescriptor.PayloadOffset), crc);
        Unsafe.WriteUnaligned(frame, Header(JournalRecordType.MarketEventDelta, crc, payloadLength, sequence, timestampNs, words));
        _marketEventBase = e; // before the commit, whose level-2 msync may throw: the base always matches the last committed event
        Commit(frame, frameLength);
    }

    /// <summary>Appends a whole <see cref="JournalRecordType.MarketEvent"/> record, which becomes the base of the deltas after it in its segment.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AppendWholeMarketEvent(in MarketEvent e, long sequence, long timestampNs)
    {
        AppendFixed(in e, JournalRecordType.MarketEvent, sequence, timestampNs);
        if (_deltaMarketEvents)
        {
            _marketEventBase = e;
            _hasMarketEventBase = true; // after AppendFixed: a roll inside it cleared the flag for the new segment
        }
    }

    /// <summary>Appends one outbound signal as a <see cref="JournalRecordType.Signal"/> record of its 104 raw bytes (<see cref="SignalRecordDescriptor"/>).</summary>
    /// <param name="signal">The signal; copied. Its event time (ms) becomes the record's timestamp (ns).</param>
    /// <param name="sequence">Its outbound ring sequence.</param>
    /// <remarks>Hot path: allocation-free unless a roll is synchronous (<see cref="SynchronousRolls"/>). Writer thread only. Committed when this returns.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="JournalIOException">The OS refused a segment or an msync, now or before (<see cref="Failure"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendSignal(in SignalEvent signal, long sequence) =>
        AppendFixed(in signal, JournalRecordType.Signal, sequence, signal.EventTimeMs * 1_000_000);

    /// <summary>Appends one outbound order command as a <see cref="JournalRecordType.OrderCommand"/> record of its 64 raw bytes (<see cref="OrderCommandDescriptor"/>).</summary>
    /// <param name="command">The command; copied verbatim (it is not validated: the journal keeps what the core emitted). Its event time (ms) becomes the record's timestamp (ns).</param>
    /// <param name="sequence">Its outbound order sequence.</param>
    /// <remarks>Hot path: allocation-free unless a roll is synchronous (<see cref="SynchronousRolls"/>). Writer thread only. Committed when this returns.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="JournalIOException">The OS refused a segment or an msync, now or before (<see cref="Failure"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendOrderCommand(in OrderCommand command, long sequence) =>
        AppendFixed(in command, JournalRecordType.OrderCommand, sequence, command.EventTimeMs * 1_000_000);

    /// <summary>Appends one outbound snapshot request as a <see cref="JournalRecordType.SnapshotRequest"/> record of its 40 raw bytes (<see cref="SnapshotRequestDescriptor"/>).</summary>
    /// <param name="request">The request; copied verbatim. Its event time (ms) becomes the record's timestamp (ns).</param>
    /// <param name="sequence">Its outbound record sequence.</param>
    /// <remarks>Allocation-free unless a roll is synchronous (<see cref="SynchronousRolls"/>). Writer thread only. Committed when this returns.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="JournalIOException">The OS refused a segment or an msync, now or before (<see cref="Failure"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendSnapshotRequest(in SnapshotRequest request, long sequence) =>
        AppendFixed(in request, JournalRecordType.SnapshotRequest, sequence, request.EventTimeMs * 1_000_000);

    /// <summary>Appends one outbound evaluator record as a <see cref="JournalRecordType.EvaluatorRecord"/> record of its 120 raw bytes (<see cref="EvaluatorRecordDescriptor"/>).</summary>
    /// <param name="record">The record; copied verbatim. Its causing event's receive time (or, without one, its event time) becomes the record's timestamp (ns).</param>
    /// <param name="sequence">Its outbound record sequence.</param>
    /// <remarks>Hot path: allocation-free unless a roll is synchronous (<see cref="SynchronousRolls"/>). Writer thread only. Committed when this returns.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="JournalIOException">The OS refused a segment or an msync, now or before (<see cref="Failure"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendEvaluatorRecord(in EvaluatorRecord record, long sequence) =>
        AppendFixed(in record, JournalRecordType.EvaluatorRecord, sequence, record.LocalTimestampNs != 0 ? record.LocalTimestampNs : record.EventTimeMs * 1_000_000);

    /// <summary>Appends a fixed-size struct's raw bytes as one record (rolling first when it does not fit).</summary>
    /// <remarks>The frame length is a JIT-time constant per <typeparamref name="T"/> (header + size). Every caller's struct is a multiple of 8 bytes (layout tests), so the frame has no alignment tail to clear.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendFixed<T>(in T payload, JournalRecordType type, long sequence, long timestampNs)
        where T : unmanaged
    {
        var frameLength = RecordDescriptor.FrameLength(Unsafe.SizeOf<T>());
        if (_offset > _rollAt - frameLength)
        {
            Roll(frameLength);
        }

        // The CRC comes from the values, not from the frame: no reload of the stores just made. The header goes out
        // as one 32-byte store with the length still 0 (uncommitted), so a frame is three to five stores, not nine.
        var crc = Crc32C.Record((ushort)type, sequence, timestampNs, in payload);
        var frame = _base + _offset;
        Unsafe.WriteUnaligned(frame + RecordDescriptor.PayloadOffset, payload);
        Unsafe.WriteUnaligned(frame, Header(type, crc, Unsafe.SizeOf<T>(), sequence, timestampNs));
        Commit(frame, frameLength);
    }

    /// <summary>Appends a <see cref="JournalRecordType.Symbol"/> record: the id, then the UTF-8 name.</summary>
    /// <param name="symbolId">The symbol's id, non-negative.</param>
    /// <param name="utf8Name">Its name, 1 to <see cref="SymbolTable.MaxSymbolLength"/> bytes.</param>
    /// <remarks>Allocation-free unless a roll is synchronous (<see cref="SynchronousRolls"/>). Writer thread only. Timestamp 0 (a symbol has no time).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A negative id, or an empty or too long name.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="JournalIOException">The OS refused a segment or an msync, now or before (<see cref="Failure"/>).</exception>
    public void AppendSymbol(int symbolId, ReadOnlySpan<byte> utf8Name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(symbolId);
        if (utf8Name.IsEmpty || utf8Name.Length > SymbolTable.MaxSymbolLength)
        {
            throw new ArgumentOutOfRangeException(nameof(utf8Name), utf8Name.Length, $"A symbol name is 1 to {SymbolTable.MaxSymbolLength} UTF-8 bytes.");
        }

        ThrowIfDisposed();
        var payloadLength = sizeof(int) + utf8Name.Length;
        var frameLength = RecordDescriptor.FrameLength(payloadLength);
        if (_offset > _rollAt - frameLength)
        {
            Roll(frameLength);
        }

        var frame = _base + _offset;
        var body = new Span<byte>(frame + RecordDescriptor.PayloadOffset, frameLength - RecordDescriptor.HeaderLength);
        body.Clear();
        *(int*)(frame + RecordDescriptor.PayloadOffset) = symbolId;
        utf8Name.CopyTo(body[sizeof(int)..]);
        Commit(frame, JournalRecordType.Symbol, RecordDescriptor.NoSequence, 0, payloadLength, frameLength);
    }

    /// <summary>Appends a record whose payload is caller-defined bytes (session header, run summary, raw) or a copied record.</summary>
    /// <param name="type">
    /// <see cref="JournalRecordType.SessionHeader"/>, <see cref="JournalRecordType.RunSummary"/> or <see cref="JournalRecordType.Raw"/>;
    /// or, copying a journal, <see cref="JournalRecordType.MarketEvent"/> (128 bytes; written as <see cref="Append(ref MarketEvent, long)"/> writes it, usually a delta), <see cref="JournalRecordType.Signal"/> (104 bytes),
    /// <see cref="JournalRecordType.OrderCommand"/> (64 bytes), <see cref="JournalRecordType.SnapshotRequest"/> (40 bytes), <see cref="JournalRecordType.EvaluatorRecord"/> (120 bytes) or
    /// <see cref="JournalRecordType.Symbol"/>.
    /// </param>
    /// <param name="payload">The bytes, copied; at most <see cref="RecordDescriptor.MaxPayloadLength(int)"/> of <see cref="SegmentSize"/>.</param>
    /// <param name="sequence">Ring sequence to store, or <see cref="RecordDescriptor.NoSequence"/> (-1).</param>
    /// <param name="timestampNs">Record time, ns since the Unix epoch; null for the writer's clock (<see cref="JournalOptions.TimeProvider"/>).</param>
    /// <remarks>Writer thread only. Allocation-free unless a roll is synchronous (benchmarks use it on the hot path with <see cref="JournalRecordType.Raw"/>).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The type is not allowed, or the payload is too large for a segment, or a fixed-size payload has the wrong size.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void AppendBlob(JournalRecordType type, ReadOnlySpan<byte> payload, long sequence = RecordDescriptor.NoSequence, long? timestampNs = null)
    {
        switch (type)
        {
            case JournalRecordType.SessionHeader or JournalRecordType.RunSummary or JournalRecordType.Raw:
                break;
            case JournalRecordType.MarketEvent when payload.Length == MarketEventDescriptor.Size:
                break;
            case JournalRecordType.Signal when payload.Length == SignalRecordDescriptor.Size:
                break;
            case JournalRecordType.OrderCommand when payload.Length == OrderCommandDescriptor.Size:
                break;
            case JournalRecordType.SnapshotRequest when payload.Length == SnapshotRequestDescriptor.Size:
                break;
            case JournalRecordType.EvaluatorRecord when payload.Length == EvaluatorRecordDescriptor.Size:
                break;
            case JournalRecordType.Symbol when payload.Length > sizeof(int):
                break;
            default:
                throw new ArgumentOutOfRangeException(
                    nameof(type),
                    type,
                    "Blob records are SessionHeader, RunSummary or Raw (or MarketEvent with 128 bytes, Signal with 104, OrderCommand with 64, SnapshotRequest with 40, EvaluatorRecord with 120, Symbol); padding is written by the writer itself.");
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
        if (type == JournalRecordType.MarketEvent)
        {
            // A copied market event is written as Append writes one (a delta when the segment has a base), so a copy is as compact.
            AppendMarketEvent(in MemoryMarshal.AsRef<MarketEvent>(payload), sequence, timestampNs ?? UnixTimeNs(_options.TimeProvider));
            return;
        }

        var frameLength = RecordDescriptor.FrameLength(payload.Length);
        if (_offset > _rollAt - frameLength)
        {
            Roll(frameLength);
        }

        var frame = _base + _offset;
        var body = new Span<byte>(frame + RecordDescriptor.PayloadOffset, frameLength - RecordDescriptor.HeaderLength);
        payload.CopyTo(body);
        if (body.Length > payload.Length)
        {
            body[payload.Length..].Clear();
        }
        Commit(frame, type, sequence, timestampNs ?? UnixTimeNs(_options.TimeProvider), payload.Length, frameLength);
    }

    /// <summary>
    /// Tells the writer a ring batch ended. At <see cref="JournalDurability.FlushPeriodically"/> it msyncs when
    /// <see cref="JournalOptions.FlushIntervalMs"/> has passed since the last msync and records were appended; otherwise it does nothing.
    /// </summary>
    /// <remarks>Writer thread only. Allocation-free. Reads the monotonic clock only at level 2.</remarks>
    /// <exception cref="IOException">The OS reports a write error (level 2).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnBatchEnd()
    {
        if (_options.Durability == JournalDurability.FlushPeriodically && _recordCount > _flushedRecordCount
            && Stopwatch.GetTimestamp() - _lastFlushTicks >= _flushIntervalTicks)
        {
            Flush();
        }
    }

    /// <summary>Writes the current segment's mapped pages to the device (msync) and waits for it.</summary>
    /// <remarks>Blocking I/O: not for the hot path. Writer thread only. Allocation-free. At level 0 closed segments were not flushed at roll.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="JournalIOException">The OS reports a write error (the writer is failed from then on), or it had failed before.</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        try
        {
            _segment!.Flush();
        }
        catch (JournalIOException e)
        {
            throw Fail(e);
        }

        _flushCount++;
        _flushedRecordCount = _recordCount;
        if (_options.Durability == JournalDurability.FlushPeriodically)
        {
            _flushAtRecordCount = _recordCount + _options.FlushEveryRecords;
        }

        _lastFlushTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Unmaps the current segment (msync first at levels 1 and 2) and releases the directory's lock. Files keep their
    /// full size; space after the last record stays zero.
    /// </summary>
    /// <remarks>
    /// Idempotent. Writer thread only. At level 0 it does not flush: the page cache writes the data back. It does not
    /// throw: an msync error here is recorded in <see cref="Failure"/> (call <see cref="Flush"/> first to see it thrown).
    /// </remarks>
    public void Dispose()
    {
        StopPreparing(); // before the lock goes: unmaps a retired segment, deletes an unused prepared one
        if (_segment is not null && _options.Durability != JournalDurability.PageCache && _failure is null)
        {
            try
            {
                _segment.Flush();
            }
            catch (JournalIOException e)
            {
                _failure ??= e;
            }
        }

        _segment?.Dispose();
        _segment = null;
        _base = null;

        // The next append finds the segment full and goes to Roll, which throws ObjectDisposedException.
        _offset = SegmentSize;
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>Writes the header fields, checksums the frame as stored (<see cref="Crc32C.Frame(byte*, int)"/>), and commits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Commit(byte* frame, JournalRecordType type, long sequence, long timestampNs, int payloadLength, int frameLength)
    {
        WriteHeader(frame, type, sequence, timestampNs, payloadLength);
        Commit(frame, frameLength, Crc32C.Frame(frame, payloadLength));
    }

    /// <summary>Writes every header field but the CRC and the frame length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteHeader(byte* frame, JournalRecordType type, long sequence, long timestampNs, int payloadLength)
    {
        *(uint*)(frame + RecordDescriptor.TypeOffset) = (ushort)type; // type, and flags = 0
        *(int*)(frame + RecordDescriptor.PayloadLengthOffset) = payloadLength;
        *(long*)(frame + RecordDescriptor.SequenceOffset) = sequence;
        *(long*)(frame + RecordDescriptor.TimestampNsOffset) = timestampNs;
    }

    /// <summary>
    /// A frame's 32 header bytes (<see cref="RecordDescriptor"/>) with the length 0, as four little-endian
    /// 8-byte lanes: length, type and flags, CRC and payload length, sequence, timestamp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Header(JournalRecordType type, uint crc, int payloadLength, long sequence, long timestampNs, ushort flags = 0) =>
        Vector256.Create(((ulong)(ushort)type | ((ulong)flags << 16)) << 32, crc | ((ulong)(uint)payloadLength << 32), (ulong)sequence, (ulong)timestampNs);

    /// <summary>Stores the CRC, then commits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Commit(byte* frame, int frameLength, uint crc)
    {
        *(uint*)(frame + RecordDescriptor.Crc32COffset) = crc;
        Commit(frame, frameLength);
    }

    /// <summary>Stores the frame length with release semantics (the commit point: every other byte of the frame is in place), and advances.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Commit(byte* frame, int frameLength)
    {
        Volatile.Write(ref *(int*)(frame + RecordDescriptor.FrameLengthOffset), frameLength);
        _offset += frameLength;
        _recordCount++;
        _bytesWritten += frameLength;
        if (_recordCount >= _flushAtRecordCount) // one compare: long.MaxValue unless level 2
        {
            Flush();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_failure is { } failure)
        {
            throw failure;
        }

        if (_base == null)
        {
            ThrowDisposed();
        }
    }

    /// <summary>Records the first I/O failure, unmaps the segment, and makes every later append take the roll path (which throws it).</summary>
    /// <returns>The failure to throw (the first one recorded).</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private JournalIOException Fail(JournalIOException failure)
    {
        _failure ??= failure;
        StopPreparing();
        _segment?.Dispose();
        _segment = null;
        _base = null;
        _offset = SegmentSize;
        return _failure;
    }

    /// <summary>After a failed construction in a directory this writer created: removes its lock file and the directory (best effort; only when nothing else is in it).</summary>
    private void RemoveCreatedDirectory()
    {
        try
        {
            File.Delete(Path.Combine(Directory, JournalDirectories.LockFileName));
            System.IO.Directory.Delete(Directory, recursive: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not empty or not removable: leave it; nothing in it is a journal record.
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(JournalWriter));
}
