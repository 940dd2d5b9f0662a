using System.Diagnostics;
using System.Globalization;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Journal;
using OptiFlow.Journal.Outbound;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// One engine session, composed from <see cref="EngineOptions"/>: the inbound ring, the core and the journal on their
/// own threads (or the journal on the core's thread, after each batch: <see cref="EngineOptions.JournalPlacement"/>;
/// by default a file run on fewer than 3 CPUs), the outbound ring with its consumers (outbound journal, printers, the live client's request consumer),
/// and a source: a recording (<see cref="ForRecording"/>) or a live Binance feed (<see cref="ForLive"/>).
/// </summary>
/// <remarks>
/// <code>
///  source ─► FramePublisher ─► [ inbound ring ] ─┬─► optiflow-core: MarketCore ─► OutboundRingPublisher ─► [ outbound ring ] ─┬─► optiflow-outbound: DIR/outbound
///  (file: caller's thread;                        └─► optiflow-journal: JournalWriter ─► DIR/*.seg                              ├─► optiflow-outbound-N: OutboundHandlers
///   live: receive + control threads)                                                                                          └─► optiflow-requests: live client (snapshots)
/// </code>
/// <para>Lifecycle, in the spirit of Disruptor-net's DSL and ZeroLog's Initialize/Shutdown: create
/// (<see cref="ForRecording"/> or <see cref="ForLive"/>: builds everything, runs nothing) → <see cref="Start"/> (writes
/// the journal's session header, starts the threads) → publish (<see cref="PublishRecording"/> or
/// <see cref="RunLive"/>) → <see cref="Stop"/> (drains every consumer, halts and joins the threads, writes the run
/// summary; each wait bounded by <see cref="EngineOptions.DrainTimeout"/>) → read the <see cref="SessionResult"/> →
/// <see cref="Dispose"/>. Dispose halts whatever still runs, so an exception between the steps leaves no thread behind.</para>
/// <para>Symbols are interned when the session is configured (from the recording's first pass, or the live symbols);
/// producer threads only look them up. Not thread-safe: one controlling thread drives the steps. Every decision of the
/// core (signals, snapshot requests) leaves through the outbound ring and is journaled, so
/// <see cref="JournalReplayer"/> reproduces it.</para>
/// </remarks>
/// <example><code>
/// var recording = RecordingInput.Open("btcusdt_20240808");
/// using var session = EngineSession.ForRecording(recording, new EngineOptions { JournalDirectory = "/tmp/j" });
/// session.Start();
/// session.PublishRecording();
/// var result = session.Stop();
/// </code></example>
public sealed partial class EngineSession : IDisposable
{
    private readonly EngineOptions _options;
    private readonly RecordingInput? _recording;
    private readonly MarketDataClientOptions? _liveOptions;
    private readonly OutboundRingPublisher _outboundPublisher;
    private readonly BatchEventProcessor<MarketEvent, CoreThreadHandler> _coreProcessor;
    private readonly JournalWriter? _journal;
    private readonly BatchEventProcessor<MarketEvent, JournalEventHandler>? _journalProcessor;
    private readonly JournalWriter? _outboundJournal;
    private readonly BatchEventProcessor<OutboundEvent, OutboundJournalHandler>? _outboundJournalProcessor;
    private readonly List<BatchEventProcessor<OutboundEvent, OutboundHandlerAdapter>> _handlerProcessors = [];
    private readonly BatchEventProcessor<OutboundEvent, SnapshotRequestHandler>? _requestProcessor;
    private readonly Trading.OrderGateway? _gateway;
    /// <summary>In throughput mode the producer checks the inbound ring's free room once every this many frames + 1 (<see cref="WaitForRoom"/>).</summary>
    private const long RoomCheckFrames = 63;
    private readonly Stopwatch _elapsed = new();
    private readonly List<ConsumerWaitStrategy> _consumers = [];
    private readonly List<BatchingWaitStrategy> _batching = []; // woken at the end of the stream (WakeBatchingConsumers)
    private FramePublisher? _publisher;
    private readonly List<DamagedRecordingException> _damagedInputs = [];
    private long _producerSteadyStateBytes = -1;
    private long _fullRingSleeps;
    private int _collectionsInProducerWindow;
    private State _state;
    private SessionResult? _result;

    private EngineSession(EngineOptions options, Market market, SymbolTable symbols, ProducerType producers, RecordingInput? recording, MarketDataClientOptions? live)
    {
        // Everything that can be refused is refused before anything is created: values and CPUs, then the journal directory.
        options.Validate();
        if (options.JournalDirectory is { } journalDirectory)
        {
            JournalDirectories.RequireWritable(journalDirectory, options.JournalOverwrite);
            JournalDirectories.RequireWritable(Path.Combine(journalDirectory, JournalDescriptor.OutboundDirectoryName), options.JournalOverwrite);
        }

        _options = options;
        _recording = recording;
        _liveOptions = live;
        Market = market;
        Symbols = symbols;
        // Each consumer waits with its own strategy (the core may busy-spin while the journal yields or sleeps): the
        // rings' default strategies are the core's and the outbound journal's; every other consumer gets its own barrier
        // strategy, and producers signal only those that block.
        // A trading session's gateway and venue threads publish execution reports beside the source: multi-producer.
        InboundRing = new RingBuffer<MarketEvent>(options.RingSize, Track(options.CoreWaitStrategy.Create(options.RingSize)), options.Trading is null ? producers : ProducerType.Multi);
        OutboundRing = new RingBuffer<OutboundEvent>(options.OutboundRingSize, Track(options.EffectiveJournalWaitStrategy.Create(options.OutboundRingSize)));
        _outboundPublisher = new OutboundRingPublisher(OutboundRing, options.BookViews);
        // Trading: the core's ledger tracks every order until its report closes it, and strategies count on that.
        Core = new MarketCore(symbols.Capacity, _outboundPublisher, options.MeasureLatency, EvaluatorsFor(options.Evaluators, symbols), new Orders.OrderLedgerOptions { Trading = options.Trading is not null })
        {
            SteadyStateAfterEvents = options.SteadyStateAfter,
            LatencySampleInterval = options.LatencySampleInterval,
        };
        Core.PrepareSymbols(symbols.Count, market); // every configured symbol's state now, not on the core thread later
        _coreProcessor = new BatchEventProcessor<MarketEvent, CoreThreadHandler>(InboundRing, InboundRing.Sequencer.NewBarrier(), new CoreThreadHandler(Core));
        if (live is not null || options.Trading is not null)
        {
            // Latency first: a live or trading core never pauses behind a burst (chase pacing trades up to 2 µs per
            // burst for throughput; perf/ARCHIVE.md, "Batched ring vs Disruptor-net"). File runs keep it.
            _coreProcessor.SetChasePacing(0, 0, 0);
        }

        _consumers.Add(new ConsumerWaitStrategy("optiflow-core", InboundRing.Sequencer.WaitStrategy.GetType().Name));
        var outboundGates = new List<Sequence>();
        var inboundGates = new List<Sequence> { _coreProcessor.Sequence };
        try
        {
            // The client first: it checks its options and symbols (each subscribed symbol must be in the frozen table)
            // before the journal creates anything on disk.
            if (live is not null)
            {
                Client = new MarketDataClient(live, InboundRing, symbols);
            }

            if (options.JournalDirectory is { } directory)
            {
                JournalSegmentSize = options.JournalSegmentSize ?? (recording is null ? JournalDescriptor.DefaultSegmentSize : JournalSizing.SegmentSizeFor(recording.Files));
                var outboundSegmentSize = options.JournalSegmentSize ?? JournalSizing.OutboundSegmentSizeFor(JournalSegmentSize);
                var journalOptions = new JournalOptions { SegmentSize = JournalSegmentSize, Overwrite = options.JournalOverwrite, Durability = options.JournalDurability };
                _journal = new JournalWriter(directory, journalOptions);
                var journalHandler = new JournalEventHandler(_journal, options.SteadyStateAfter, symbols);
                if (options.JournalsOnCoreThread(fileRun: live is null, Environment.ProcessorCount))
                {
                    _coreProcessor.Handler.AttachJournal(InboundRing, journalHandler);
                }
                else
                {
                    _journalProcessor = new BatchEventProcessor<MarketEvent, JournalEventHandler>(
                        InboundRing, Barrier(InboundRing, "optiflow-journal", Track(options.EffectiveJournalWaitStrategy.Create(options.RingSize))), journalHandler);
                    if (options.JournalLinger is { } linger)
                    {
                        _journalProcessor.SetLinger(linger.BatchSize, linger.Nanoseconds);
                    }

                    inboundGates.Add(_journalProcessor.Sequence);
                }
                _outboundJournal = new JournalWriter(
                    Path.Combine(directory, JournalDescriptor.OutboundDirectoryName),
                    new JournalOptions { SegmentSize = outboundSegmentSize, Overwrite = options.JournalOverwrite, Durability = options.JournalDurability });
                _outboundJournalProcessor = new BatchEventProcessor<OutboundEvent, OutboundJournalHandler>(
                    OutboundRing, Barrier(OutboundRing, "optiflow-outbound", OutboundRing.Sequencer.WaitStrategy), new OutboundJournalHandler(_outboundJournal));
                outboundGates.Add(_outboundJournalProcessor.Sequence);
            }

            if (options.Trading is { } trading)
            {
                var venue = trading.Mode == Trading.TradingMode.Paper
                    ? new Trading.PaperVenue(symbols.Count, Trading.PaperVenue.OptionsFor(trading, symbols.Count))
                    : trading.VenueFactory!(symbols, market);
                _gateway = new Trading.OrderGateway(InboundRing, _coreProcessor.Sequence, OutboundRing, symbols, market, trading, venue, options.SteadyStateAfter);
                _consumers.Add(new ConsumerWaitStrategy("optiflow-gateway", trading.GatewayWaitStrategy.ToString()));
                inboundGates.Add(_gateway.InboundSequence);
                outboundGates.Add(_gateway.OutboundSequence);
            }

            InboundRing.Sequencer.SetGatingSequences([.. inboundGates]);

            foreach (var handler in options.OutboundHandlers)
            {
                var processor = new BatchEventProcessor<OutboundEvent, OutboundHandlerAdapter>(
                    OutboundRing,
                    Barrier(OutboundRing, string.Create(CultureInfo.InvariantCulture, $"optiflow-outbound-{_handlerProcessors.Count + 1}"), Track(options.EffectiveOutboundWaitStrategy.Create(options.OutboundRingSize))),
                    new OutboundHandlerAdapter(handler));
                _handlerProcessors.Add(processor);
                outboundGates.Add(processor.Sequence);
            }

            if (Client is not null)
            {
                // Snapshot requests are rare and the fetch they start takes milliseconds: the consumer sleeps between
                // polls rather than spin beside the core.
                _requestProcessor = new BatchEventProcessor<OutboundEvent, SnapshotRequestHandler>(
                    OutboundRing, Barrier(OutboundRing, "optiflow-requests", WaitStrategyKind.Sleeping.Create()), new SnapshotRequestHandler(Client));
                outboundGates.Add(_requestProcessor.Sequence);
            }

            OutboundRing.Sequencer.SetGatingSequences([.. outboundGates]);
        }
        catch
        {
            DisposeResources();
            throw;
        }
    }

    private enum State
    {
        Created,
        Started,
        Stopped,
    }

    /// <summary>Builds one session's evaluators from their factories, or null for none.</summary>
    /// <param name="factories">The factories, in call order.</param>
    /// <param name="symbols">The session's frozen symbol table.</param>
    /// <returns>The set, not attached; null when there are no factories.</returns>
    /// <exception cref="Evaluators.EvaluatorConfigurationException">A factory cannot build its evaluator.</exception>
    internal static Engine.Evaluators.EvaluatorSet? EvaluatorsFor(IReadOnlyList<Evaluators.EvaluatorFactory> factories, SymbolTable symbols) =>
        factories.Count == 0 ? null : new Engine.Evaluators.EvaluatorSet(factories.Select(f => f.Create(symbols)));

    /// <summary>The sync rule the session runs.</summary>
    public Market Market { get; }

    /// <summary>The session's symbol table, configured before the session starts (producers only look symbols up).</summary>
    public SymbolTable Symbols { get; }

    /// <summary>The inbound ring (single producer for a recording, multi-producer live).</summary>
    public RingBuffer<MarketEvent> InboundRing { get; }

    /// <summary>The outbound ring: the core is its only producer.</summary>
    public RingBuffer<OutboundEvent> OutboundRing { get; }

    /// <summary>The core. Read its books and counters only after <see cref="Stop"/>.</summary>
    public MarketCore Core { get; }

    /// <summary>Every consumer thread of the session with the wait strategy it waits with (each has its own).</summary>
    public IReadOnlyList<ConsumerWaitStrategy> Consumers => _consumers;

    /// <summary>Times the recording's producer has found the inbound ring nearly full and slept until half of it was
    /// free (throughput mode only; see <see cref="SessionResult.FullRingSleeps"/>). Any thread: a volatile read.</summary>
    public long FullRingSleeps => Volatile.Read(ref _fullRingSleeps);

    /// <summary>The live client, or null for a recording session.</summary>
    public MarketDataClient? Client { get; }

    /// <summary>The inbound journal's segment size in bytes (<see cref="EngineOptions.JournalSegmentSize"/>, or the one
    /// <see cref="JournalSizing"/> chose); 0 without a journal.</summary>
    public int JournalSegmentSize { get; }

    /// <summary>
    /// The first I/O failure of either journal (a full disk, a file-size limit, an msync error), or null. Once set, that
    /// journal writes nothing more (its consumer drops what follows, so the rings keep moving), a recording stops being
    /// published and a live feed is stopped; <see cref="Stop"/> still drains and reports it in
    /// <see cref="SessionResult.JournalFailure"/>. Everything committed before it stays in the journal.
    /// </summary>
    /// <remarks>Any thread: both writers publish their failure through a volatile field.</remarks>
    public JournalIOException? JournalFailure => _journal?.Failure ?? _outboundJournal?.Failure;

    /// <summary>
    /// Trips the order gateway's kill switch (any thread): new orders are refused from then on and every open order is
    /// cancelled (one cancel per open order). No effect when the session does not trade.
    /// </summary>
    public void TripKillSwitch() => _gateway?.TripKillSwitch();

    /// <summary>
    /// Whether the core's processor paces a chase (<see cref="BatchEventProcessor{T, THandler}.SetChasePacing"/>): true in
    /// file runs without trading, where throughput counts; false in live and trading sessions, where an event already
    /// published is never held back.
    /// </summary>
    /// <remarks>Immutable after construction: thread-safe.</remarks>
    public bool CorePacesChases => _coreProcessor.ChasePacingBatchSize > 0;

    /// <summary>
    /// Whether the core's thread journals the inbound events after each batch (<see cref="EngineOptions.JournalPlacement"/>,
    /// <see cref="JournalPlacement.CoreThread"/>) instead of an <c>optiflow-journal</c> thread; false without a journal.
    /// </summary>
    public bool JournalOnCoreThread => _coreProcessor.Handler.JournalsInline;

    /// <summary>The histograms the running session records into, for <see cref="Reports.LatencyIntervalRecorder"/>:
    /// the recording's publisher (null until <see cref="PublishRecording"/> starts) and the gateway (null without trading).</summary>
    internal (FramePublisher? Publisher, Trading.OrderGateway? Gateway) LatencySources => (_publisher, _gateway);

    /// <summary>A session over a recording: single-producer inbound ring, the caller's thread publishes.</summary>
    /// <param name="recording">The recording (its symbols are the session's).</param>
    /// <param name="options">Options; <see cref="EngineOptions.Market"/>, when set, overrides the recording's; null:
    /// <see cref="EngineOptions.ForRecording"/> (every consumer batching: parks until a batch is published).</param>
    /// <returns>The session, built and not started.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="OptiFlow.Engine.Affinity.CpuAffinityException">A CPU is outside the process mask (checked before anything is created).</exception>
    /// <exception cref="JournalDirectoryException">The journal directory is refused: not an OptiFlow journal, an existing journal without <see cref="EngineOptions.JournalOverwrite"/>, or in use by another writer.</exception>
    /// <exception cref="JournalIOException">The OS refuses the journal directory, its lock or its first segment.</exception>
    public static EngineSession ForRecording(RecordingInput recording, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recording);
        options ??= EngineOptions.ForRecording();
        return new EngineSession(options, options.Market ?? recording.Market, recording.Symbols, ProducerType.Single, recording, live: null);
    }

    /// <summary>
    /// A live session: a <see cref="MarketDataClient"/> (receive threads per WebSocket connection, a control thread for
    /// REST snapshots) publishing into a multi-producer inbound ring; the core's snapshot requests reach the client
    /// through the outbound ring (<see cref="SnapshotRequestHandler"/> on thread <c>optiflow-requests</c>).
    /// </summary>
    /// <param name="client">The client's options (venue, symbols, streams, endpoint, timeouts).</param>
    /// <param name="options">Options; <see cref="EngineOptions.Market"/> defaults to the venue's; null:
    /// <see cref="EngineOptions.ForLive"/> (the core blocks, the other consumers sleep: cheap when the feed is idle).</param>
    /// <param name="symbols">The frozen symbol table, configured with every symbol of <paramref name="client"/>
    /// (<see cref="SymbolsFor"/>), when printers need it before the session exists; null: configured here.</param>
    /// <returns>The session, built and not started.</returns>
    /// <exception cref="ArgumentException">The options are invalid, a symbol cannot be interned, or
    /// <paramref name="symbols"/> lacks one of the client's symbols.</exception>
    /// <exception cref="OptiFlow.Engine.Affinity.CpuAffinityException">A CPU is outside the process mask (checked before anything is created).</exception>
    /// <exception cref="JournalDirectoryException">The journal directory is refused (see <see cref="ForRecording"/>).</exception>
    /// <exception cref="JournalIOException">The OS refuses the journal directory, its lock or its first segment.</exception>
    public static EngineSession ForLive(MarketDataClientOptions client, EngineOptions? options = null, SymbolTable? symbols = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= EngineOptions.ForLive();
        symbols ??= SymbolsFor(client);
        return new EngineSession(options, options.Market ?? client.Market, symbols, ProducerType.Multi, recording: null, client);
    }

    /// <summary>The symbol table of a live session: the client's symbols interned in order at configuration time, then
    /// frozen (receive threads only look symbols up; a frame of another symbol is a counted decode error).</summary>
    /// <param name="client">The client's options.</param>
    /// <returns>A new table.</returns>
    /// <exception cref="InvalidOperationException">A symbol is empty, too long, or the table is full.</exception>
    public static SymbolTable SymbolsFor(MarketDataClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var symbols = new SymbolTable();
        foreach (var symbol in client.Symbols)
        {
            symbols.GetOrAdd(symbol);
        }

        return symbols.Freeze();
    }

    /// <summary>
    /// Writes the journal's session header (configuration and symbol table), then starts the core (pinned to
    /// <see cref="EngineOptions.CoreCpu"/> when set), the journal threads and the outbound consumers.
    /// </summary>
    /// <exception cref="InvalidOperationException">The session was started before.</exception>
    /// <exception cref="OptiFlow.Engine.Affinity.CpuAffinityException">A CPU is outside the process mask.</exception>
    public void Start()
    {
        RequireState(State.Created, "start");
        _state = State.Started;
        _elapsed.Start();
        if (_journal is not null)
        {
            SessionRecords.Header(_options, Market, _recording?.Files ?? [], _liveOptions?.Venue.ToString(), Symbols, JournalSegmentSize).AppendTo(_journal);
        }

        var outboundCpu = _options.OutboundCpu;
        _outboundJournalProcessor?.Start("optiflow-outbound", outboundCpu);
        for (var i = 0; i < _handlerProcessors.Count; i++)
        {
            _handlerProcessors[i].Start(string.Create(CultureInfo.InvariantCulture, $"optiflow-outbound-{i + 1}"), outboundCpu);
        }

        _requestProcessor?.Start("optiflow-requests", outboundCpu);
        _coreProcessor.Start("optiflow-core", _options.CoreCpu);
        _journalProcessor?.Start("optiflow-journal", _options.JournalCpu);
        _gateway?.Start(); // connects and logs on before the first frame is published
    }

    /// <summary>
    /// Reads the whole recording on the calling thread and publishes every frame into the inbound ring (decode into
    /// claimed slots; a frame that fails to decode becomes a decode-error event with its file and line). Returns when
    /// the last frame is published; <see cref="Stop"/> then drains.
    /// </summary>
    /// <remarks>
    /// Damaged or cut gzip data (<see cref="DamagedRecordingException"/>) is not thrown: everything before the damage
    /// stays published, the damage is published as one <see cref="DecodeErrorCode.CorruptInput"/> or
    /// <see cref="DecodeErrorCode.TruncatedInput"/> event with its file and line, the rest of that file is skipped and the
    /// session goes on with its next file (so the books of symbols in other files are what a clean run gives; a symbol
    /// whose data continues in the next file meets a gap there, counted as usual). <see cref="SessionResult.DamagedInputs"/>
    /// lists the exceptions (each message one line naming the file, line and compressed offset). When a journal fails
    /// (<see cref="JournalFailure"/>) it stops publishing early, within 4,096 frames.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Not a recording session, or not started, or already published.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public void PublishRecording()
    {
        RequireState(State.Started, "publish");
        if (_recording is null)
        {
            throw new InvalidOperationException("This is a live session: it publishes with RunLive, not PublishRecording.");
        }

        if (_publisher is not null)
        {
            throw new InvalidOperationException("The recording was published already.");
        }

        var decoder = new BinanceFrameDecoder(Market, Symbols);
        var publisher = new FramePublisher(InboundRing, decoder);
        Volatile.Write(ref _publisher, publisher); // Progress() reads its frame count from a control thread
        var fileStarts = InputFileStarts(_recording.Files);
        long inputBase = 0;
        long inputInFile = 0;
        long windowStart = -1;
        long windowEnd = -1;
        var collectionsAtStart = 0;
        var collectionsAtEnd = 0;
        var steadyStateAfter = _options.SteadyStateAfter;
        var journal = _journal;
        var outboundJournal = _outboundJournal;
        var lockstep = _gateway?.Venue is Trading.PaperVenue && _options.Trading!.PaperLockstep;
        var sleepWhenFull = _options.CoreWaitStrategy == WaitStrategyKind.Batching; // throughput mode: see WaitForRoom
        using (var reader = _recording.OpenReader())
        {
            var fileIndex = 0;
            while (true)
            {
                // A failed journal ends the run early (checked every 4,096 frames: two volatile reads, off the hot path).
                if ((publisher.Frames & 4095) == 4095 && (journal?.Failure ?? outboundJournal?.Failure) is not null)
                {
                    break;
                }

                RecordedFrame frame;
                try
                {
                    if (!reader.TryRead(out frame))
                    {
                        break;
                    }
                }
                catch (DamagedRecordingException damage)
                {
                    // Damaged or cut gzip data: the rest of that file is lost, and the session goes on with the next
                    // file. The damage becomes one decode-error event at its file and line, so the core counts it, the
                    // journal keeps it and a replay reproduces it.
                    _damagedInputs.Add(damage);
                    fileIndex = FileIndexOf(damage.Path, fileIndex);
                    publisher.PublishError(damage.Code, MonotonicClock.NowNs, 0, fileIndex, damage.Line);
                    continue;
                }

                if (lockstep)
                {
                    WaitForGateway();
                }
                else if (sleepWhenFull && (publisher.Frames & RoomCheckFrames) == 0)
                {
                    WaitForRoom();
                }

                var receiveNs = MonotonicClock.NowNs;
                if (frame.FileIndex != fileIndex)
                {
                    inputBase = fileStarts[Math.Min(frame.FileIndex, fileStarts.Length - 1)];
                    inputInFile = 0;
                }

                // Progress (Progress()): the frame's bytes and its line end, one plain release store.
                inputInFile += frame.Frame.Length + 1;
                Volatile.Write(ref _inputBytesRead, inputBase + inputInFile);
                fileIndex = frame.FileIndex;
                publisher.Publish(frame.Frame, receiveNs, frame.LocalTimestampNs, frame.SymbolHint, frame.FileIndex, frame.Line, frame.LineFormatError);
                if (publisher.Frames == steadyStateAfter)
                {
                    windowStart = GC.GetAllocatedBytesForCurrentThread();
                    collectionsAtStart = GC.CollectionCount(0);
                }

                // The window closes at the last frame: reaching the end of a file (closing a gzip stream, opening the
                // next file of the session) allocates once per file and is not steady state.
                windowEnd = GC.GetAllocatedBytesForCurrentThread();
                collectionsAtEnd = GC.CollectionCount(0);
            }
        }

        _publishFinished = true;
        WakeBatchingConsumers(); // the last, incomplete batches need not wait for their bound
        _producerSteadyStateBytes = windowStart < 0 ? -1 : windowEnd - windowStart;
        _collectionsInProducerWindow = windowStart < 0 ? 0 : collectionsAtEnd - collectionsAtStart;
    }

    /// <summary>
    /// Throughput mode (a batching core, <see cref="EngineOptions.RecordingWaitStrategy"/>): once the inbound ring is
    /// nearly full (less than an eighth of it free), the producer sleeps in 1 ms steps until half of it is free, instead
    /// of spinning and yielding in the ring's claim beside consumers that need both CPUs (perf/ARCHIVE.md, "Whole run vs
    /// its slowest stage"). Checked once every <see cref="RoomCheckFrames"/> + 1 frames (the free room is read from the
    /// consumers' sequences). Stops waiting when the core or the journal thread has stopped, or after
    /// <see cref="EngineOptions.DrainTimeout"/> without room; the claim then waits as it always does.
    /// </summary>
    private void WaitForRoom()
    {
        var sequencer = InboundRing.Sequencer;
        var size = sequencer.BufferSize;
        if (sequencer.RemainingCapacity() >= size / 8)
        {
            return;
        }

        Volatile.Write(ref _fullRingSleeps, _fullRingSleeps + 1);
        var started = Stopwatch.GetTimestamp();
        while (sequencer.RemainingCapacity() < size / 2
            && _coreProcessor.IsRunning
            && (_journalProcessor is null || _journalProcessor.IsRunning)
            && Stopwatch.GetElapsedTime(started) < _options.DrainTimeout)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// Paper lockstep (<see cref="Trading.TradingOptions.PaperLockstep"/>): waits until the gateway (behind the core) has
    /// handled every inbound event, the reports it published included, and holds nothing; spins, then yields. Gives up
    /// waiting when the gateway thread has stopped (its fault is in the result).
    /// </summary>
    private void WaitForGateway()
    {
        var gateway = _gateway!;
        var spins = 0;
        while (gateway.IsRunning && (gateway.InboundSequence.Value < InboundRing.Cursor.Value || !gateway.IsIdle))
        {
            if (++spins < 64)
            {
                Thread.SpinWait(4);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>
    /// Runs the live feed until the venue ends the data (the simulator's "recording ended"), <paramref name="duration"/>
    /// passes, <paramref name="cancellation"/> is cancelled, or the feed fails (a connection gave up after
    /// <see cref="MarketDataClientOptions.MaxConsecutiveFailedAttempts"/> failed attempts in a row:
    /// <see cref="MarketDataClientCompletion.Failed"/>); then stops the client and waits for its threads.
    /// <see cref="SessionResult.Live"/> then tells which books are live and which are stale.
    /// </summary>
    /// <param name="duration">Stop after this long, or null for no limit.</param>
    /// <param name="cancellation">Stops the feed when cancelled (e.g. on Ctrl+C).</param>
    /// <returns>How the client finished.</returns>
    /// <exception cref="InvalidOperationException">Not a live session, or not started.</exception>
    public MarketDataClientCompletion RunLive(TimeSpan? duration, CancellationToken cancellation)
    {
        RequireState(State.Started, "run");
        var client = Client ?? throw new InvalidOperationException("This is a recording session: it publishes with PublishRecording, not RunLive.");
        using var stop = cancellation.Register(client.Stop);
        var clock = Stopwatch.StartNew();
        client.Start();
        while (!client.WaitForCompletion(TimeSpan.FromMilliseconds(200)))
        {
            if ((duration is { } limit && clock.Elapsed > limit) || JournalFailure is not null)
            {
                client.Stop(); // a failed journal ends a live run: nothing after it could be replayed
            }
        }

        _publishFinished = true;
        return client.Completion;
    }

    /// <summary>
    /// Once every producer has stopped: waits until the core and the journal have handled everything published, halts
    /// them, then drains and halts the outbound consumers, appends the run summary to the journal and flushes it.
    /// </summary>
    /// <returns>The session's result.</returns>
    /// <exception cref="InvalidOperationException">The session was not started, or was stopped before.</exception>
    /// <remarks>A journal I/O failure does not throw here: the run summary is not written (the journal stays
    /// incomplete, and verifies as such), and the failure is in <see cref="SessionResult.JournalFailure"/>.</remarks>
    /// <exception cref="TimeoutException">A consumer did not drain, or a thread did not stop, within
    /// <see cref="EngineOptions.DrainTimeout"/>; the message gives the cursor and each consumer's sequence.</exception>
    public SessionResult Stop()
    {
        RequireState(State.Started, "stop");
        var timeout = _options.DrainTimeout;
        if (_gateway is not null)
        {
            StopTrading(timeout);
        }

        var target = InboundRing.Cursor.Value;
        Drain(timeout, () => _coreProcessor.Sequence.Value >= target && (_journalProcessor is null || _journalProcessor.Sequence.Value >= target), () =>
            $"Consumers did not drain the inbound ring within {timeout.TotalSeconds:0} s: cursor {target}, core {_coreProcessor.Sequence.Value}, journal {_journalProcessor?.Sequence.Value.ToString(CultureInfo.InvariantCulture) ?? "-"}.");
        _coreProcessor.Halt();
        _journalProcessor?.Halt();
        if (!_coreProcessor.Join(timeout) || (_journalProcessor is not null && !_journalProcessor.Join(timeout)))
        {
            throw new TimeoutException($"The core or journal thread did not stop within {timeout.TotalSeconds:0} s of being halted.");
        }

        // The core has stopped: nothing more enters the outbound ring.
        WakeBatchingConsumers();
        var outboundTarget = OutboundRing.Cursor.Value;
        foreach (var (name, processor) in OutboundConsumers())
        {
            Drain(timeout, () => processor.Value >= outboundTarget, () =>
                $"The outbound consumer {name} did not drain within {timeout.TotalSeconds:0} s: cursor {outboundTarget}, consumer {processor.Value}.");
        }

        HaltOutbound(timeout);
        var journalFailure = FinishJournals();
        _elapsed.Stop();
        _state = State.Stopped;
        var publisher = _publisher;
        var client = Client;
        _result = new SessionResult
        {
            Options = _options,
            Market = Market,
            Files = _recording?.Files ?? [],
            Core = Core,
            Symbols = Symbols,
            Frames = publisher?.Frames ?? client?.Frames ?? 0,
            IgnoredFrames = publisher?.IgnoredFrames ?? client?.IgnoredFrames ?? 0,
            UnknownFieldsSkipped = publisher?.Decoder.UnknownFieldsSkipped ?? 0,
            PublishedSlots = publisher?.PublishedSlots ?? client?.PublishedSlots ?? 0,
            PublishLatency = publisher?.PublishLatency ?? client?.MergedPublishLatency() ?? new LatencyHistogram("frame received -> published"),
            ProducerSteadyStateBytes = _producerSteadyStateBytes,
            CollectionsInProducerWindow = _collectionsInProducerWindow,
            JournalSteadyStateBytes = _journalProcessor is not null ? _journalProcessor.Handler.SteadyStateAllocatedBytes
                : JournalOnCoreThread ? _coreProcessor.Handler.Journal.SteadyStateAllocatedBytes : -1,
            JournalOnCoreThread = JournalOnCoreThread,
            JournalLingerCount = _journalProcessor?.LingerCount ?? 0,
            FullRingSleeps = _fullRingSleeps,
            JournalRecords = _journal?.RecordCount ?? 0,
            JournalBytes = _journal?.BytesWritten ?? 0,
            OutboundJournalRecords = _outboundJournal?.RecordCount ?? 0,
            JournalFailure = journalFailure,
            JournalDirectory = _journal?.Directory,
            CoreFaults = _coreProcessor.FaultCount,
            JournalFaults = _journalProcessor?.FaultCount ?? _coreProcessor.Handler.JournalFaultCount,
            OutboundFaults = (_outboundJournalProcessor?.FaultCount ?? 0) + (_requestProcessor?.FaultCount ?? 0) + _handlerProcessors.Sum(p => p.FaultCount),
            Elapsed = _elapsed.Elapsed,
            DamagedInputs = [.. _damagedInputs],
            Live = client is null ? null : LiveFeedResult.From(client, Core),
            Trading = _gateway?.Statistics(Symbols),
        };
        return _result;
    }

    /// <summary>
    /// Lets the trading loop settle once the source has stopped: the core, the journal and the gateway have handled every
    /// inbound event (execution reports included), the gateway every command, and the venue has nothing in flight; each
    /// answer may cause more commands, so this repeats until nothing moves (bounded by <paramref name="timeout"/>). Then
    /// the gateway is halted: it stops its venue and publishes what it still holds.
    /// </summary>
    private void StopTrading(TimeSpan timeout)
    {
        var gateway = _gateway!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && gateway.IsRunning)
        {
            var cursor = InboundRing.Cursor.Value;
            var settled = _coreProcessor.Sequence.Value >= cursor
                && (_journalProcessor is null || _journalProcessor.Sequence.Value >= cursor)
                && gateway.InboundSequence.Value >= cursor
                && gateway.OutboundSequence.Value >= OutboundRing.Cursor.Value
                && gateway.IsIdle;
            if (settled)
            {
                // Twice, a little apart: a venue's answer may be on its way.
                Thread.Sleep(5);
                if (InboundRing.Cursor.Value == cursor && gateway.IsIdle)
                {
                    break;
                }
            }

            Thread.Sleep(1);
        }

        gateway.Halt();
        if (!gateway.Join(timeout + (_options.Trading?.VenueDrainTimeout ?? TimeSpan.Zero)))
        {
            throw new TimeoutException($"The order gateway did not stop within {timeout.TotalSeconds:0} s of being halted.");
        }
    }

    /// <summary>
    /// Halts any thread still running (best effort: 5 s each on an error path), stops the live client, then closes the
    /// journals. After <see cref="Stop"/> nothing runs any more.
    /// </summary>
    public void Dispose()
    {
        if (_state == State.Started)
        {
            _state = State.Stopped;
            Client?.Stop();
            _gateway?.Halt();
            _gateway?.Join(TimeSpan.FromSeconds(5));
            StopIfRunning(_coreProcessor);
            if (_journalProcessor is not null)
            {
                StopIfRunning(_journalProcessor);
            }

            HaltOutbound(TimeSpan.FromSeconds(5), throwOnTimeout: false);
        }

        DisposeResources();
    }

    /// <summary>The index of the damaged file: the first file at or after the one being read with that path.</summary>
    private int FileIndexOf(string? path, int current)
    {
        var files = _recording!.Files;
        for (var i = current; i < files.Count; i++)
        {
            if (string.Equals(files[i], path, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return current;
    }

    private IEnumerable<(string Name, Sequence Sequence)> OutboundConsumers()
    {
        if (_outboundJournalProcessor is not null)
        {
            yield return ("optiflow-outbound", _outboundJournalProcessor.Sequence);
        }

        for (var i = 0; i < _handlerProcessors.Count; i++)
        {
            yield return (string.Create(CultureInfo.InvariantCulture, $"optiflow-outbound-{i + 1}"), _handlerProcessors[i].Sequence);
        }

        if (_requestProcessor is not null)
        {
            yield return ("optiflow-requests", _requestProcessor.Sequence);
        }
    }

    /// <summary>
    /// Flushes the outbound journal, then appends the run summary to the inbound one and flushes it, unless a journal
    /// failed; returns the first failure. The summary goes last: it says the whole session is on disk.
    /// </summary>
    private JournalIOException? FinishJournals()
    {
        if (JournalFailure is null)
        {
            try
            {
                _outboundJournal?.Flush();
                if (_journal is not null)
                {
                    SessionRecords.Summary(Core, Symbols).AppendTo(_journal);
                    _journal.Flush();
                }
            }
            catch (JournalIOException)
            {
                // Recorded in the writer's Failure: read below.
            }
        }

        return JournalFailure;
    }

    private void HaltOutbound(TimeSpan timeout, bool throwOnTimeout = true)
    {
        _outboundJournalProcessor?.Halt();
        foreach (var processor in _handlerProcessors)
        {
            processor.Halt();
        }

        _requestProcessor?.Halt();
        var joined = (_outboundJournalProcessor?.Join(timeout) ?? true)
            & _handlerProcessors.All(p => p.Join(timeout))
            & (_requestProcessor?.Join(timeout) ?? true);
        if (!joined && throwOnTimeout)
        {
            throw new TimeoutException($"An outbound consumer thread did not stop within {timeout.TotalSeconds:0} s of being halted.");
        }
    }

    /// <summary>Keeps a batching strategy for <see cref="WakeBatchingConsumers"/>; returns <paramref name="strategy"/>.</summary>
    private IWaitStrategy Track(IWaitStrategy strategy)
    {
        if (strategy is BatchingWaitStrategy batching)
        {
            _batching.Add(batching);
        }

        return strategy;
    }

    /// <summary>End of a stream (the recording is published, or the core has stopped): every consumer parked for a batch
    /// takes what is there now rather than at its bound (~1 ms later).</summary>
    private void WakeBatchingConsumers()
    {
        foreach (var strategy in _batching)
        {
            strategy.WakeAll();
        }
    }

    private SequenceBarrier Barrier<T>(RingBuffer<T> ring, string thread, IWaitStrategy strategy)
        where T : unmanaged
    {
        _consumers.Add(new ConsumerWaitStrategy(thread, strategy.GetType().Name));
        return ring.Sequencer.NewBarrier(strategy);
    }

    private static void Drain(TimeSpan timeout, Func<bool> drained, Func<string> message)
    {
        var clock = Stopwatch.StartNew();
        while (!drained())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException(message());
            }

            Thread.Sleep(1);
        }
    }

    private static void StopIfRunning<THandler>(BatchEventProcessor<MarketEvent, THandler> processor)
        where THandler : struct, IEventHandler<MarketEvent>
    {
        if (processor.IsRunning)
        {
            processor.Halt();
            processor.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void DisposeResources()
    {
        Client?.Dispose();
        _gateway?.Dispose();
        _journalProcessor?.Dispose();
        _outboundJournalProcessor?.Dispose();
        _requestProcessor?.Dispose();
        foreach (var processor in _handlerProcessors)
        {
            processor.Dispose();
        }

        _coreProcessor.Dispose();
        _journal?.Dispose();
        _outboundJournal?.Dispose();
    }

    private void RequireState(State expected, string verb)
    {
        if (_state != expected)
        {
            throw new InvalidOperationException($"Cannot {verb} a session that is {_state.ToString().ToLowerInvariant()}.");
        }
    }
}
