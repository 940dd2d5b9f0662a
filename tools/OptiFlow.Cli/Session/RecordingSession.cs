using System.Diagnostics;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli.Replay;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Journal;

namespace OptiFlow.Cli.Session;

/// <summary>
/// Wires one run over recorded files: reader → decoder → inbound ring → (core ∥ journal writer), both consumers gating
/// the producer; then drains, halts and collects every count, histogram and allocation figure.
/// </summary>
/// <remarks>
/// <code>
///  files ─► RecordingReader ─► RingPublisher ─► [ inbound ring ] ─┬─► core (MarketCore, pinned if asked)
///           (this thread)       (decode, claim, publish)          └─► journal (JournalWriter, mmap)
/// </code>
/// </remarks>
internal static class RecordingSession
{
    public static IWaitStrategy CreateWaitStrategy(WaitStrategyKind kind) => kind switch
    {
        WaitStrategyKind.Blocking => new BlockingWaitStrategy(),
        WaitStrategyKind.Sleeping => new SleepingWaitStrategy(),
        WaitStrategyKind.BusySpin => new BusySpinWaitStrategy(),
        _ => new YieldingWaitStrategy(),
    };

    public static SessionResult Run(SessionOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        var symbols = options.Symbols ?? new SymbolTable();
        var ring = new RingBuffer<MarketEvent>(options.RingSize, CreateWaitStrategy(options.WaitStrategy));
        using var outbound = OutboundJournal.Start(options);
        var core = new MarketCore(symbols.Capacity, outbound?.Sink ?? options.Sink, measureLatency: true) { SteadyStateAfterEvents = options.SteadyStateAfter };
        using var coreProcessor = new BatchEventProcessor<MarketEvent, CoreEventHandler>(ring, ring.Sequencer.NewBarrier(), new CoreEventHandler(core));

        JournalWriter? writer = null;
        BatchEventProcessor<MarketEvent, JournalEventHandler>? journalProcessor = null;
        try
        {
            if (options.JournalDirectory is { } directory)
            {
                writer = new JournalWriter(directory, new JournalOptions { SegmentSize = options.JournalSegmentSize, Overwrite = true, Durability = options.JournalDurability });
                JournalSessionHeader.Write(writer, options, symbols);
                journalProcessor = new BatchEventProcessor<MarketEvent, JournalEventHandler>(
                    ring, ring.Sequencer.NewBarrier(), new JournalEventHandler(writer, options.SteadyStateAfter, symbols));
                ring.Sequencer.SetGatingSequences(coreProcessor.Sequence, journalProcessor.Sequence);
            }
            else
            {
                ring.Sequencer.SetGatingSequences(coreProcessor.Sequence);
            }

            coreProcessor.Start("optiflow-core", options.CoreCpu);
            journalProcessor?.Start("optiflow-journal");

            var decoder = new BinanceFrameDecoder(options.Market, symbols);
            var publisher = new RingPublisher(ring, decoder);
            long producerStart = -1;
            long producerEnd = -1;
            var collectionsAtStart = 0;
            var collectionsAtEnd = 0;
            using (var reader = RecordingReaders.Open(options.Format, options.Files, symbols))
            {
                while (reader.TryRead(out var frame))
                {
                    var receiveNs = MonotonicClock.NowNs;
                    publisher.Publish(frame.Frame, receiveNs, frame.LocalTimestampNs, frame.SymbolHint, frame.FileIndex, frame.Line, frame.LineFormatError);
                    if (publisher.Frames == options.SteadyStateAfter)
                    {
                        producerStart = GC.GetAllocatedBytesForCurrentThread();
                        collectionsAtStart = GC.CollectionCount(0);
                    }

                    // The window closes at the last frame: reaching the end of a file (closing a gzip stream, opening
                    // the next file of the session) allocates once per file and is not steady state.
                    producerEnd = GC.GetAllocatedBytesForCurrentThread();
                    collectionsAtEnd = GC.CollectionCount(0);
                }
            }

            var producerBytes = producerStart < 0 ? -1 : producerEnd - producerStart;

            Drain(ring, coreProcessor.Sequence, journalProcessor?.Sequence, options.DrainTimeout);
            coreProcessor.Halt();
            journalProcessor?.Halt();
            if (!coreProcessor.Join(options.DrainTimeout) || (journalProcessor is not null && !journalProcessor.Join(options.DrainTimeout)))
            {
                throw new TimeoutException($"The core or journal thread did not stop within {options.DrainTimeout.TotalSeconds:0} s of being halted.");
            }

            outbound?.Complete(options.DrainTimeout);
            if (writer is not null)
            {
                writer.AppendBlob(JournalRecordType.RunSummary, RunSummary.From(core, symbols).ToUtf8());
                writer.Flush();
            }

            return new SessionResult
            {
                Options = options,
                Core = core,
                Symbols = symbols,
                Frames = publisher.Frames,
                IgnoredFrames = publisher.IgnoredFrames,
                UnknownFieldsSkipped = decoder.UnknownFieldsSkipped,
                PublishedSlots = publisher.PublishedSlots,
                PublishLatency = publisher.PublishLatency,
                ProducerSteadyStateBytes = producerBytes,
                CollectionsInProducerWindow = producerStart < 0 ? 0 : collectionsAtEnd - collectionsAtStart,
                JournalSteadyStateBytes = journalProcessor is null ? -1 : journalProcessor.Handler.SteadyStateAllocatedBytes,
                JournalRecords = writer?.RecordCount ?? 0,
                JournalBytes = writer?.BytesWritten ?? 0,
                CoreFaults = coreProcessor.FaultCount,
                JournalFaults = journalProcessor?.FaultCount ?? 0,
                Elapsed = stopwatch.Elapsed,
            };
        }
        finally
        {
            if (coreProcessor.IsRunning)
            {
                coreProcessor.Halt();
                coreProcessor.Join(TimeSpan.FromSeconds(5));
            }

            if (journalProcessor is not null)
            {
                if (journalProcessor.IsRunning)
                {
                    journalProcessor.Halt();
                    journalProcessor.Join(TimeSpan.FromSeconds(5));
                }

                journalProcessor.Dispose();
            }

            writer?.Dispose();
        }
    }

    private static void Drain(RingBuffer<MarketEvent> ring, Sequence core, Sequence? journal, TimeSpan timeout)
    {
        var target = ring.Cursor.Value;
        var deadline = Stopwatch.StartNew();
        while (core.Value < target || (journal is not null && journal.Value < target))
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Consumers did not drain the ring within {timeout.TotalSeconds:0} s: cursor {target}, core {core.Value}, journal {journal?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}.");
            }

            Thread.Sleep(1);
        }
    }
}
