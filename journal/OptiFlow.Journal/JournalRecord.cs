using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Journal;

/// <summary>
/// One record as <see cref="JournalReader.TryRead"/> returns it: a view over the mapped segment, valid until the
/// next <see cref="JournalReader.TryRead"/> or <see cref="JournalReader.Dispose"/>.
/// </summary>
/// <remarks>A ref struct over mapped memory: no copy, no allocation; not to be kept past the next read. Its CRC was checked.</remarks>
public readonly ref struct JournalRecord
{
    internal JournalRecord(JournalRecordType type, long sequence, long position, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Sequence = sequence;
        Position = position;
        Payload = payload;
    }

    /// <summary>What the record holds (never <see cref="JournalRecordType.Padding"/>: the reader consumes padding).</summary>
    public JournalRecordType Type { get; }

    /// <summary>Ring sequence stored with the record; -1 (<see cref="RecordDescriptor.NoSequence"/>) when it had none.</summary>
    public long Sequence { get; }

    /// <summary>Journal position (bytes) of the record's frame.</summary>
    public long Position { get; }

    /// <summary>The payload bytes (exact length, alignment padding excluded), in the mapped segment.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The payload as a <see cref="OptiFlow.Engine.Model.MarketEvent"/>, without copying.</summary>
    /// <remarks>Allocation-free. The payload is 8-byte aligned in the mapping.</remarks>
    /// <exception cref="InvalidOperationException">The record is not a <see cref="JournalRecordType.MarketEvent"/>.</exception>
    public ref readonly MarketEvent MarketEvent
    {
        get
        {
            if (Type != JournalRecordType.MarketEvent)
            {
                ThrowNotMarketEvent(Type);
            }

            return ref MemoryMarshal.AsRef<MarketEvent>(Payload);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotMarketEvent(JournalRecordType type) =>
        throw new InvalidOperationException($"The record is a {type} record, not a MarketEvent record.");
}
