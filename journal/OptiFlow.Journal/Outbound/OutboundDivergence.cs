using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal.Outbound;

/// <summary>The first place where two outbound streams differ (<see cref="OutboundStreamComparer.Compare"/>).</summary>
/// <param name="Index">0-based index, among the outbound records (Signal, SnapshotRequest, OrderCommand and EvaluatorRecord), of the first differing record.</param>
/// <param name="Sequence">Outbound sequence of the expected record (or of the actual one when the expected stream ended).</param>
/// <param name="ExpectedType">Type of the expected record; <see cref="JournalRecordType.None"/> when the expected stream ended first.</param>
/// <param name="ActualType">Type of the actual record; <see cref="JournalRecordType.None"/> when the actual stream ended first.</param>
/// <param name="ExpectedSignal">The expected record when it is a signal.</param>
/// <param name="ActualSignal">The actual record when it is a signal.</param>
/// <param name="ExpectedOrder">The expected record when it is an order command.</param>
/// <param name="ActualOrder">The actual record when it is an order command.</param>
/// <param name="Field">
/// Name of the first differing field (<see cref="SignalRecordDescriptor"/> or <see cref="OrderCommandDescriptor"/> order),
/// "record type" when the two records are of different types, "record sequence" when only the sequence differs, or "end of stream".
/// </param>
/// <param name="ByteOffset">Offset in the payload of the first differing byte; -1 for a type, sequence or length difference.</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record OutboundDivergence(
    long Index,
    long Sequence,
    JournalRecordType ExpectedType,
    JournalRecordType ActualType,
    SignalEvent? ExpectedSignal,
    SignalEvent? ActualSignal,
    OrderCommand? ExpectedOrder,
    OrderCommand? ActualOrder,
    string Field,
    int ByteOffset)
{
    /// <summary>The expected record when it is a snapshot request.</summary>
    public SnapshotRequest? ExpectedRequest { get; init; }

    /// <summary>The actual record when it is a snapshot request.</summary>
    public SnapshotRequest? ActualRequest { get; init; }

    /// <summary>The expected record when it is an evaluator record.</summary>
    public EvaluatorRecord? ExpectedEvaluatorRecord { get; init; }

    /// <summary>The actual record when it is an evaluator record.</summary>
    public EvaluatorRecord? ActualEvaluatorRecord { get; init; }
}
