using OptiFlow.Engine.Books;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Journal.Outbound;

/// <summary>
/// An <see cref="IOutboundSink"/> that appends the core's outbound records straight to a journal on the calling thread:
/// the outbound stream of a single-threaded replay, laid out exactly as <see cref="OutboundRingPublisher"/> +
/// <see cref="OutboundJournalHandler"/> lay out a live run's (same records, same sequences 0, 1, 2, …).
/// </summary>
/// <remarks>Core thread only. Allocation-free unless the writer rolls a segment.</remarks>
public sealed class OutboundJournalAppender : IOutboundSink
{
    private readonly JournalWriter _writer;
    private long _sequence;

    /// <summary>Creates the appender.</summary>
    /// <param name="writer">The outbound journal (owned by the caller).</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public OutboundJournalAppender(JournalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Records journaled so far.</summary>
    public long Published => _sequence;

    /// <inheritdoc/>
    /// <remarks>Appends a <see cref="JournalRecordType.Signal"/> record with the next outbound sequence.</remarks>
    public void OnSignal(in SignalEvent signal, OrderBook book) => _writer.AppendSignal(in signal, _sequence++);

    /// <inheritdoc/>
    /// <remarks>Appends a <see cref="JournalRecordType.SnapshotRequest"/> record with the next outbound sequence.</remarks>
    public void OnSnapshotRequest(in SnapshotRequest request) => _writer.AppendSnapshotRequest(in request, _sequence++);

    /// <inheritdoc/>
    /// <remarks>Appends a <see cref="JournalRecordType.EvaluatorRecord"/> record with the next outbound sequence.</remarks>
    public void OnEvaluatorRecord(in EvaluatorRecord record) => _writer.AppendEvaluatorRecord(in record, _sequence++);

    /// <inheritdoc/>
    /// <remarks>Appends a <see cref="JournalRecordType.OrderCommand"/> record with the next outbound sequence.</remarks>
    public void OnOrderCommand(in OrderCommand command) => _writer.AppendOrderCommand(in command, _sequence++);
}
