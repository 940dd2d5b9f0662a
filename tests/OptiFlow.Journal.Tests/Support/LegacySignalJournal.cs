using System.Buffers.Binary;

namespace OptiFlow.Journal.Tests.Support;

/// <summary>
/// Turns a single-segment journal written by this build into the journal a format-3 or format-4 writer would have
/// written with the same records: every signal frame shrinks to the 96-byte layout-1 payload (its CRC-32C recomputed,
/// the frames after it moved up, the freed tail zeroed), and the header records the old format and signal layout versions.
/// </summary>
public static class LegacySignalJournal
{
    /// <summary>Rewrites segment 0 of <paramref name="directory"/> in place as format <paramref name="formatVersion"/>.</summary>
    /// <param name="directory">A journal with one segment, no padding frame.</param>
    /// <param name="formatVersion">3 or 4.</param>
    public static void Downgrade(string directory, int formatVersion)
    {
        var path = Path.Combine(directory, 0L.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + JournalDescriptor.FileExtension);
        var source = File.ReadAllBytes(path);
        var target = new byte[source.Length];
        source.AsSpan(0, JournalDescriptor.HeaderLength).CopyTo(target);
        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(JournalDescriptor.FormatVersionOffset), formatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(JournalDescriptor.SignalEventVersionOffset), SignalRecordDescriptor.LegacyVersion);
        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(JournalDescriptor.EvaluatorRecordVersionOffset), 0);
        if (formatVersion < 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(JournalDescriptor.SnapshotRequestVersionOffset), 0);
        }

        var from = JournalDescriptor.HeaderLength;
        var to = JournalDescriptor.HeaderLength;
        while (from < source.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(source.AsSpan(from + RecordDescriptor.FrameLengthOffset));
            if (length == 0)
            {
                break;
            }

            var type = (JournalRecordType)BinaryPrimitives.ReadUInt16LittleEndian(source.AsSpan(from + RecordDescriptor.TypeOffset));
            if (type == JournalRecordType.Padding)
            {
                throw new InvalidOperationException("LegacySignalJournal handles one segment without padding frames.");
            }

            var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(source.AsSpan(from + RecordDescriptor.PayloadLengthOffset));
            var newPayloadLength = type == JournalRecordType.Signal ? SignalRecordDescriptor.LegacySize : payloadLength;
            var newLength = RecordDescriptor.FrameLength(newPayloadLength);
            source.AsSpan(from, RecordDescriptor.HeaderLength + newPayloadLength).CopyTo(target.AsSpan(to));
            BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(to + RecordDescriptor.FrameLengthOffset), newLength);
            BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(to + RecordDescriptor.PayloadLengthOffset), newPayloadLength);
            BinaryPrimitives.WriteUInt32LittleEndian(target.AsSpan(to + RecordDescriptor.Crc32COffset), Crc32C.Frame(target.AsSpan(to), newPayloadLength));
            from += length;
            to += newLength;
        }

        File.WriteAllBytes(path, target);
    }
}
