namespace OptiFlow.Journal;

/// <summary>What a record frame holds (<see cref="RecordDescriptor.TypeOffset"/>, uint16).</summary>
/// <remarks>Values are part of the on-disk format: never renumber; a new type bumps <see cref="JournalDescriptor.Version"/>.</remarks>
public enum JournalRecordType : ushort
{
    /// <summary>Not a record type; a zero type in a committed frame is corruption.</summary>
    None = 0,

    /// <summary>
    /// One inbound <see cref="OptiFlow.Engine.Model.MarketEvent"/>: the payload is its 128 raw bytes; the sequence is
    /// its inbound ring sequence; the timestamp its <c>LocalTimestampNs</c> (recorded wall-clock receive time).
    /// </summary>
    MarketEvent = 1,

    /// <summary>Session header: caller-defined bytes (configuration and symbol table), written once at the start; timestamp from the writer's clock.</summary>
    SessionHeader = 2,

    /// <summary>Run summary: caller-defined bytes written at the end of a run; timestamp from the writer's clock.</summary>
    RunSummary = 3,

    /// <summary>
    /// One outbound <see cref="OptiFlow.Engine.Evaluators.SignalEvent"/> (104 raw bytes; 96 before format version 5; <see cref="SignalRecordDescriptor"/>);
    /// the sequence is its outbound ring sequence, the timestamp its event time. Since version 2.
    /// </summary>
    Signal = 4,

    /// <summary>
    /// One symbol-table entry: int32 symbol id then its UTF-8 name (at most 32 bytes), written before the first
    /// record that uses the id, so a journal names its symbols without any other file. Since version 2.
    /// </summary>
    Symbol = 5,

    /// <summary>Caller-defined bytes with no meaning to OptiFlow (tools, benchmarks). Since version 2.</summary>
    Raw = 6,

    /// <summary>
    /// One outbound <see cref="OptiFlow.Engine.Orders.OrderCommand"/> (64 raw bytes, <see cref="OptiFlow.Engine.Orders.OrderCommandDescriptor"/>);
    /// the sequence is its outbound order sequence, the timestamp its causing event's time (<c>EventTimeMs</c> × 10⁶).
    /// Since version 3.
    /// </summary>
    OrderCommand = 7,

    /// <summary>
    /// One outbound <see cref="OptiFlow.Engine.Outbound.SnapshotRequest"/> (40 raw bytes,
    /// <see cref="OptiFlow.Engine.Outbound.SnapshotRequestDescriptor"/>): the core asked for a fresh depth snapshot of a
    /// symbol whose book left sync. The sequence is its outbound record sequence, the timestamp its causing event's time
    /// (<c>EventTimeMs</c> × 10⁶). Since version 4.
    /// </summary>
    SnapshotRequest = 8,

    /// <summary>
    /// One outbound <see cref="OptiFlow.Engine.Evaluators.EvaluatorRecord"/> (120 raw bytes,
    /// <see cref="OptiFlow.Engine.Evaluators.EvaluatorRecordDescriptor"/>): an evaluator's typed output (opportunity, flow
    /// signal, fault). The sequence is its outbound record sequence, the timestamp its causing event's recorded receive
    /// time (<c>LocalTimestampNs</c>), or its event time × 10⁶ when it has none. Since version 5.
    /// </summary>
    EvaluatorRecord = 9,

    /// <summary>
    /// One inbound <see cref="OptiFlow.Engine.Model.MarketEvent"/> written as the 8-byte words in which it differs from
    /// the market event record before it in the same segment (its <i>base</i>, a <see cref="MarketEvent"/> or
    /// <see cref="MarketEventDelta"/> record). The frame's 16-bit flags say which: bit <c>i</c> set means word <c>i</c>
    /// (bytes <c>8i … 8i + 7</c> of the 128-byte event, <see cref="OptiFlow.Engine.Model.MarketEventDescriptor"/>) is in
    /// the payload; the payload is those words in ascending order, so it is 8 × popcount(flags) bytes (0 to 128). The
    /// sequence and timestamp are those of <see cref="MarketEvent"/>. A segment's first market event is always a
    /// <see cref="MarketEvent"/> record, and so is the first one a resumed writer appends, so every segment decodes on
    /// its own; a delta with no base before it in its segment is damage. The levels of one depth message share their
    /// header fields, so a depth level costs 32 + ~32 bytes instead of 32 + 128 (perf/ARCHIVE.md, "Journal: market
    /// events as deltas"). <see cref="JournalReader"/> returns it as a <see cref="MarketEvent"/> record with the full
    /// 128 bytes. Since version 6.
    /// </summary>
    MarketEventDelta = 10,

    /// <summary>Closes a segment: fills it to its end because the next record did not fit; reading continues in the next segment.</summary>
    Padding = 0xFFFF,
}
