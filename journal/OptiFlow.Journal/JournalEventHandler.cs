using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Journal;

/// <summary>
/// Ring handler that journals every <see cref="MarketEvent"/> with its sequence through a <see cref="JournalWriter"/>
/// (durability level 0: page cache), and measures its own steady-state allocation.
/// </summary>
/// <remarks>
/// <para>
/// A struct so that <see cref="BatchEventProcessor{T, THandler}"/> calls it directly, without interface dispatch. The
/// processor holds its own <b>copy</b>: read the measurements through <c>processor.Handler</c> after the processor has
/// been joined, not from the value passed to its constructor. The writer is shared by reference, so its counters
/// (<see cref="JournalWriter.RecordCount"/>) are the same through any copy.
/// </para>
/// <para>
/// <b>Steady state:</b> when the handler has journaled <c>steadyStateAfterEvents</c> events it records
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>; <see cref="OnShutdown"/> records it again, and
/// <see cref="SteadyStateAllocatedBytes"/> is the difference: the bytes allocated by the processor thread in between
/// (journal, ring wait loop and any segment roll). Expected 0 when no segment rolled in that window.
/// </para>
/// <para>
/// <b>I/O failure:</b> when the writer throws a <see cref="JournalIOException"/> (a full disk, a file-size limit), the
/// handler keeps it in <see cref="Failure"/> and from then on drops every event (counted in <see cref="EventsDropped"/>)
/// without calling the writer again: the ring keeps moving, so the producer and the core are never blocked behind a
/// dead journal, and one failure is one exception, not one per event. The owner reads <see cref="JournalWriter.Failure"/>
/// (volatile, any thread) to stop early and report it; what was committed before it stays in the journal.
/// </para>
/// <para>All methods run on the processor thread; the writer must not be used by another thread meanwhile.</para>
/// <example>
/// <code>
/// var handler = new JournalEventHandler(writer, steadyStateAfterEvents: 1_000);
/// var processor = new BatchEventProcessor&lt;MarketEvent, JournalEventHandler&gt;(ring, ring.Sequencer.NewBarrier(), handler);
/// ring.Sequencer.SetGatingSequences(processor.Sequence);
/// processor.Start("journal");
/// // ... publish ...
/// processor.Halt();
/// processor.Join(TimeSpan.FromSeconds(5));
/// var allocated = processor.Handler.SteadyStateAllocatedBytes;
/// </code>
/// </example>
/// </remarks>
public struct JournalEventHandler : IEventHandler<MarketEvent>
{
    /// <summary>Value of <see cref="SteadyStateAllocatedBytes"/> before a measurement completed.</summary>
    public const long NotMeasured = -1;

    private readonly JournalWriter _writer;
    private readonly SymbolTable? _symbols;
    private readonly long _steadyStateAfterEvents;
    private int _symbolsJournaled;
    private long _eventsHandled;
    private long _steadyStateStartBytes;
    private long _steadyStateAllocatedBytes;
    private JournalIOException? _failure;
    private long _eventsDropped;

    /// <summary>Creates a handler journaling into <paramref name="writer"/>.</summary>
    /// <param name="writer">The journal; owned by the caller, who disposes it after the processor stopped.</param>
    /// <param name="steadyStateAfterEvents">Events after which steady state is assumed (JIT tiering done), e.g. 1000; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steadyStateAfterEvents"/> is below 1.</exception>
    public JournalEventHandler(JournalWriter writer, long steadyStateAfterEvents)
        : this(writer, steadyStateAfterEvents, symbols: null)
    {
    }

    /// <summary>
    /// Creates a handler journaling into <paramref name="writer"/> that also journals the symbol table: before the
    /// first event of a symbol id not journaled yet, it appends a <see cref="JournalRecordType.Symbol"/> record for
    /// every id interned so far, so the journal names its symbols by itself.
    /// </summary>
    /// <param name="writer">The journal; owned by the caller, who disposes it after the processor stopped.</param>
    /// <param name="steadyStateAfterEvents">Events after which steady state is assumed (JIT tiering done), e.g. 1000; at least 1.</param>
    /// <param name="symbols">
    /// The table the producer interns into, or null. The producer interns a symbol before it publishes the first event
    /// that uses it, and the ring's publish/read is a release/acquire pair, so the name is visible here.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steadyStateAfterEvents"/> is below 1.</exception>
    public JournalEventHandler(JournalWriter writer, long steadyStateAfterEvents, SymbolTable? symbols)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfLessThan(steadyStateAfterEvents, 1);
        _writer = writer;
        _symbols = symbols;
        _steadyStateAfterEvents = steadyStateAfterEvents;
        _steadyStateAllocatedBytes = NotMeasured;
    }

    /// <summary>The writer this handler appends to.</summary>
    public readonly JournalWriter Writer => _writer;

    /// <summary>The writer's I/O failure that stopped this handler journaling, or null.</summary>
    /// <remarks>Plain field: read on the processor thread or after it was joined (<see cref="JournalWriter.Failure"/> is the cross-thread view).</remarks>
    public readonly JournalIOException? Failure => _failure;

    /// <summary>Events not journaled because the writer had failed.</summary>
    /// <remarks>Plain field: read after the processor was joined.</remarks>
    public readonly long EventsDropped => _eventsDropped;

    /// <summary>Events journaled by this copy of the handler.</summary>
    /// <remarks>Plain field: read on the processor thread or after it was joined.</remarks>
    public readonly long EventsHandled => _eventsHandled;

    /// <summary>
    /// Bytes allocated on the processor thread between the <c>steadyStateAfterEvents</c>-th event and
    /// <see cref="OnShutdown"/>; <see cref="NotMeasured"/> (-1) until shutdown, or when fewer events arrived.
    /// </summary>
    /// <remarks>Plain field: read after the processor was joined, through <c>processor.Handler</c>.</remarks>
    public readonly long SteadyStateAllocatedBytes => _steadyStateAllocatedBytes;

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
    /// <remarks>
    /// Appends the event with its sequence (<see cref="JournalWriter.Append"/>), preceded by Symbol records when it
    /// uses a symbol id not journaled yet; at the end of a batch calls <see cref="JournalWriter.OnBatchEnd"/> (which
    /// msyncs only at durability level 2). Allocation-free unless the segment rolls; the
    /// <c>steadyStateAfterEvents</c>-th call reads the allocation counter. A <see cref="JournalIOException"/> from the
    /// writer is kept in <see cref="Failure"/> and ends journaling (see the class remarks); other errors propagate to the
    /// processor, which records them as faults.
    /// </remarks>
    public void OnEvent(ref MarketEvent data, long sequence, bool endOfBatch)
    {
        if (_failure is not null)
        {
            _eventsDropped++;
            return;
        }

        try
        {
            if (_symbols is not null && data.SymbolId >= _symbolsJournaled)
            {
                JournalSymbols();
            }

            _writer.Append(ref data, sequence);
            if (endOfBatch)
            {
                _writer.OnBatchEnd();
            }
        }
        catch (JournalIOException e)
        {
            _failure = e;
            _eventsDropped++;
            return;
        }

        if (++_eventsHandled == _steadyStateAfterEvents)
        {
            _steadyStateStartBytes = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    private void JournalSymbols()
    {
        var count = _symbols!.Count;
        for (; _symbolsJournaled < count; _symbolsJournaled++)
        {
            _writer.AppendSymbol(_symbolsJournaled, _symbols.Utf8NameOf(_symbolsJournaled));
        }
    }

    /// <inheritdoc/>
    /// <remarks>Completes the steady-state measurement when enough events arrived. Does not flush or dispose the writer.</remarks>
    public void OnShutdown()
    {
        if (_eventsHandled >= _steadyStateAfterEvents)
        {
            _steadyStateAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - _steadyStateStartBytes;
        }
    }
}
