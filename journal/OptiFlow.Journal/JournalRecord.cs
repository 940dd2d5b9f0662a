using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal;

/// <summary>
/// One record as <see cref="JournalReader.TryRead"/> returns it: a view over the mapped segment (or, for a market event
/// stored as a <see cref="JournalRecordType.MarketEventDelta"/>, over the reader's own 128-byte buffer where it was put
/// back together), valid until the next <see cref="JournalReader.TryRead"/> or <see cref="JournalReader.Dispose"/>.
/// </summary>
/// <remarks>A ref struct over memory the reader owns: no allocation; not to be kept past the next read, and not to be
/// written through (a delta's buffer is the next delta's base). Its CRC was checked.</remarks>
public readonly ref struct JournalRecord
{
    internal JournalRecord(JournalRecordType type, long sequence, long timestampNs, long position, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Sequence = sequence;
        TimestampNs = timestampNs;
        Position = position;
        Payload = payload;
    }

    /// <summary>What the record holds (never <see cref="JournalRecordType.Padding"/>: the reader consumes padding; never <see cref="JournalRecordType.MarketEventDelta"/>: the reader returns it as the <see cref="JournalRecordType.MarketEvent"/> it stands for).</summary>
    public JournalRecordType Type { get; }

    /// <summary>Ring sequence stored with the record; -1 (<see cref="RecordDescriptor.NoSequence"/>) when it had none.</summary>
    public long Sequence { get; }

    /// <summary>Record time, wall-clock ns since the Unix epoch (its source per type: <see cref="JournalRecordType"/>); 0 when none.</summary>
    public long TimestampNs { get; }

    /// <summary>Journal position (bytes) of the record's frame.</summary>
    public long Position { get; }

    /// <summary>The payload bytes (exact length, alignment padding excluded), in the mapped segment; a market event's 128 bytes whichever way it was stored.</summary>
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

    /// <summary>The payload as a <see cref="SignalEvent"/> (a copy).</summary>
    /// <remarks>
    /// Allocation-free (a 104-byte copy). A record of a journal older than format version 5 holds the 96-byte
    /// <see cref="SignalRecordDescriptor.LegacySize"/> layout: its fields are copied and <see cref="SignalEvent.Wobi10"/>,
    /// which it did not hold, reads NaN.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The record is not a <see cref="JournalRecordType.Signal"/>.</exception>
    public SignalEvent Signal
    {
        get
        {
            if (Type != JournalRecordType.Signal)
            {
                ThrowNotOfType(Type, JournalRecordType.Signal);
            }

            if (Payload.Length == SignalRecordDescriptor.Size)
            {
                return MemoryMarshal.Read<SignalEvent>(Payload);
            }

            var signal = new SignalEvent { Wobi10 = double.NaN };
            Payload[..SignalRecordDescriptor.LegacySize].CopyTo(MemoryMarshal.AsBytes(new Span<SignalEvent>(ref signal)));
            return signal;
        }
    }

    /// <summary>The payload as an <see cref="Engine.Orders.OrderCommand"/>, without copying.</summary>
    /// <remarks>Allocation-free. The payload is 8-byte aligned in the mapping.</remarks>
    /// <exception cref="InvalidOperationException">The record is not a <see cref="JournalRecordType.OrderCommand"/>.</exception>
    public ref readonly OrderCommand OrderCommand
    {
        get
        {
            if (Type != JournalRecordType.OrderCommand)
            {
                ThrowNotOfType(Type, JournalRecordType.OrderCommand);
            }

            return ref MemoryMarshal.AsRef<OrderCommand>(Payload);
        }
    }

    /// <summary>The payload as a <see cref="Engine.Outbound.SnapshotRequest"/>, without copying.</summary>
    /// <remarks>Allocation-free. The payload is 8-byte aligned in the mapping.</remarks>
    /// <exception cref="InvalidOperationException">The record is not a <see cref="JournalRecordType.SnapshotRequest"/>.</exception>
    public ref readonly SnapshotRequest SnapshotRequest
    {
        get
        {
            if (Type != JournalRecordType.SnapshotRequest)
            {
                ThrowNotOfType(Type, JournalRecordType.SnapshotRequest);
            }

            return ref MemoryMarshal.AsRef<SnapshotRequest>(Payload);
        }
    }

    /// <summary>The payload as an <see cref="Engine.Evaluators.EvaluatorRecord"/>, without copying.</summary>
    /// <remarks>Allocation-free. The payload is 8-byte aligned in the mapping.</remarks>
    /// <exception cref="InvalidOperationException">The record is not a <see cref="JournalRecordType.EvaluatorRecord"/>.</exception>
    public ref readonly EvaluatorRecord EvaluatorRecord
    {
        get
        {
            if (Type != JournalRecordType.EvaluatorRecord)
            {
                ThrowNotOfType(Type, JournalRecordType.EvaluatorRecord);
            }

            return ref MemoryMarshal.AsRef<EvaluatorRecord>(Payload);
        }
    }

    /// <summary>The symbol id of a <see cref="JournalRecordType.Symbol"/> record.</summary>
    /// <exception cref="InvalidOperationException">The record is not a Symbol record.</exception>
    public int SymbolId => Type == JournalRecordType.Symbol ? MemoryMarshal.Read<int>(Payload) : ThrowNotOfType(Type, JournalRecordType.Symbol);

    /// <summary>The UTF-8 name of a <see cref="JournalRecordType.Symbol"/> record, in the mapping.</summary>
    /// <exception cref="InvalidOperationException">The record is not a Symbol record.</exception>
    public ReadOnlySpan<byte> SymbolUtf8Name
    {
        get
        {
            if (Type != JournalRecordType.Symbol)
            {
                ThrowNotOfType(Type, JournalRecordType.Symbol);
            }

            return Payload[sizeof(int)..];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ThrowNotOfType(JournalRecordType type, JournalRecordType expected) =>
        throw new InvalidOperationException($"The record is a {type} record, not a {expected} record.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotMarketEvent(JournalRecordType type) =>
        throw new InvalidOperationException($"The record is a {type} record, not a MarketEvent record.");
}
