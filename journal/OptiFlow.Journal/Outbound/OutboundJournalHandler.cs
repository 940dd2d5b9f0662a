using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Journal.Outbound;

/// <summary>
/// The outbound journal's consumer of the outbound ring: appends every decision record (signal, snapshot request,
/// order command, evaluator record) to the outbound journal (<c>DIR/outbound/</c>), numbering them 0, 1, 2, … in ring order; book views
/// (printer output, not decisions) are skipped.
/// </summary>
/// <remarks>
/// <code>
///  core ─► OutboundRingPublisher ─► [ outbound ring ] ─► optiflow-outbound: OutboundJournalHandler ─► DIR/outbound/*.seg
/// </code>
/// The numbering is the journal's own, not the ring's, so a live run with printers attached (whose book views take ring
/// slots) and a replay without them journal the same sequences: <see cref="OutboundJournalAppender"/> numbers a
/// replay's stream the same way. A struct so that <see cref="BatchEventProcessor{T, THandler}"/> calls it without
/// interface dispatch; read <see cref="RecordsJournaled"/> through <c>processor.Handler</c> after the processor was
/// joined. Runs on the processor thread; allocation-free unless the segment rolls; calls
/// <see cref="JournalWriter.OnBatchEnd"/> at each batch end. A <see cref="JournalIOException"/> from the writer is kept in
/// <see cref="Failure"/> and every later record is dropped (counted in <see cref="RecordsDropped"/>), as
/// <see cref="JournalEventHandler"/> does: the outbound ring keeps moving and the core is never blocked.
/// </remarks>
public struct OutboundJournalHandler : IEventHandler<OutboundEvent>
{
    private readonly JournalWriter _writer;
    private long _recordsJournaled;
    private JournalIOException? _failure;
    private long _recordsDropped;

    /// <summary>Creates a handler journaling into <paramref name="writer"/> (owned by the caller).</summary>
    /// <param name="writer">The outbound journal's writer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public OutboundJournalHandler(JournalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Outbound records journaled by this copy of the handler (the next record's sequence).</summary>
    public readonly long RecordsJournaled => _recordsJournaled;

    /// <summary>The writer's I/O failure that stopped this handler journaling, or null.</summary>
    public readonly JournalIOException? Failure => _failure;

    /// <summary>Outbound slots not journaled because the writer had failed.</summary>
    public readonly long RecordsDropped => _recordsDropped;

    /// <inheritdoc/>
    /// <remarks>Does nothing.</remarks>
    public readonly void OnStart()
    {
    }

    /// <inheritdoc/>
    /// <remarks>Does nothing.</remarks>
    public readonly void OnBatchStart(long firstSequence, long count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Appends the record (see <see cref="Append"/>); allocation-free unless the segment rolls.</remarks>
    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
    {
        if (_failure is not null)
        {
            _recordsDropped++;
            return;
        }

        try
        {
            if (Append(_writer, in data, _recordsJournaled))
            {
                _recordsJournaled++;
            }

            if (endOfBatch)
            {
                _writer.OnBatchEnd();
            }
        }
        catch (JournalIOException e)
        {
            _failure = e;
            _recordsDropped++;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Does nothing: the caller flushes and disposes the writer.</remarks>
    public readonly void OnShutdown()
    {
    }

    /// <summary>
    /// Appends one outbound record to <paramref name="writer"/> as its typed journal record, or nothing for a kind that
    /// is not journaled (<see cref="OutboundEventKind.BookLevel"/>).
    /// </summary>
    /// <param name="writer">The outbound journal.</param>
    /// <param name="record">The outbound record.</param>
    /// <param name="sequence">The journal sequence to give it.</param>
    /// <returns>Whether a record was appended (the caller's sequence advances).</returns>
    /// <exception cref="InvalidOperationException">The slot's kind is <see cref="OutboundEventKind.None"/> or unknown:
    /// an unwritten slot was published, which is a bug in the producer.</exception>
    public static bool Append(JournalWriter writer, in OutboundEvent record, long sequence)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (record.Kind)
        {
            case OutboundEventKind.Signal:
                writer.AppendSignal(in record.Signal, sequence);
                return true;
            case OutboundEventKind.SnapshotRequest:
                writer.AppendSnapshotRequest(in record.SnapshotRequest, sequence);
                return true;
            case OutboundEventKind.OrderCommand:
                writer.AppendOrderCommand(in record.OrderCommand, sequence);
                return true;
            case OutboundEventKind.EvaluatorRecord:
                writer.AppendEvaluatorRecord(in record.EvaluatorRecord, sequence);
                return true;
            case OutboundEventKind.BookLevel:
                return false;
            default:
                throw new InvalidOperationException($"Outbound slot of kind {record.Kind}: an unwritten slot was published.");
        }
    }
}
