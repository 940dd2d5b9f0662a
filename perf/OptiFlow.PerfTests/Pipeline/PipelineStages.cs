using System.Diagnostics;
using System.Globalization;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Journal;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>
/// One run of each stage of <c>optiflow run</c>, each built from the engine's public types exactly as
/// <see cref="EngineSession"/> builds it, fed from memory, and timed alone:
/// <code>
///  (a) decode   lines (memory) ─► FramePublisher + BinanceFrameDecoder ─► [ inbound ring, claimed slots ] ─► consumer that only advances
///  (b) core     events (array) ─► CoreEventHandler ─► MarketCore (books + signals) ─► OutboundRingPublisher ─► [ outbound ring, no consumer ]
///  (c) journal  events (array) ─► JournalEventHandler ─► JournalWriter ─► tmpfs segments
///  (d) pipeline recording in memory ─► EngineSession.ForRecording: Start ─► PublishRecording ─► Stop (decode ∥ core ∥ journal ∥ outbound journal)
///  (d') pipeline file, the same (as optiflow run): (d) plus the reading of (r)
///  (e) replay   (d)'s journal ─► JournalReplayer ─► MarketCore (compared with the run summary)
///  (r) read     file ─► the session's recording reader, no decode
/// </code>
/// </summary>
/// <remarks>Cold set-up (rings, cores, writers, sessions) happens before each window; <see cref="StageClock"/> times
/// only the work. Every method runs on the calling thread, plus the consumer threads the stage starts and joins.</remarks>
internal static class PipelineStages
{
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Decodes every line once through the producer path into a ring whose consumer copies each slot out (untimed): the
    /// pre-decoded events of stages (b) and (c), in ring-sequence order.
    /// </summary>
    /// <param name="lines">The recording in memory.</param>
    /// <param name="input">The recording (market, frozen symbol table).</param>
    /// <param name="options">The session's options (ring size, wait strategy).</param>
    /// <param name="frames">Frames the publisher counted.</param>
    public static CapturedEvents Capture(RecordedLines lines, RecordingInput input, EngineOptions options, out long frames)
    {
        var captured = new CapturedEvents();
        var ring = InboundRing(options);
        using var processor = new BatchEventProcessor<MarketEvent, CapturingHandler>(ring, ring.Sequencer.NewBarrier(), new CapturingHandler(captured));
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        var publisher = new FramePublisher(ring, new BinanceFrameDecoder(input.Market, input.Symbols));
        processor.Start("stages-capture");
        try
        {
            PublishAll(publisher, lines);
            WaitFor(processor.Sequence, ring.Cursor.Value, "capture");
        }
        finally
        {
            Halt(processor);
        }

        frames = publisher.Frames;
        return processor.FaultCount > 0
            ? throw new InvalidOperationException($"capture: the consumer faulted {processor.FaultCount} times")
            : captured;
    }

    /// <summary>(a) Decode into a real ring's claimed slots; the consumer only advances its sequence.</summary>
    public static StageOutcome Decode(RecordedLines lines, RecordingInput input, EngineOptions options)
    {
        var ring = InboundRing(options);
        using var processor = new BatchEventProcessor<MarketEvent, AdvancingHandler>(ring, ring.Sequencer.NewBarrier(), default);
        ring.Sequencer.SetGatingSequences(processor.Sequence);
        var publisher = new FramePublisher(ring, new BinanceFrameDecoder(input.Market, input.Symbols));
        processor.Start("stages-decode-consumer");
        StageSample sample;
        try
        {
            var clock = StageClock.Start();
            PublishAll(publisher, lines);
            WaitFor(processor.Sequence, ring.Cursor.Value, "decode");
            sample = clock.Stop(publisher.PublishedSlots, publisher.Frames);
        }
        finally
        {
            Halt(processor);
        }

        List<string> problems = processor.FaultCount > 0 ? [$"the consumer faulted {processor.FaultCount} times"] : [];
        return new StageOutcome(sample, new StageWork(publisher.PublishedSlots, publisher.Frames, null, null, null, problems));
    }

    /// <summary>
    /// (b) The core alone on the calling thread: every pre-decoded event through <see cref="CoreEventHandler"/> (what the
    /// core's processor calls), with the session's core configuration: no evaluators (as <c>optiflow run</c> without
    /// strategy options), the symbols prepared, latency stamps as given. Its outbound records go through a real
    /// <see cref="OutboundRingPublisher"/> into an outbound ring with no consumer and no gate (it never waits).
    /// </summary>
    public static StageOutcome Core(CapturedEvents events, RecordingInput input, EngineOptions options, long frames, bool measureLatency)
    {
        var outbound = new RingBuffer<OutboundEvent>(options.OutboundRingSize, options.EffectiveJournalWaitStrategy.Create(options.OutboundRingSize));
        var core = new MarketCore(input.Symbols.Capacity, new OutboundRingPublisher(outbound, options.BookViews), measureLatency, evaluators: null, new OrderLedgerOptions { Trading = false })
        {
            SteadyStateAfterEvents = options.SteadyStateAfter,
            LatencySampleInterval = options.LatencySampleInterval,
        };
        core.PrepareSymbols(input.Symbols.Count, input.Market);
        var handler = new CoreEventHandler(core);
        var items = events.Items;
        var count = events.Count;
        handler.OnStart();
        var clock = StageClock.Start();
        for (var i = 0; i < count; i++)
        {
            handler.OnEvent(ref items[i], i, endOfBatch: false);
        }

        var sample = clock.Stop(count, frames);
        handler.OnShutdown();
        return new StageOutcome(sample, new StageWork(core.EventCount, frames, core.BooksDigest(), core.SignalCount, core.SignalDigest, []));
    }

    /// <summary>
    /// (c) The journal alone on the calling thread: every pre-decoded event through <see cref="JournalEventHandler"/>
    /// (what the journal's processor calls: the symbol records, then <see cref="JournalWriter.Append"/>) into a fresh
    /// journal with the session's segment size and durability; the writer is created (and its first segment
    /// pre-faulting started) just before the window, as a session creates it just before it starts.
    /// </summary>
    public static StageOutcome Journal(CapturedEvents events, RecordingInput input, EngineOptions options, string directory, int segmentSize, long frames)
    {
        using var writer = new JournalWriter(directory, new JournalOptions { SegmentSize = segmentSize, Overwrite = true, Durability = options.JournalDurability });
        var handler = new JournalEventHandler(writer, options.SteadyStateAfter, input.Symbols);
        var items = events.Items;
        var count = events.Count;
        var last = count - 1;
        var clock = StageClock.Start();
        for (var i = 0; i < count; i++)
        {
            handler.OnEvent(ref items[i], i, endOfBatch: i == last);
        }

        var sample = clock.Stop(handler.EventsHandled, frames);
        handler.OnShutdown();
        var problems = new List<string>();
        if (handler.Failure is { } failure)
        {
            problems.Add($"journal failed: {failure.Message}");
        }

        if (handler.EventsDropped > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{handler.EventsDropped} events dropped"));
        }

        return new StageOutcome(sample, new StageWork(handler.EventsHandled, frames, null, null, null, problems));
    }

    /// <summary>
    /// (d) The whole pipeline as <c>optiflow run --market M --journal DIR</c> runs it: <see cref="EngineSession.ForRecording"/>
    /// (built before the window), then <see cref="EngineSession.Start"/>, <see cref="EngineSession.PublishRecording"/>
    /// and <see cref="EngineSession.Stop"/> timed together. The session reads the recording's files itself (the host
    /// takes files, not lines in memory).
    /// </summary>
    public static StageOutcome Session(RecordingInput input, EngineOptions options)
    {
        SessionResult result;
        StageSample sample;
        using (var session = EngineSession.ForRecording(input, options))
        {
            var clock = StageClock.Start();
            session.Start();
            session.PublishRecording();
            result = session.Stop();
            sample = clock.Stop(result.PublishedSlots, result.Frames);
        }

        var problems = new List<string>();
        if (result.JournalFailure is { } failure)
        {
            problems.Add($"journal failed: {failure.Message}");
        }

        if (result.CoreFaults + result.JournalFaults + result.OutboundFaults > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"faults: core {result.CoreFaults}, journal {result.JournalFaults}, outbound {result.OutboundFaults}"));
        }

        if (result.DamagedInputs.Count > 0)
        {
            problems.Add($"damaged input: {result.DamagedInputs[0].Message}");
        }

        if (result.Core.EventCount != result.PublishedSlots)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the core handled {result.Core.EventCount} events of {result.PublishedSlots} published"));
        }

        if (result.JournalRecords < result.PublishedSlots)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the journal holds {result.JournalRecords} records for {result.PublishedSlots} events"));
        }

        var core = result.Core;
        return new StageOutcome(sample, new StageWork(core.EventCount, result.Frames, core.BooksDigest(), core.SignalCount, core.SignalDigest, problems));
    }

    /// <summary>(e) The replay of the journal (d) wrote, through the same core (<see cref="JournalReplayer.Replay(string, string?, bool)"/>, no outbound output).</summary>
    public static StageOutcome Replay(string directory, long frames)
    {
        var clock = StageClock.Start();
        var replay = JournalReplayer.Replay(directory);
        var sample = clock.Stop(replay.Events, frames);
        List<string> problems = replay.Identical ? [] : [$"replay differs from the run summary: {string.Join("; ", replay.Differences())}"];
        var core = replay.Core;
        return new StageOutcome(sample, new StageWork(replay.Events, frames, core.BooksDigest(), core.SignalCount, core.SignalDigest, problems));
    }

    /// <summary>(r) The session's recording reader over the files, frames only (no decode): the part of (d) that (a) to (c) leave out.</summary>
    /// <param name="input">The recording.</param>
    /// <param name="events">The recording's ring events, to give the rate in the same unit as the other stages.</param>
    public static StageOutcome Read(RecordingInput input, long events)
    {
        long frames = 0;
        long bytes = 0;
        var clock = StageClock.Start();
        using (var reader = input.OpenReader())
        {
            while (reader.TryRead(out var frame))
            {
                frames++;
                bytes += frame.Frame.Length;
            }
        }

        var sample = clock.Stop(events, frames);
        List<string> problems = bytes > 0 ? [] : ["the reader returned no bytes"];
        return new StageOutcome(sample, new StageWork(null, frames, null, null, null, problems));
    }

    /// <summary>The session's inbound ring: its size and the core's wait strategy, single producer.</summary>
    private static RingBuffer<MarketEvent> InboundRing(EngineOptions options) =>
        new(options.RingSize, options.CoreWaitStrategy.Create(options.RingSize), ProducerType.Single);

    /// <summary>Publishes every line as <see cref="EngineSession.PublishRecording"/> does, minus the file reader.</summary>
    private static void PublishAll(FramePublisher publisher, RecordedLines lines)
    {
        var bytes = lines.Bytes;
        var all = lines.Lines;
        for (var i = 0; i < all.Length; i++)
        {
            ref readonly var line = ref all[i];
            publisher.Publish(bytes.AsSpan(line.Start, line.Length), MonotonicClock.NowNs, line.LocalTimestampNs, line.SymbolHint, line.FileIndex, line.Line, line.LineFormatError);
        }
    }

    /// <summary>Waits (spin, then yield; bounded) until <paramref name="sequence"/> reaches <paramref name="target"/>.</summary>
    private static void WaitFor(Sequence sequence, long target, string stage)
    {
        var clock = Stopwatch.StartNew();
        var spins = 0;
        while (sequence.Value < target)
        {
            if (++spins < 100)
            {
                Thread.SpinWait(10);
                continue;
            }

            if (clock.Elapsed > DrainBound)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{stage}: the consumer did not reach sequence {target} within {DrainBound.TotalSeconds:0} s (it is at {sequence.Value})."));
            }

            Thread.Yield();
        }
    }

    private static void Halt<THandler>(BatchEventProcessor<MarketEvent, THandler> processor)
        where THandler : struct, IEventHandler<MarketEvent>
    {
        processor.Halt();
        if (!processor.Join(DrainBound))
        {
            throw new TimeoutException($"a consumer thread did not stop within {DrainBound.TotalSeconds:0} s of being halted");
        }
    }
}
