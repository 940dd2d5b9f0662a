using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal.Outbound;

/// <summary>
/// Compares two outbound journals record by record, byte for byte: every <see cref="JournalRecordType.Signal"/>,
/// <see cref="JournalRecordType.SnapshotRequest"/>, <see cref="JournalRecordType.OrderCommand"/> and <see cref="JournalRecordType.EvaluatorRecord"/> record, in journal
/// order (type, payload and sequence).
/// </summary>
/// <remarks>
/// Cold path (a tool): allocates readers and a copy of each compared payload. Stateless: thread-safe. Records of other
/// types (symbols, session header, run summary) are not part of the outbound stream and are ignored.
/// A signal record of a journal older than format version 5 (96 bytes, no <see cref="SignalEvent.Wobi10"/>) is
/// compared with a current one over the 96 bytes both hold, so a replay by this build still verifies an old journal.
/// </remarks>
public static class OutboundStreamComparer
{
    private static readonly (int Offset, string Name)[] SignalFields =
    [
        (0, nameof(SignalEvent.Sequence)), (8, nameof(SignalEvent.SymbolId)), (12, nameof(SignalEvent.Reserved)),
        (16, nameof(SignalEvent.Applied)), (24, nameof(SignalEvent.FinalUpdateId)), (32, nameof(SignalEvent.EventTimeMs)),
        (40, nameof(SignalEvent.BestBid)), (48, nameof(SignalEvent.BestAsk)), (56, nameof(SignalEvent.Obi1)),
        (64, nameof(SignalEvent.Obi5)), (72, nameof(SignalEvent.Obi10)), (80, nameof(SignalEvent.WeightedMid)),
        (SignalRecordDescriptor.MidDoubledOffset, nameof(SignalEvent.MidDoubled)), (SignalRecordDescriptor.Wobi10Offset, nameof(SignalEvent.Wobi10)),
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

    private static readonly (int Offset, string Name)[] EvaluatorFields =
    [
        (EvaluatorRecordDescriptor.TypeOffset, nameof(EvaluatorRecord.Type)),
        (EvaluatorRecordDescriptor.EvaluatorIdOffset, nameof(EvaluatorRecord.EvaluatorId)),
        (EvaluatorRecordDescriptor.SymbolIdOffset, nameof(EvaluatorRecord.SymbolId)),
        (EvaluatorRecordDescriptor.CausingSequenceOffset, nameof(EvaluatorRecord.CausingSequence)),
        (EvaluatorRecordDescriptor.EventTimeMsOffset, nameof(EvaluatorRecord.EventTimeMs)),
        (EvaluatorRecordDescriptor.LocalTimestampNsOffset, nameof(EvaluatorRecord.LocalTimestampNs)),
        (EvaluatorRecordDescriptor.BodyOffset, "Body"),
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

            var divergence = Difference(compared, e, a);
            if (divergence is not null)
            {
                return divergence;
            }

            compared++;
        }
    }

    /// <summary>
    /// Compares the outbound records of a session that never finished (<see cref="JournalSessionState.Incomplete"/>)
    /// with a replay of its inbound journal: every journaled outbound record caused by an event the inbound journal holds
    /// (causing sequence at or below <paramref name="lastEventSequence"/>) must equal the replay's record at the same
    /// place, byte for byte; the replay may go on after the journaled stream ends.
    /// </summary>
    /// <param name="expectedDirectory">The journaled outbound stream (e.g. <c>DIR/outbound</c>).</param>
    /// <param name="actualDirectory">The stream the replay produced.</param>
    /// <param name="lastEventSequence">Sequence of the last market event the replay read from the inbound journal (-1 for none).</param>
    /// <param name="compared">Journaled records compared and equal (the reproduced prefix).</param>
    /// <param name="notReproducible">Journaled records caused by events after <paramref name="lastEventSequence"/>: the
    /// inbound and outbound journals are written by different threads, so when the run died the outbound one may hold
    /// decisions whose events the inbound one had not yet committed. They cannot be replayed and are not compared.</param>
    /// <returns>Null when the journaled prefix was reproduced; else the first divergence (a replay stream that ends
    /// before a reproducible journaled record diverges at "end of stream").</returns>
    /// <remarks>
    /// Why a prefix: both streams come from the same core over the same events in the same order, so whatever the dead
    /// run journaled is the start of what the replay produces; the replay's extra records are decisions the run never
    /// got to journal. Causing sequences: a signal's <see cref="SignalEvent.Sequence"/>, a snapshot request's and an
    /// order command's <c>CausingSequence</c>. Cold path (a tool): allocates. Stateless: thread-safe.
    /// </remarks>
    /// <exception cref="JournalFormatException">A directory is not a readable journal.</exception>
    /// <exception cref="JournalCorruptException">A record is damaged.</exception>
    public static OutboundDivergence? ComparePrefix(string expectedDirectory, string actualDirectory, long lastEventSequence, out long compared, out long notReproducible)
    {
        compared = 0;
        notReproducible = 0;
        using var expected = new JournalReader(expectedDirectory);
        using var actual = new JournalReader(actualDirectory);
        while (true)
        {
            var e = Next(expected);
            if (e is null)
            {
                return null;
            }

            if (e.CausingSequence > lastEventSequence)
            {
                notReproducible++;
                while (Next(expected) is not null)
                {
                    notReproducible++;
                }

                return null;
            }

            var a = Next(actual);
            var divergence = Difference(compared, e, a);
            if (divergence is not null)
            {
                return divergence;
            }

            compared++;
        }
    }

    /// <summary>Name of the field holding payload byte <paramref name="offset"/> of an outbound record.</summary>
    /// <param name="type"><see cref="JournalRecordType.Signal"/> (offset 0 to 103), <see cref="JournalRecordType.SnapshotRequest"/>
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
            JournalRecordType.EvaluatorRecord => EvaluatorFields,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Outbound records are Signal, SnapshotRequest, OrderCommand or EvaluatorRecord."),
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

    /// <summary>The divergence between two records at <paramref name="index"/>, or null when they are equal; a missing record is "end of stream".</summary>
    private static OutboundDivergence? Difference(long index, OutboundRecord? e, OutboundRecord? a)
    {
        if (e is null || a is null)
        {
            return Divergence(index, e, a, "end of stream", -1);
        }

        if (e.Type != a.Type)
        {
            return Divergence(index, e, a, "record type", -1);
        }

        // A signal journaled before format version 5 has no Wobi10: compare the 96 bytes both layouts hold.
        var length = e.Type == JournalRecordType.Signal && e.Payload.Length != a.Payload.Length
            && Math.Min(e.Payload.Length, a.Payload.Length) == SignalRecordDescriptor.LegacySize
            ? SignalRecordDescriptor.LegacySize
            : -1;
        var expected = length < 0 ? e.Payload.AsSpan() : e.Payload.AsSpan(0, length);
        var actual = length < 0 ? a.Payload.AsSpan() : a.Payload.AsSpan(0, length);
        var offset = expected.CommonPrefixLength(actual);
        if (offset < expected.Length || expected.Length != actual.Length)
        {
            return Divergence(index, e, a, FieldAt(e.Type, offset), offset);
        }

        return e.Sequence != a.Sequence ? Divergence(index, e, a, "record sequence", -1) : null;
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
            ExpectedEvaluatorRecord = e?.Evaluation,
            ActualEvaluatorRecord = a?.Evaluation,
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
                case JournalRecordType.EvaluatorRecord:
                    return new OutboundRecord(r.Type, r.Sequence, r.Payload.ToArray(), null, null, null) { Evaluation = r.EvaluatorRecord };
            }
        }

        return null;
    }

    private sealed record OutboundRecord(JournalRecordType Type, long Sequence, byte[] Payload, SignalEvent? Signal, OrderCommand? Order, SnapshotRequest? Request)
    {
        /// <summary>Inbound sequence of the market event that caused the record.</summary>
        public long CausingSequence => Signal?.Sequence ?? Order?.CausingSequence ?? Request?.CausingSequence ?? Evaluation?.CausingSequence ?? -1;

        public EvaluatorRecord? Evaluation { get; init; }
    }
}
