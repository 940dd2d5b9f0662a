using System.Buffers.Binary;
using OptiFlow.Engine.Model;

namespace OptiFlow.Journal.Tests.Support;

/// <summary>
/// Turns a single-segment journal written by this build into the journal a format-3 or format-4 writer would have
/// written with the same records: every signal frame shrinks to the 96-byte layout-1 payload and every market event
/// stored as a delta is written whole (CRC-32Cs recomputed, the frames after them moved, the freed tail zeroed), and
/// the header records the old format and signal layout versions. The journal must still fit its segment once whole.
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
        var marketEvent = new byte[MarketEventDescriptor.Size]; // the last market event, the base of the next delta
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
            if (type is JournalRecordType.MarketEvent or JournalRecordType.MarketEventDelta)
            {
                // Older formats hold whole market events only: a delta is written out whole, as an older writer wrote it.
                var flags = type == JournalRecordType.MarketEvent ? MarketEventDelta.AllWords : BinaryPrimitives.ReadUInt16LittleEndian(source.AsSpan(from + RecordDescriptor.FlagsOffset));
                var words = source.AsSpan(from + RecordDescriptor.PayloadOffset, payloadLength);
                for (int word = 0, next = 0; word < MarketEventDelta.WordCount; word++)
                {
                    if ((flags & (1 << word)) != 0)
                    {
                        words.Slice(next++ * sizeof(ulong), sizeof(ulong)).CopyTo(marketEvent.AsSpan(word * sizeof(ulong)));
                    }
                }

                var wholeLength = RecordDescriptor.MarketEventFrameLength;
                source.AsSpan(from, RecordDescriptor.HeaderLength).CopyTo(target.AsSpan(to));
                marketEvent.CopyTo(target.AsSpan(to + RecordDescriptor.PayloadOffset));
                BinaryPrimitives.WriteUInt16LittleEndian(target.AsSpan(to + RecordDescriptor.TypeOffset), (ushort)JournalRecordType.MarketEvent);
                BinaryPrimitives.WriteUInt16LittleEndian(target.AsSpan(to + RecordDescriptor.FlagsOffset), 0);
                BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(to + RecordDescriptor.FrameLengthOffset), wholeLength);
                BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(to + RecordDescriptor.PayloadLengthOffset), MarketEventDescriptor.Size);
                BinaryPrimitives.WriteUInt32LittleEndian(target.AsSpan(to + RecordDescriptor.Crc32COffset), Crc32C.Frame(target.AsSpan(to), MarketEventDescriptor.Size));
                from += length;
                to += wholeLength;
                continue;
            }

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
