using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Journal.Outbound;

/// <summary>
/// Ring handler that journals every outbound <see cref="SignalEvent"/> with its outbound ring sequence as a
/// <see cref="JournalRecordType.Signal"/> record (see <see cref="SignalRingSink"/> for the topology).
/// </summary>
/// <remarks>
/// A struct so that <see cref="BatchEventProcessor{T, THandler}"/> calls it without interface dispatch; read
/// <see cref="EventsHandled"/> through <c>processor.Handler</c> after the processor was joined. Runs on the processor
/// thread; allocation-free unless the segment rolls; calls <see cref="JournalWriter.OnBatchEnd"/> at each batch end.
/// </remarks>
public struct SignalJournalHandler : IEventHandler<SignalEvent>
{
    private readonly JournalWriter _writer;
    private long _eventsHandled;

    /// <summary>Creates a handler journaling into <paramref name="writer"/> (owned by the caller).</summary>
    /// <param name="writer">The outbound journal's writer.</param>
    public SignalJournalHandler(JournalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Signals journaled by this copy of the handler.</summary>
    public readonly long EventsHandled => _eventsHandled;

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
    /// <remarks>Appends the signal (<see cref="JournalWriter.AppendSignal"/>); allocation-free unless the segment rolls.</remarks>
    public void OnEvent(ref SignalEvent data, long sequence, bool endOfBatch)
    {
        _writer.AppendSignal(in data, sequence);
        _eventsHandled++;
        if (endOfBatch)
        {
            _writer.OnBatchEnd();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Does nothing: the caller flushes and disposes the writer.</remarks>
    public readonly void OnShutdown()
    {
    }
}
