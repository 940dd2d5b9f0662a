using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Journal.Outbound;

/// <summary>
/// An <see cref="ISignalSink"/> that appends every signal straight to a <see cref="JournalWriter"/> on the calling
/// thread, numbering them 0, 1, 2, ...: the outbound stream of a single-threaded replay, laid out exactly as
/// <see cref="SignalRingSink"/> + <see cref="SignalJournalHandler"/> lay out a live run's (same records, same sequences).
/// </summary>
/// <remarks>Core thread only. Allocation-free unless the writer rolls a segment. Optionally passes each signal to an inner sink.</remarks>
public sealed class JournalSignalSink : ISignalSink
{
    private readonly JournalWriter _writer;
    private readonly ISignalSink? _inner;
    private long _sequence;

    /// <summary>Creates the sink.</summary>
    /// <param name="writer">The outbound journal (owned by the caller).</param>
    /// <param name="inner">A sink to call after journaling, or null.</param>
    public JournalSignalSink(JournalWriter writer, ISignalSink? inner = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _inner = inner;
    }

    /// <summary>Signals journaled so far.</summary>
    public long Published => _sequence;

    /// <inheritdoc/>
    /// <remarks>Appends a <see cref="JournalRecordType.Signal"/> record with the next outbound sequence.</remarks>
    public void OnSignal(in SignalEvent signal, OrderBook book)
    {
        _writer.AppendSignal(in signal, _sequence++);
        _inner?.OnSignal(in signal, book);
    }
}
