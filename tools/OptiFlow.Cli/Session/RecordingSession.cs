using System.Diagnostics;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Cli.Session;

/// <summary>
/// Wires one run over recorded files: reader → decoder → inbound ring → (core ∥ journal writer, the
/// <see cref="CoreJournalPipeline"/>), both consumers gating the producer; then drains, halts and collects every count,
/// histogram and allocation figure.
/// </summary>
/// <remarks>
/// <code>
///  files ─► RecordingReader ─► RingPublisher ─► [ inbound ring ] ─┬─► core (MarketCore, pinned if asked)
///           (this thread)       (decode, claim, publish)          └─► journal (JournalWriter, mmap)
/// </code>
/// </remarks>
internal static class RecordingSession
{
    public static SessionResult Run(SessionOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        var symbols = options.Symbols ?? new SymbolTable();
        if (!symbols.IsFrozen)
        {
            RecordingSymbolScan.Intern(options.Format, options.Files, symbols); // the data's first pass: ids in decode order
            symbols.Freeze();
        }

        using var pipeline = new CoreJournalPipeline(options, symbols, ProducerType.Single);
        pipeline.Start();

        var decoder = new BinanceFrameDecoder(options.Market, symbols);
        var publisher = new RingPublisher(pipeline.Ring, decoder);
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
        pipeline.DrainAndStop();
        pipeline.Complete();
        var journal = pipeline.JournalProcessor;
        return new SessionResult
        {
            Options = options,
            Core = pipeline.Core,
            Symbols = symbols,
            Frames = publisher.Frames,
            IgnoredFrames = publisher.IgnoredFrames,
            UnknownFieldsSkipped = decoder.UnknownFieldsSkipped,
            PublishedSlots = publisher.PublishedSlots,
            PublishLatency = publisher.PublishLatency,
            ProducerSteadyStateBytes = producerBytes,
            CollectionsInProducerWindow = producerStart < 0 ? 0 : collectionsAtEnd - collectionsAtStart,
            JournalSteadyStateBytes = journal is null ? -1 : journal.Handler.SteadyStateAllocatedBytes,
            JournalLingerCount = journal?.LingerCount ?? 0,
            JournalRecords = pipeline.Writer?.RecordCount ?? 0,
            JournalBytes = pipeline.Writer?.BytesWritten ?? 0,
            CoreFaults = pipeline.CoreProcessor.FaultCount,
            JournalFaults = journal?.FaultCount ?? 0,
            Elapsed = stopwatch.Elapsed,
        };
    }
}
