using OptiFlow.Engine.Evaluators;
using System.Buffers.Binary;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal.Segments;

/// <summary>Reads and validates a segment file's header (<see cref="JournalDescriptor"/>) with plain file I/O.</summary>
/// <remarks>Cold path: opens the file, allocates the handle. Thread-safe (no shared state).</remarks>
internal static class SegmentHeader
{
    /// <summary>Outcome of <see cref="Read"/>.</summary>
    public enum Status
    {
        /// <summary>A valid header.</summary>
        Valid,

        /// <summary>The file is shorter than a header or its magic is all zeros: a segment being created, or one a crash left half-created.</summary>
        Incomplete,

        /// <summary>A header that is present but wrong; the error says why.</summary>
        Invalid,
    }

    /// <summary>Reads the header of <paramref name="path"/>, named for <paramref name="basePosition"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is gone.</exception>
    /// <exception cref="JournalIOException">The OS refuses to read it.</exception>
    public static Status Read(string path, long basePosition, out long index, out int size, out long fileLength, out long creationTimeNs, out string? error)
    {
        index = -1;
        size = 0;
        creationTimeNs = 0;
        error = null;
        Span<byte> header = stackalloc byte[JournalDescriptor.HeaderLength];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            fileLength = stream.Length;
            if (fileLength < JournalDescriptor.HeaderLength)
            {
                error = $"Segment file '{path}' is {fileLength} bytes, shorter than a segment header ({JournalDescriptor.HeaderLength} bytes).";
                return Status.Incomplete;
            }

            stream.ReadExactly(header);
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException and not FileNotFoundException and not EndOfStreamException))
        {
            throw JournalIOException.From("read journal segment header", path, e);
        }

        var magic = BinaryPrimitives.ReadUInt64LittleEndian(header[JournalDescriptor.MagicOffset..]);
        if (magic == 0)
        {
            error = $"Segment file '{path}' has no magic yet: its header was never completed.";
            return Status.Incomplete;
        }

        if (magic != JournalDescriptor.Magic)
        {
            error = $"Segment file '{path}' has magic 0x{magic:X16}, not 'OFJOURNL' (0x{JournalDescriptor.Magic:X16}): not a journal segment, or its header is damaged.";
            return Status.Invalid;
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.FormatVersionOffset..]);
        if (version is < JournalDescriptor.MinReadableVersion or > JournalDescriptor.Version)
        {
            error = $"Segment file '{path}' has format version {version}; this reader reads versions {JournalDescriptor.MinReadableVersion} to {JournalDescriptor.Version}.";
            return Status.Invalid;
        }

        var eventVersion = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.MarketEventVersionOffset..]);
        if (eventVersion != MarketEventDescriptor.Version)
        {
            error = $"Segment file '{path}' holds MarketEvent layout version {eventVersion}; this build uses version {MarketEventDescriptor.Version}.";
            return Status.Invalid;
        }

        var signalVersion = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.SignalEventVersionOffset..]);
        var expectedSignalVersion = SignalRecordDescriptor.VersionForFormat(version);
        if (signalVersion != expectedSignalVersion)
        {
            error = $"Segment file '{path}' of format version {version} holds SignalEvent layout version {signalVersion}; this build reads version {expectedSignalVersion} in that format.";
            return Status.Invalid;
        }

        var orderCommandVersion = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.OrderCommandVersionOffset..]);
        if (orderCommandVersion != OrderCommandDescriptor.Version)
        {
            error = $"Segment file '{path}' holds OrderCommand layout version {orderCommandVersion}; this build uses version {OrderCommandDescriptor.Version}.";
            return Status.Invalid;
        }

        var requestVersion = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.SnapshotRequestVersionOffset..]);
        if (version >= 4 && requestVersion != SnapshotRequestDescriptor.Version)
        {
            error = $"Segment file '{path}' holds SnapshotRequest layout version {requestVersion}; this build uses version {SnapshotRequestDescriptor.Version}.";
            return Status.Invalid;
        }

        var evaluatorVersion = BinaryPrimitives.ReadInt32LittleEndian(header[JournalDescriptor.EvaluatorRecordVersionOffset..]);
        if (version >= 5 && evaluatorVersion != EvaluatorRecordDescriptor.Version)
        {
            error = $"Segment file '{path}' holds EvaluatorRecord layout version {evaluatorVersion}; this build uses version {EvaluatorRecordDescriptor.Version}.";
            return Status.Invalid;
        }

        index = BinaryPrimitives.ReadInt64LittleEndian(header[JournalDescriptor.SegmentIndexOffset..]);
        var storedBase = BinaryPrimitives.ReadInt64LittleEndian(header[JournalDescriptor.BasePositionOffset..]);
        var storedSize = BinaryPrimitives.ReadInt64LittleEndian(header[JournalDescriptor.SegmentSizeOffset..]);
        creationTimeNs = BinaryPrimitives.ReadInt64LittleEndian(header[JournalDescriptor.CreationTimeNsOffset..]);
        if (storedSize is < JournalDescriptor.MinSegmentSize or > JournalDescriptor.MaxSegmentSize || (storedSize & (storedSize - 1)) != 0)
        {
            error = $"Segment file '{path}' has an invalid segment size {storedSize}.";
            return Status.Invalid;
        }

        size = (int)storedSize;
        if (storedBase != basePosition || index < 0 || storedBase != index * storedSize)
        {
            error = $"Segment file '{path}' has index {index} and base position {storedBase}, which disagree with its name (base {basePosition}) and segment size {storedSize}.";
            return Status.Invalid;
        }

        if (fileLength != storedSize)
        {
            error = $"Segment file '{path}' is {fileLength} bytes long, but its header says {storedSize}: the file was truncated or extended.";
            return Status.Invalid;
        }

        return Status.Valid;
    }
}
