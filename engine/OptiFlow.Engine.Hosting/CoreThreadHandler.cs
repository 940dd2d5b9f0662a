using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// What the core's processor runs: the core, and, when the journal shares the core's thread
/// (<see cref="JournalPlacement.CoreThread"/>), the journal after each batch.
/// </summary>
/// <remarks>
/// <para>A struct, so the processor calls it directly. With no journal attached it is the core's handler plus one
/// predictable test per event.</para>
/// <para>With a journal attached, at the end of each batch it appends the batch's events, in sequence order, from the
/// ring's slots: the processor releases a batch's sequence only after the batch, so the producer cannot have reused
/// them. The core's chained latency stamps end at the batch's end, so they never include the journal's work. A
/// batch is journaled even when the core threw on one of its events (the processor records the core's fault and
/// goes on). A journal error other than the writer's I/O failure (which <see cref="JournalEventHandler"/> keeps and
/// answers by dropping, counted) is recorded here as a journal fault (<see cref="JournalFaultCount"/>,
/// <see cref="LastJournalFault"/>) and the batch goes on with the next event, as the journal's own processor would.</para>
/// <para>Allocation-free per event; the processor thread only.</para>
/// </remarks>
internal struct CoreThreadHandler : IEventHandler<MarketEvent>
{
    private readonly CoreEventHandler _core;
    private RingBuffer<MarketEvent>? _ring;
    private JournalEventHandler _journal;
    private long _batchFirst;
    private long _journalFaultCount;
    private Exception? _lastJournalFault;

    public CoreThreadHandler(MarketCore core) => _core = new CoreEventHandler(core);

    /// <summary>Whether the journal runs on this thread.</summary>
    public readonly bool JournalsInline => _ring is not null;

    /// <summary>The inline journal handler (its counters and steady-state measurement); read after the processor was joined.</summary>
    public readonly JournalEventHandler Journal => _journal;

    /// <summary>Journal errors recorded on this thread (the writer's I/O failure is not one: see the remarks).</summary>
    public readonly long JournalFaultCount => _journalFaultCount;

    /// <summary>The last journal error recorded, or null.</summary>
    public readonly Exception? LastJournalFault => _lastJournalFault;

    /// <summary>Makes this thread journal every batch of <paramref name="ring"/> through <paramref name="journal"/>;
    /// before the processor starts.</summary>
    public void AttachJournal(RingBuffer<MarketEvent> ring, JournalEventHandler journal)
    {
        _ring = ring;
        _journal = journal;
    }

    /// <inheritdoc/>
    public void OnStart()
    {
        _core.OnStart();
        if (_ring is not null)
        {
            _journal.OnStart();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Keeps the batch's first sequence; the journal's own <c>OnBatchStart</c> runs when it journals the batch.</remarks>
    public void OnBatchStart(long firstSequence, long count) => _batchFirst = firstSequence;

    /// <inheritdoc/>
    public void OnEvent(ref MarketEvent data, long sequence, bool endOfBatch)
    {
        if (_ring is null)
        {
            _core.OnEvent(ref data, sequence, endOfBatch);
            return;
        }

        try
        {
            _core.OnEvent(ref data, sequence, endOfBatch);
        }
        finally
        {
            if (endOfBatch)
            {
                JournalBatch(sequence);
            }
        }
    }

    /// <inheritdoc/>
    public void OnShutdown()
    {
        try
        {
            _core.OnShutdown();
        }
        finally
        {
            if (_ring is not null)
            {
                _journal.OnShutdown();
            }
        }
    }

    private void JournalBatch(long last)
    {
        var next = _batchFirst;
        _journal.OnBatchStart(next, last - next + 1);
        while (next <= last)
        {
            next = JournalFrom(next, last);
        }
    }

    /// <summary>Journals <paramref name="next"/>..<paramref name="last"/>; returns the sequence to go on from.</summary>
    private long JournalFrom(long next, long last)
    {
        var ring = _ring!;
        try
        {
            for (; next <= last; next++)
            {
                _journal.OnEvent(ref ring[next], next, next == last);
            }
        }
        catch (Exception e)
        {
            _journalFaultCount++;
            _lastJournalFault = e;
            next++;
        }

        return next;
    }
}
