using OptiFlow.Engine.Evaluators;
using System.Buffers.Binary;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Segments;

namespace OptiFlow.Journal;

/// <summary>
/// Walks every record of a journal, checking headers, CRC-32C, frame structure and continuity, and classifies how it
/// ends (<see cref="JournalTailState"/>); cuts a damaged tail. The engine of <c>optiflow journal verify</c> and of
/// <see cref="JournalWriter.Resume"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Checks:</b> file names; every segment header; consecutive indices from 0 (a missing segment is damage); in each
/// segment, frame after frame: alignment, bounds, payload length, known type and size, CRC-32C; a non-last segment
/// must end with a padding frame or exactly at its end; MarketEvent, Signal and OrderCommand sequences must each increase.
/// </para>
/// <para>
/// <b>Tail or middle:</b> damage is the <i>tail</i> only when it is in the last segment and every byte after the
/// damaged frame is zero: nothing committed can follow it. Anything else is damage in the middle: reported with its
/// segment file and offset, never skipped and never cut. After a CRC mismatch in a frame whose length is sound, the
/// scan goes on with the next frame so later damage is reported too; after a frame whose length cannot be trusted it
/// goes on with the next segment.
/// </para>
/// <para>Cold path: reads each segment file once into a buffer of its size (allocates). Stateless: thread-safe; do
/// not scan a journal while a writer appends to it (the tail would be classified mid-write).</para>
/// </remarks>
public static class JournalScanner
{
    /// <summary>Scans the journal in <paramref name="directory"/>.</summary>
    /// <param name="directory">The journal directory.</param>
    /// <returns>The report; <see cref="JournalScanReport.IsIntact"/> when nothing is damaged. An empty directory gives a report with no segment files.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="JournalIOException">The OS refuses to read a segment.</exception>
    public static JournalScanReport Scan(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Journal directory '{full}' does not exist.");
        }

        var report = new JournalScanReport(full);
        var damage = new List<JournalDamage>();
        var files = Directory.GetFiles(full, "*" + JournalDescriptor.FileExtension);
        var named = new List<(long Base, string Path)>();
        foreach (var file in files)
        {
            if (MappedSegment.TryParseFileName(Path.GetFileName(file), out var basePosition))
            {
                named.Add((basePosition, file));
            }
            else
            {
                damage.Add(new JournalDamage(file, 0, -1, $"File '{file}' is not named by a base position ({JournalDescriptor.FileNameDigits} digits + '{JournalDescriptor.FileExtension}').", false));
            }
        }

        named.Sort((a, b) => a.Base.CompareTo(b.Base));
        report.SegmentFiles = [.. named.Select(n => n.Path)];
        var state = new ScanState();
        long expectedIndex = 0;

        // A headerless last file after another segment may be the next segment the writer prepared in the background
        // (JournalWriter, SegmentPreparer) while it still wrote the one before: it holds no record, so the segment before
        // it is scanned as the journal's last (its tail may be torn), and the headerless file is tail damage that
        // truncating deletes.
        var headerlessLast = named.Count >= 2
            && SegmentHeader.Read(named[^1].Path, named[^1].Base, out _, out _, out _, out _, out _) == SegmentHeader.Status.Incomplete;
        for (var i = 0; i < named.Count; i++)
        {
            var (basePosition, path) = named[i];
            var isLast = i == named.Count - 1 || (headerlessLast && i == named.Count - 2);
            var status = SegmentHeader.Read(path, basePosition, out var index, out var size, out var fileLength, out _, out var error);
            if (status == SegmentHeader.Status.Incomplete)
            {
                if (i == named.Count - 1 && report.Tail != JournalTailState.Clean)
                {
                    // The segment before it has a torn or uncommitted tail: the writer died while writing it, with this
                    // one prepared. Truncating cuts that tail and deletes this file.
                    report.UnusedSegmentFile = path;
                    damage.Add(new JournalDamage(path, 0, basePosition, $"{error} The writer prepared it and died before using it; truncating deletes the file.", true));
                }
                else if (i == named.Count - 1)
                {
                    report.Tail = JournalTailState.IncompleteSegment;
                    report.TailSegmentFile = path;
                    report.TailOffset = 0;
                    report.TailBytes = fileLength;
                    damage.Add(new JournalDamage(path, 0, basePosition, $"{error} The writer died while creating it (or prepared it and had not used it yet); truncating deletes the file.", true));
                    if (report.SegmentSize > 0 && basePosition == state.NextSegmentBase && state.EndPosition == basePosition)
                    {
                        state.EndPosition = basePosition + JournalDescriptor.HeaderLength;
                    }
                    else if (report.SegmentSize == 0 && basePosition == 0)
                    {
                        state.EndPosition = JournalDescriptor.HeaderLength;
                    }
                }
                else
                {
                    damage.Add(new JournalDamage(path, 0, basePosition, $"{error} It is not the last segment.", false));
                }

                continue;
            }

            var truncated = status == SegmentHeader.Status.Invalid && size > 0 && fileLength < size && index * (long)size == basePosition;
            if (status == SegmentHeader.Status.Invalid && !truncated)
            {
                damage.Add(new JournalDamage(path, 0, basePosition, error!, false));
                continue;
            }

            if (report.SegmentSize == 0)
            {
                report.SegmentSize = size;
            }
            else if (size != report.SegmentSize)
            {
                damage.Add(new JournalDamage(path, 0, basePosition, $"Segment file '{path}' has segment size {size}, but the journal's is {report.SegmentSize}.", false));
                continue;
            }

            if (index != expectedIndex)
            {
                var message = index > expectedIndex
                    ? $"Segment {expectedIndex}{(index - expectedIndex > 1 ? $" to {index - 1}" : string.Empty)} missing before '{path}' (index {index}): the records between position {expectedIndex * size} and {basePosition} are lost."
                    : $"Segment file '{path}' repeats index {index}.";
                damage.Add(new JournalDamage(path, 0, basePosition, message, false));
            }

            expectedIndex = index + 1;
            if (truncated && !isLast)
            {
                damage.Add(new JournalDamage(path, 0, basePosition, $"{error} It is not the last segment, so the records it lost are in the middle of the journal.", false));
                continue;
            }

            var bytes = new byte[fileLength];
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.ReadExactly(bytes);
            }
            catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException and not EndOfStreamException))
            {
                throw JournalIOException.From("read journal segment", path, e);
            }

            ScanSegment(report, state, damage, path, basePosition, size, bytes, isLast, truncated);
        }

        report.Records = state.Records;
        report.MarketEvents = state.MarketEvents;
        report.Signals = state.Signals;
        report.OrderCommands = state.OrderCommands;
        report.SnapshotRequests = state.SnapshotRequests;
        report.EvaluatorRecords = state.EvaluatorRecords;
        report.SessionHeaders = state.SessionHeaders;
        report.RunSummaries = state.RunSummaries;
        report.LastSequence = state.LastSequence;
        report.FirstTimestampNs = state.FirstTimestampNs;
        report.LastTimestampNs = state.LastTimestampNs;
        report.EndPosition = state.EndPosition;

        // The tail damage goes last; a damage found in the middle of the journal before it keeps its place.
        damage.Sort((a, b) => a.IsTail == b.IsTail ? 0 : a.IsTail ? 1 : -1);
        report.Damage = damage;
        return report;
    }

    /// <summary>
    /// Cuts the tail damage a scan found: zeroes a torn or uncommitted tail, restores a truncated last segment to its
    /// full size (zeros), or deletes a half-created last segment (or a prepared, headerless one after a torn tail).
    /// Records before the tail are untouched.
    /// </summary>
    /// <param name="report">A fresh report of <see cref="Scan"/> (no writer may have appended since).</param>
    /// <returns>Bytes discarded (non-zero bytes zeroed, or the deleted file's length); 0 when the tail was clean.</returns>
    /// <remarks>Cold path: file I/O, allocates. Does not flush the page cache.</remarks>
    /// <exception cref="JournalCorruptException">The report has damage that is not at the tail: cutting there would discard committed records, so nothing is changed.</exception>
    /// <exception cref="JournalIOException">The OS refuses the change (a read-only journal).</exception>
    public static long Truncate(JournalScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.HasDamageBeforeTail)
        {
            var first = report.Damage.First(d => !d.IsTail);
            throw new JournalCorruptException(
                $"Refusing to truncate '{report.Directory}': the damage is not only at the tail. {first.Message}", first.SegmentFile, first.Offset, first.Position);
        }

        try
        {
            var discarded = Cut(report);
            if (report.UnusedSegmentFile is { } unused)
            {
                discarded += new FileInfo(unused).Length;
                File.Delete(unused);
            }

            return discarded;
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException and not JournalIOException))
        {
            throw JournalIOException.From("truncate journal segment", report.TailSegmentFile ?? report.Directory, e);
        }
    }

    private static long Cut(JournalScanReport report)
    {
        switch (report.Tail)
        {
            case JournalTailState.Clean:
                return 0;
            case JournalTailState.IncompleteSegment:
                File.Delete(report.TailSegmentFile!);
                return report.TailBytes;
            default:
                using (var stream = new FileStream(report.TailSegmentFile!, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
                {
                    var end = Math.Min(stream.Length, report.TailOffset + report.TailBytes);
                    if (end > report.TailOffset)
                    {
                        stream.Position = report.TailOffset;
                        stream.Write(new byte[end - report.TailOffset]);
                    }

                    if (stream.Length < report.SegmentSize)
                    {
                        stream.SetLength(report.SegmentSize);
                    }
                }

                return report.TailBytes;
        }
    }

    private static void ScanSegment(JournalScanReport report, ScanState state, List<JournalDamage> damage, string path, long basePosition, int size, byte[] bytes, bool isLast, bool truncated)
    {
        var length = bytes.Length;
        var offset = JournalDescriptor.HeaderLength;
        var hasMarketEventBase = false; // a MarketEventDelta needs a market event before it in its segment
        var format = SegmentFormat.Of(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(JournalDescriptor.FormatVersionOffset)));
        state.NextSegmentBase = basePosition + size;
        while (true)
        {
            if (offset == size)
            {
                state.EndPosition = basePosition + size;
                return;
            }

            if (offset + sizeof(int) > length)
            {
                // A truncated last segment that ends on a frame boundary: nothing torn, the file is short.
                state.EndPosition = basePosition + offset;
                SetTail(report, damage, JournalTailState.Truncated, path, basePosition, offset, 0,
                    $"Segment file '{path}' is {length} bytes long, but its header says {size}: the file was truncated at offset {length}, after the last good record (offset {offset}).");
                return;
            }

            var frameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            if (frameLength == 0)
            {
                state.EndPosition = basePosition + offset;
                var garbage = LastNonZero(bytes, offset) + 1 - offset;
                if (!isLast)
                {
                    damage.Add(new JournalDamage(path, offset, basePosition + offset,
                        $"Segment file '{path}' ends at offset {offset} without a padding frame, but a later segment exists: records between here and the next segment are missing.", false));
                }
                else if (garbage > 0)
                {
                    SetTail(report, damage, JournalTailState.Uncommitted, path, basePosition, offset, garbage,
                        $"Uncommitted record in segment file '{path}' at offset {offset} (journal position {basePosition + offset}): a zero length followed by {garbage} non-zero byte(s), a write that never reached its commit point.");
                }
                else if (truncated)
                {
                    SetTail(report, damage, JournalTailState.Truncated, path, basePosition, offset, 0,
                        $"Segment file '{path}' is {length} bytes long, but its header says {size}: the file was truncated after the last good record (offset {offset}).");
                }

                return;
            }

            var problem = CheckFrame(bytes, offset, size, frameLength, format, out var type, out var payloadLength, out var plausible);
            if (problem is null && type == JournalRecordType.Padding)
            {
                state.EndPosition = basePosition + size;
                return;
            }

            if (problem is not null)
            {
                var extent = plausible ? offset + frameLength : offset + RecordDescriptor.HeaderLength;
                var lastNonZero = LastNonZero(bytes, offset);
                var crossesEnd = offset + (plausible ? frameLength : RecordDescriptor.HeaderLength) > length;
                var message = $"{problem} in segment file '{path}' at offset {offset} (journal position {basePosition + offset}), frame length {frameLength}";
                if (isLast && (lastNonZero < extent || crossesEnd))
                {
                    state.EndPosition = basePosition + offset;
                    SetTail(report, damage, truncated ? JournalTailState.Truncated : JournalTailState.Torn, path, basePosition, offset, Math.Max(0, lastNonZero + 1 - offset),
                        $"Torn tail: {message}; only zeros follow it, so it is the last record and was never completely written.");
                    return;
                }

                damage.Add(new JournalDamage(path, offset, basePosition + offset, $"{message}; data follows it, so this is damage in the middle of the journal.", false));
                if (!plausible)
                {
                    state.EndPosition = basePosition + offset;
                    return;
                }

                offset += frameLength;
                continue;
            }

            state.Records++;
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + RecordDescriptor.SequenceOffset));
            var timestamp = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + RecordDescriptor.TimestampNsOffset));
            if (type == JournalRecordType.MarketEventDelta)
            {
                if (!hasMarketEventBase)
                {
                    damage.Add(new JournalDamage(path, offset, basePosition + offset,
                        $"Damaged record in segment file '{path}' at offset {offset} (journal position {basePosition + offset}): a MarketEventDelta record with no market event before it in its segment to apply it to.", false));
                }

                type = JournalRecordType.MarketEvent; // counted and sequenced as the market event it stands for
            }

            if (type == JournalRecordType.MarketEvent)
            {
                hasMarketEventBase = true;
            }

            if (type is JournalRecordType.MarketEvent or JournalRecordType.Signal or JournalRecordType.OrderCommand or JournalRecordType.SnapshotRequest or JournalRecordType.EvaluatorRecord)
            {
                ref var previous = ref state.LastMarketEventSequence;
                switch (type)
                {
                    case JournalRecordType.MarketEvent:
                        state.MarketEvents++;
                        break;
                    case JournalRecordType.Signal:
                        state.Signals++;
                        previous = ref state.LastSignalSequence;
                        break;
                    case JournalRecordType.SnapshotRequest:
                        state.SnapshotRequests++;
                        previous = ref state.LastSnapshotRequestSequence;
                        break;
                    case JournalRecordType.EvaluatorRecord:
                        state.EvaluatorRecords++;
                        previous = ref state.LastEvaluatorRecordSequence;
                        break;
                    default:
                        state.OrderCommands++;
                        previous = ref state.LastOrderCommandSequence;
                        break;
                }

                if (sequence <= previous)
                {
                    damage.Add(new JournalDamage(path, offset, basePosition + offset,
                        $"Sequence discontinuity in segment file '{path}' at offset {offset}: {type} sequence {sequence} does not follow {previous}.", false));
                }

                previous = sequence;
                state.LastSequence = sequence;
            }

            if (type == JournalRecordType.SessionHeader)
            {
                state.SessionHeaders++;
            }
            else if (type == JournalRecordType.RunSummary)
            {
                state.RunSummaries++;
            }

            if (timestamp != 0)
            {
                state.FirstTimestampNs = state.FirstTimestampNs == 0 ? timestamp : Math.Min(state.FirstTimestampNs, timestamp);
                state.LastTimestampNs = Math.Max(state.LastTimestampNs, timestamp);
            }

            _ = payloadLength;
            offset += frameLength;
            state.EndPosition = basePosition + offset;
        }
    }

    private static unsafe string? CheckFrame(byte[] bytes, int offset, int size, int frameLength, SegmentFormat format, out JournalRecordType type, out int payloadLength, out bool plausible)
    {
        type = JournalRecordType.None;
        payloadLength = 0;
        plausible = false;
        if ((frameLength & (RecordDescriptor.Alignment - 1)) != 0 || frameLength < RecordDescriptor.MinPaddingFrameLength || frameLength > size - offset)
        {
            return "Torn or damaged record (its length is not a multiple of 8, too small, or runs past the end of the segment)";
        }

        if (offset + RecordDescriptor.MinPaddingFrameLength > bytes.Length)
        {
            return "Torn record (the file ends inside its header)";
        }

        type = (JournalRecordType)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + RecordDescriptor.TypeOffset));
        if (type == JournalRecordType.Padding)
        {
            plausible = true;
            return frameLength == size - offset ? null : "Torn or damaged record (a padding frame must run to the end of its segment)";
        }

        if (frameLength < RecordDescriptor.HeaderLength)
        {
            return "Torn or damaged record (shorter than a record header)";
        }

        if (offset + frameLength > bytes.Length)
        {
            plausible = true;
            return "Torn record (the file ends inside it)";
        }

        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + RecordDescriptor.PayloadLengthOffset));
        plausible = true;
        if ((uint)payloadLength > (uint)(frameLength - RecordDescriptor.HeaderLength) || RecordDescriptor.FrameLength(payloadLength) != frameLength)
        {
            return $"Torn or damaged record (payload length {payloadLength} does not match the frame length)";
        }

        uint computed;
        fixed (byte* frame = &bytes[offset])
        {
            computed = Crc32C.Frame(frame, payloadLength);
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + RecordDescriptor.Crc32COffset));
        if (stored != computed)
        {
            return $"CRC-32C mismatch (stored 0x{stored:X8}, computed 0x{computed:X8})";
        }

        var ok = type switch
        {
            JournalRecordType.MarketEvent => payloadLength == MarketEventDescriptor.Size,
            JournalRecordType.MarketEventDelta => format.DeltaRecords
                && payloadLength == MarketEventDelta.PayloadLength(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + RecordDescriptor.FlagsOffset))),
            JournalRecordType.Signal => payloadLength == format.SignalSize,
            JournalRecordType.OrderCommand => payloadLength == OrderCommandDescriptor.Size,
            JournalRecordType.SnapshotRequest => payloadLength == SnapshotRequestDescriptor.Size,
            JournalRecordType.EvaluatorRecord => payloadLength == EvaluatorRecordDescriptor.Size,
            JournalRecordType.Symbol => payloadLength > sizeof(int),
            JournalRecordType.SessionHeader or JournalRecordType.RunSummary or JournalRecordType.Raw => true,
            _ => false,
        };
        return ok ? null : $"Damaged record (type {(ushort)type} with a {payloadLength}-byte payload is not a known record)";
    }

    private static void SetTail(JournalScanReport report, List<JournalDamage> damage, JournalTailState tail, string path, long basePosition, int offset, long bytes, string message)
    {
        report.Tail = tail;
        report.TailSegmentFile = path;
        report.TailOffset = offset;
        report.TailBytes = bytes;
        damage.Add(new JournalDamage(path, offset, basePosition + offset, message, true));
    }

    private static int LastNonZero(byte[] bytes, int from)
    {
        var span = bytes.AsSpan(from);
        var index = span.LastIndexOfAnyExcept((byte)0);
        return index < 0 ? from - 1 : from + index;
    }

    private sealed class ScanState
    {
        public long Records;
        public long MarketEvents;
        public long Signals;
        public long SnapshotRequests;

        public long EvaluatorRecords;
        public long OrderCommands;
        public long SessionHeaders;
        public long RunSummaries;
        public long LastOrderCommandSequence = -1;
        public long LastSequence = -1;
        public long LastMarketEventSequence = -1;
        public long LastSignalSequence = -1;
        public long LastSnapshotRequestSequence = -1;

        public long LastEvaluatorRecordSequence = -1;
        public long FirstTimestampNs;
        public long LastTimestampNs;
        public long EndPosition = JournalDescriptor.HeaderLength;
        public long NextSegmentBase;
    }
}
