using System.Diagnostics;
using OptiFlow.Cli.Session;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Processing;
using OptiFlow.Journal;
using OptiFlow.Journal.Outbound;

namespace OptiFlow.Cli.Replay;

/// <summary>
/// The live run's outbound journal: the core publishes every signal into an outbound ring, and a second journal
/// writer on its own thread appends them to <c>DIR/outbound/</c>.
/// </summary>
/// <remarks>
/// <code>
///  core thread: MarketCore ─► SignalRingSink ─► [ outbound ring ] ─► optiflow-outbound: SignalJournalHandler ─► DIR/outbound/*.seg
///                           └─► the session's own sink (printers)
/// </code>
/// The core never touches the file: its cost per signal is a claim, a 96-byte copy and a publish (allocation-free).
/// </remarks>
internal sealed class OutboundJournal : IDisposable
{
    private readonly RingBuffer<SignalEvent> _ring;
    private readonly BatchEventProcessor<SignalEvent, SignalJournalHandler> _processor;

    private OutboundJournal(string directory, SessionOptions options)
    {
        Writer = new JournalWriter(
            Path.Combine(directory, JournalDescriptor.OutboundDirectoryName),
            new JournalOptions { SegmentSize = options.JournalSegmentSize, Overwrite = true, Durability = options.JournalDurability });
        _ring = new RingBuffer<SignalEvent>(options.RingSize, CoreJournalPipeline.CreateWaitStrategy(options.WaitStrategy));
        _processor = new BatchEventProcessor<SignalEvent, SignalJournalHandler>(_ring, _ring.Sequencer.NewBarrier(), new SignalJournalHandler(Writer));
        _ring.Sequencer.SetGatingSequences(_processor.Sequence);
        Sink = new SignalRingSink(_ring, options.Sink);
    }

    /// <summary>The sink to give the core.</summary>
    public ISignalSink Sink { get; }

    /// <summary>The outbound journal's writer (read its counters after <see cref="Complete"/>).</summary>
    public JournalWriter Writer { get; }

    /// <summary>Faults of the outbound journal thread.</summary>
    public long Faults => _processor.FaultCount;

    /// <summary>An outbound journal beside <see cref="SessionOptions.JournalDirectory"/>, started; null without a journal.</summary>
    public static OutboundJournal? Start(SessionOptions options)
    {
        if (options.JournalDirectory is not { } directory)
        {
            return null;
        }

        var outbound = new OutboundJournal(directory, options);
        outbound._processor.Start("optiflow-outbound");
        return outbound;
    }

    /// <summary>After the core stopped: waits until every published signal is journaled, stops the thread, flushes.</summary>
    public void Complete(TimeSpan timeout)
    {
        var target = _ring.Cursor.Value;
        var deadline = Stopwatch.StartNew();
        while (_processor.Sequence.Value < target)
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"The outbound journal did not drain within {timeout.TotalSeconds:0} s: cursor {target}, journal {_processor.Sequence.Value}.");
            }

            Thread.Sleep(1);
        }

        _processor.Halt();
        if (!_processor.Join(timeout))
        {
            throw new TimeoutException($"The outbound journal thread did not stop within {timeout.TotalSeconds:0} s of being halted.");
        }

        Writer.Flush();
    }

    public void Dispose()
    {
        if (_processor.IsRunning)
        {
            _processor.Halt();
            _processor.Join(TimeSpan.FromSeconds(5));
        }

        _processor.Dispose();
        Writer.Dispose();
    }
}
