using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal.Outbound;

/// <summary>
/// Compares two outbound journals record by record, byte for byte: every <see cref="JournalRecordType.Signal"/>,
/// <see cref="JournalRecordType.SnapshotRequest"/> and <see cref="JournalRecordType.OrderCommand"/> record, in journal
/// order (type, payload and sequence).
/// </summary>
/// <remarks>
/// Cold path (a tool): allocates readers and a copy of each compared payload. Stateless: thread-safe. Records of other
/// types (symbols, session header, run summary) are not part of the outbound stream and are ignored.
/// </remarks>
public static class OutboundStreamComparer
{
    private static readonly (int Offset, string Name)[] SignalFields =
    [
        (0, nameof(SignalEvent.Sequence)), (8, nameof(SignalEvent.SymbolId)), (12, nameof(SignalEvent.Reserved)),
        (16, nameof(SignalEvent.Applied)), (24, nameof(SignalEvent.FinalUpdateId)), (32, nameof(SignalEvent.EventTimeMs)),
        (40, nameof(SignalEvent.BestBid)), (48, nameof(SignalEvent.BestAsk)), (56, nameof(SignalEvent.Obi1)),
        (64, nameof(SignalEvent.Obi5)), (72, nameof(SignalEvent.Obi10)), (80, nameof(SignalEvent.WeightedMid)),
        (88, nameof(SignalEvent.MidDoubled)),
    ];

    private static readonly (int Offset, string Name)[] OrderFields =
    [
        (OrderCommandDescriptor.CausingSequenceOffset, nameof(OrderCommand.CausingSequence)),
        (OrderCommandDescriptor.ClientOrderIdOffset, nameof(OrderCommand.ClientOrderId)),
        (OrderCommandDescriptor.OriginalClientOrderIdOffset, nameof(OrderCommand.OriginalClientOrderId)),
        (OrderCommandDescriptor.PriceOffset, nameof(OrderCommand.Price)),
        (OrderCommandDescriptor.QuantityOffset, nameof(OrderCommand.Quantity)),
        (OrderCommandDescriptor.EventTimeMsOffset, nameof(OrderCommand.EventTimeMs)),
        (OrderCommandDescriptor.SymbolIdOffset, nameof(OrderCommand.SymbolId)),
        (OrderCommandDescriptor.ActionOffset, nameof(OrderCommand.Action)),
        (OrderCommandDescriptor.SideOffset, nameof(OrderCommand.Side)),
        (OrderCommandDescriptor.TypeOffset, nameof(OrderCommand.Type)),
        (OrderCommandDescriptor.TimeInForceOffset, nameof(OrderCommand.TimeInForce)),
        (OrderCommandDescriptor.ReservedOffset, nameof(OrderCommand.Reserved)),
    ];

    private static readonly (int Offset, string Name)[] RequestFields =
    [
        (SnapshotRequestDescriptor.CausingSequenceOffset, nameof(SnapshotRequest.CausingSequence)),
        (SnapshotRequestDescriptor.FirstBufferedUpdateIdOffset, nameof(SnapshotRequest.FirstBufferedUpdateId)),
        (SnapshotRequestDescriptor.LastAppliedUpdateIdOffset, nameof(SnapshotRequest.LastAppliedUpdateId)),
        (SnapshotRequestDescriptor.EventTimeMsOffset, nameof(SnapshotRequest.EventTimeMs)),
        (SnapshotRequestDescriptor.SymbolIdOffset, nameof(SnapshotRequest.SymbolId)),
        (SnapshotRequestDescriptor.ReasonOffset, nameof(SnapshotRequest.Reason)),
    ];

    /// <summary>Compares the outbound records of <paramref name="expectedDirectory"/> and <paramref name="actualDirectory"/>.</summary>
    /// <param name="expectedDirectory">The journaled outbound stream (e.g. <c>DIR/outbound</c>).</param>
    /// <param name="actualDirectory">The stream a replay produced.</param>
    /// <param name="compared">Outbound records compared and equal before the first divergence (or in all).</param>
    /// <returns>Null when both streams hold the same records; else the first divergence.</returns>
    /// <exception cref="JournalFormatException">A directory is not a readable journal.</exception>
    /// <exception cref="JournalCorruptException">A record is damaged.</exception>
    public static OutboundDivergence? Compare(string expectedDirectory, string actualDirectory, out long compared)
    {
        compared = 0;
        using var expected = new JournalReader(expectedDirectory);
        using var actual = new JournalReader(actualDirectory);
        while (true)
        {
            var e = Next(expected);
            var a = Next(actual);
            if (e is null && a is null)
            {
                return null;
            }

            if (e is null || a is null)
            {
                return Divergence(compared, e, a, "end of stream", -1);
            }

            if (e.Type != a.Type)
            {
                return Divergence(compared, e, a, "record type", -1);
            }

            var offset = e.Payload.AsSpan().CommonPrefixLength(a.Payload);
            if (offset < e.Payload.Length || e.Payload.Length != a.Payload.Length)
            {
                return Divergence(compared, e, a, FieldAt(e.Type, offset), offset);
            }

            if (e.Sequence != a.Sequence)
            {
                return Divergence(compared, e, a, "record sequence", -1);
            }

            compared++;
        }
    }

    /// <summary>Name of the field holding payload byte <paramref name="offset"/> of an outbound record.</summary>
    /// <param name="type"><see cref="JournalRecordType.Signal"/> (offset 0 to 95), <see cref="JournalRecordType.SnapshotRequest"/>
    /// (0 to 39) or <see cref="JournalRecordType.OrderCommand"/> (0 to 63).</param>
    /// <param name="offset">Byte offset in the payload.</param>
    /// <returns>The field name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not an outbound record type.</exception>
    public static string FieldAt(JournalRecordType type, int offset)
    {
        var fields = type switch
        {
            JournalRecordType.Signal => SignalFields,
            JournalRecordType.OrderCommand => OrderFields,
            JournalRecordType.SnapshotRequest => RequestFields,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Outbound records are Signal, SnapshotRequest or OrderCommand."),
        };
        var name = fields[0].Name;
        foreach (var (start, field) in fields)
        {
            if (offset >= start)
            {
                name = field;
            }
        }

        return name;
    }

    private static OutboundDivergence Divergence(long index, OutboundRecord? e, OutboundRecord? a, string field, int offset) =>
        new(
            index,
            e?.Sequence ?? a!.Sequence,
            e?.Type ?? JournalRecordType.None,
            a?.Type ?? JournalRecordType.None,
            e?.Signal,
            a?.Signal,
            e?.Order,
            a?.Order,
            field,
            offset)
        {
            ExpectedRequest = e?.Request,
            ActualRequest = a?.Request,
        };

    private static OutboundRecord? Next(JournalReader reader)
    {
        while (reader.TryRead(out var r))
        {
            switch (r.Type)
            {
                case JournalRecordType.Signal:
                    return new OutboundRecord(r.Type, r.Sequence, r.Payload.ToArray(), r.Signal, null, null);
                case JournalRecordType.OrderCommand:
                    return new OutboundRecord(r.Type, r.Sequence, r.Payload.ToArray(), null, r.OrderCommand, null);
                case JournalRecordType.SnapshotRequest:
                    return new OutboundRecord(r.Type, r.Sequence, r.Payload.ToArray(), null, null, r.SnapshotRequest);
            }
        }

        return null;
    }

    private sealed record OutboundRecord(JournalRecordType Type, long Sequence, byte[] Payload, SignalEvent? Signal, OrderCommand? Order, SnapshotRequest? Request);
}
