using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Journal.Outbound;

/// <summary>Compares two outbound journals Signal record by Signal record, byte for byte (payload and sequence).</summary>
/// <remarks>Cold path (a tool): allocates readers. Stateless: thread-safe. Records of other types are ignored.</remarks>
public static class SignalStreamComparer
{
    private static readonly (int Offset, string Name)[] Fields =
    [
        (0, nameof(SignalEvent.Sequence)), (8, nameof(SignalEvent.SymbolId)), (12, nameof(SignalEvent.Reserved)),
        (16, nameof(SignalEvent.Applied)), (24, nameof(SignalEvent.FinalUpdateId)), (32, nameof(SignalEvent.EventTimeMs)),
        (40, nameof(SignalEvent.BestBid)), (48, nameof(SignalEvent.BestAsk)), (56, nameof(SignalEvent.Obi1)),
        (64, nameof(SignalEvent.Obi5)), (72, nameof(SignalEvent.Obi10)), (80, nameof(SignalEvent.WeightedMid)),
        (88, nameof(SignalEvent.MidDoubled)),
    ];

    /// <summary>Compares the Signal records of <paramref name="expectedDirectory"/> and <paramref name="actualDirectory"/>.</summary>
    /// <param name="expectedDirectory">The journaled outbound stream (e.g. <c>DIR/outbound</c>).</param>
    /// <param name="actualDirectory">The stream a replay produced.</param>
    /// <param name="compared">Signal records compared and equal before the first divergence (or in all).</param>
    /// <returns>Null when both streams hold the same records; else the first divergence.</returns>
    /// <exception cref="JournalFormatException">A directory is not a readable journal.</exception>
    /// <exception cref="JournalCorruptException">A record is damaged.</exception>
    public static SignalDivergence? Compare(string expectedDirectory, string actualDirectory, out long compared)
    {
        compared = 0;
        using var expected = new JournalReader(expectedDirectory);
        using var actual = new JournalReader(actualDirectory);
        while (true)
        {
            var hasExpected = NextSignal(expected, out var e);
            var hasActual = NextSignal(actual, out var a);
            if (!hasExpected && !hasActual)
            {
                return null;
            }

            if (!hasExpected || !hasActual)
            {
                return new SignalDivergence(
                    compared, hasExpected ? e.Sequence : a.Sequence, hasExpected ? e.Signal : null, hasActual ? a.Signal : null, "end of stream", -1);
            }

            var offset = e.Payload.AsSpan().CommonPrefixLength(a.Payload);
            if (offset < e.Payload.Length || e.Payload.Length != a.Payload.Length)
            {
                return new SignalDivergence(compared, e.Sequence, e.Signal, a.Signal, FieldAt(offset), offset);
            }

            if (e.Sequence != a.Sequence)
            {
                return new SignalDivergence(compared, e.Sequence, e.Signal, a.Signal, "record sequence", -1);
            }

            compared++;
        }
    }

    /// <summary>Name of the <see cref="SignalEvent"/> field holding payload byte <paramref name="offset"/>.</summary>
    /// <param name="offset">0 to 95.</param>
    /// <returns>The field name.</returns>
    public static string FieldAt(int offset)
    {
        var name = Fields[0].Name;
        foreach (var (start, field) in Fields)
        {
            if (offset >= start)
            {
                name = field;
            }
        }

        return name;
    }

    private static bool NextSignal(JournalReader reader, out (long Sequence, byte[] Payload, SignalEvent Signal) record)
    {
        while (reader.TryRead(out var r))
        {
            if (r.Type == JournalRecordType.Signal)
            {
                record = (r.Sequence, r.Payload.ToArray(), r.Signal);
                return true;
            }
        }

        record = default;
        return false;
    }
}
