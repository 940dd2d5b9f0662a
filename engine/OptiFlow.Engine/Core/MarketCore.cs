using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Core;

/// <summary>
/// The single-threaded core: consumes inbound <see cref="MarketEvent"/>s in sequence, keeps every symbol's L2 book
/// synced by Binance's procedure, and after every applied depth message evaluates OBI and the microprice; keeps the
/// ledger of its own orders and positions (<see cref="Orders"/>) from the commands its evaluators emit and the execution
/// reports the order gateway publishes back into the inbound ring.
/// </summary>
/// <remarks>
/// Book sync (ARCHITECTURE "Book sync"; Binance spot "How to manage a local order book correctly", USDⓈ-M
/// "How to manage a local order book correctly"): diffs are buffered until a snapshot; then buffered and live diffs
/// with futures <c>u &lt; lastUpdateId</c> (spot <c>u ≤ lastUpdateId</c>) are dropped, the first applied must satisfy
/// futures <c>U ≤ lastUpdateId ≤ u</c> (spot <c>U ≤ lastUpdateId + 1 ≤ u</c>), and each later one futures
/// <c>pu == previous u</c> (spot <c>U == previous u + 1</c>). A break is a gap: counted, the book goes back to
/// awaiting a snapshot and emits nothing until a later snapshot re-syncs it. A diff whose <c>u</c> is at or below the
/// last applied <c>u</c> of a live book (or the last buffered <c>u</c> of a book awaiting its snapshot) holds nothing
/// new: it is a duplicate delivery, counted (<see cref="SymbolState.DuplicateDiffs"/>) and dropped, not a gap; the book
/// stays where it was and nothing is requested. A snapshot reaching a live book whose
/// last applied <c>u</c> is at or past its <c>lastUpdateId</c> is stale for that book (it holds nothing the book lacks,
/// and the book has chained since it synced): it is counted (<see cref="SymbolState.SnapshotsBehindBook"/>) and not
/// loaded. A crossed book after an applied message is counted, never "fixed".
/// The same instance type runs live (inside a <see cref="Processing.BatchEventProcessor{T, THandler}"/> through
/// <see cref="CoreEventHandler"/>) and in replay (<see cref="OnEvent(ref MarketEvent, long)"/> called directly), so a replay cannot tell them
/// apart. Never reads a clock to decide anything: clocks are read only for the latency histograms, and only when
/// <see cref="MeasureLatency"/> is set. Single-threaded; allocation-free in steady state (a symbol's first event
/// allocates its state once).
/// <para><b>Execution reports</b> (<see cref="MarketEventKind.ExecutionReport"/> slots, read with
/// <see cref="ExecutionReportEvent.Read"/>): applied to <see cref="Orders"/> first, then handed to the one evaluator whose id
/// is in the client order id (<see cref="Evaluator.OnExecutionReport"/>). Whether the session trades (an order gateway
/// answers) is <see cref="OrderLedgerOptions.Trading"/>, given at construction; see there for what it changes.</para>
/// </remarks>
public sealed class MarketCore
{
    private const int MaxRecordedErrors = 64;

    private readonly SymbolState?[] _symbols;
    private SymbolState?[]? _prepared;
    private readonly List<SymbolState> _symbolList = [];
    private readonly long[] _eventsByKind = new long[16]; // MarketEventKind values (9 so far), with room to append
    private readonly long[] _errorsByCode = new long[32]; // DecodeErrorCode values (20 so far), with room to append
    private readonly DecodeErrorRecord[] _errors = new DecodeErrorRecord[MaxRecordedErrors];
    private readonly IOutboundSink? _outbound;
    private readonly EvaluatorSet? _evaluators;
    private readonly OrderLedger _orders;
    private int _recordedErrors;
    private uint _signalDigest;
    private uint _legacySignalDigest;
    private long _signalCount;
    private long _eventCount;
    private long _chainedStartNs;   // the previous event's end stamp, when it was not the last of its batch: this event's pick-up time
    private long _latencySampleMask; // LatencySampleInterval - 1: an event is stamped when (EventCount & mask) == 0
    private long _steadyStateStartBytes = -1;
    private long _steadyStateEndBytes = -1;
    private long _feedMinimumNs = long.MaxValue;

    /// <summary>Creates a core.</summary>
    /// <param name="symbolCapacity">Largest symbol id + 1 it will see (the symbol table's capacity).</param>
    /// <param name="outbound">Receives every outbound record (signals, snapshot requests) on the core thread: the
    /// outbound ring's publisher live, a journal appender in replay; null for none.</param>
    /// <param name="measureLatency">Whether to stamp pick-up and handling latencies (live runs; not replay).</param>
    /// <param name="evaluators">Evaluators called after the core handled each event they subscribe to (attached here,
    /// once; their records go to <paramref name="outbound"/>); null for none.</param>
    /// <param name="orders">The order ledger's sizes and whether the session trades (<see cref="OrderLedgerOptions.Trading"/>);
    /// null for the defaults (not trading).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="symbolCapacity"/> is not positive, or an
    /// <paramref name="orders"/> capacity is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="evaluators"/> is attached to another core already.</exception>
    public MarketCore(int symbolCapacity, IOutboundSink? outbound = null, bool measureLatency = false, EvaluatorSet? evaluators = null, OrderLedgerOptions? orders = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCapacity);
        _symbols = new SymbolState?[symbolCapacity];
        _outbound = outbound;
        MeasureLatency = measureLatency;
        _evaluators = evaluators;
        _orders = new OrderLedger(orders ?? new OrderLedgerOptions(), symbolCapacity, evaluators?.Evaluators.Count ?? 0);
        evaluators?.Attach(this, outbound);
    }

    /// <summary>The ledger of the core's own orders and positions: fed by every order command its evaluators emit and every
    /// execution report it handles. Core thread only while running; read it (or <see cref="OrdersSnapshot"/>) after the core stopped.</summary>
    public OrderLedger Orders => _orders;

    /// <summary>Whether the session trades (<see cref="OrderLedgerOptions.Trading"/>).</summary>
    public bool Trading => _orders.Trading;

    /// <summary>A read-only copy of <see cref="Orders"/> for the run report, each position marked at its symbol's last mid
    /// (<see cref="LastMid"/>). Call after the core stopped; allocates.</summary>
    /// <returns>The snapshot.</returns>
    public OrderLedgerSnapshot OrdersSnapshot() => _orders.Snapshot(LastMid);

    /// <summary>A symbol's last mid, 10⁻⁸ units, rounded down: of its book when both sides have a level, else of its last
    /// bookTicker; 0 when it has neither.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The mid, or 0.</returns>
    /// <remarks>Allocation-free. Core thread, or after the core stopped.</remarks>
    public long LastMid(int symbolId)
    {
        var state = StateOf(symbolId);
        if (state is null)
        {
            return 0;
        }

        var book = state.Book;
        if (book.Bids.Count > 0 && book.Asks.Count > 0)
        {
            return (long)(((Int128)book.Bids.PriceAt(0) + book.Asks.PriceAt(0)) / 2);
        }

        var ticker = state.LastBookTicker;
        return ticker.BidPrice > 0 && ticker.AskPrice > 0 ? (long)(((Int128)ticker.BidPrice + ticker.AskPrice) / 2) : 0;
    }

    /// <summary>
    /// Allocates the state (book, counters) of symbols 0 to <paramref name="count"/> − 1 now, on the calling thread,
    /// so that a symbol's first event later allocates nothing on the core thread (a spot universe of 1,300 symbols
    /// whose first bookTickers arrive over minutes). Call before the first event; <see cref="Symbols"/> still lists a
    /// symbol only from its first event, in order of first appearance, as without it.
    /// </summary>
    /// <param name="count">Symbols configured (ids below it), at most <see cref="SymbolCapacity"/>.</param>
    /// <param name="market">The market the states start with (each takes its first event's market when it arrives).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above the capacity.</exception>
    /// <exception cref="InvalidOperationException">An event was handled already.</exception>
    public void PrepareSymbols(int count, Market market)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _symbols.Length);
        if (_eventCount > 0)
        {
            throw new InvalidOperationException("Prepare the symbols before the first event.");
        }

        _prepared ??= new SymbolState?[_symbols.Length];
        _symbolList.Capacity = Math.Max(_symbolList.Capacity, count);
        for (var id = 0; id < count; id++)
        {
            _prepared[id] ??= new SymbolState(id, market);
        }
    }

    /// <summary>Largest symbol id + 1 the core accepts (the symbol table's capacity).</summary>
    public int SymbolCapacity => _symbols.Length;

    /// <summary>The evaluators the core calls, or null.</summary>
    public EvaluatorSet? Evaluators => _evaluators;

    /// <summary>Whether latencies are recorded.</summary>
    public bool MeasureLatency { get; }

    /// <summary>Published → picked up by the core, ns (stage 2). Recorded only when <see cref="MeasureLatency"/>.</summary>
    public LatencyHistogram PickupLatency { get; } = new("published -> core picked up");

    /// <summary>
    /// Frame received (<see cref="MarketEvent.ReceiveTimestampNs"/>: the receive loop's monotonic stamp when the frame was
    /// complete) → picked up by the core, ns: decode, claim, publish and the ring hop together. Recorded only when
    /// <see cref="MeasureLatency"/> and the event carries a receive stamp (snapshot slots published by the control
    /// thread carry their own stamp too).
    /// </summary>
    public LatencyHistogram ReceiveToCoreLatency { get; } = new("frame received -> core picked up");

    /// <summary>
    /// Feed latency, ns: Binance's event time <c>E</c> → this process's (or the recorder's) wall-clock receive time
    /// (<see cref="MarketEvent.LocalTimestampNs"/>), once per stream frame that carries both (depth messages, trades,
    /// aggTrades, mark prices, futures bookTickers; not spot bookTickers, which have no <c>E</c>, nor REST snapshots). It spans the exchange's publication,
    /// the network and the receiving host's clock offset: <c>E</c> has ms resolution and the two clocks are not
    /// synchronised, so a sample can be negative (the receiving clock behind the exchange's); negative samples are
    /// counted in <see cref="LatencyHistogram.NegativeCount"/> and recorded as 0, and <see cref="FeedLatencyMinimumNs"/>
    /// keeps the lowest raw value. Recorded only when <see cref="MeasureLatency"/>.
    /// </summary>
    public LatencyHistogram FeedLatency { get; } = new("exchange E -> received (feed)");

    /// <summary>The lowest raw feed-latency sample, ns (negative when the receiving clock was behind the exchange's);
    /// <see cref="long.MaxValue"/> before any.</summary>
    public long FeedLatencyMinimumNs => _feedMinimumNs;

    /// <summary>Core handling time per event, ns (stage 3). Recorded only when <see cref="MeasureLatency"/>.</summary>
    public LatencyHistogram HandlingLatency { get; } = new("core handling");

    /// <summary>
    /// With <see cref="MeasureLatency"/>: the core stamps one event in this many (the 1st, the (N+1)th, …, by
    /// <see cref="EventCount"/>) for <see cref="PickupLatency"/>, <see cref="ReceiveToCoreLatency"/> and
    /// <see cref="HandlingLatency"/>; <see cref="FeedLatency"/>, which reads no clock, records every event. A power of
    /// two, default 1 (every event). Each stamp reads the monotonic clock (~23–25 ns on the 2-vCPU VM, about as much as
    /// handling a level update), so a file run, whose pick-up times are queueing behind a full ring anyway, samples
    /// (<c>EngineOptions.ForRecording</c>); a live core stamps every event. Set before the first event.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a power of two.</exception>
    public int LatencySampleInterval
    {
        get => (int)_latencySampleMask + 1;
        init
        {
            if (!int.IsPow2(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "the latency sample interval must be a power of two (1 stamps every event)");
            }

            _latencySampleMask = value - 1;
        }
    }

    /// <summary>Events after which the steady-state allocation window opens (see <see cref="SteadyStateAllocatedBytes"/>).</summary>
    public long SteadyStateAfterEvents { get; init; } = 2000;

    /// <summary>Bytes the core thread allocated between event <see cref="SteadyStateAfterEvents"/> and shutdown;
    /// -1 if the window never opened. Valid after the core stopped.</summary>
    public long SteadyStateAllocatedBytes => _steadyStateStartBytes < 0 || _steadyStateEndBytes < 0 ? -1 : _steadyStateEndBytes - _steadyStateStartBytes;

    /// <summary>Events handled.</summary>
    public long EventCount => _eventCount;

    /// <summary>Signals emitted.</summary>
    public long SignalCount => _signalCount;

    /// <summary>CRC-32C over the bytes of every signal emitted, in order: equal digests mean equal signal streams.</summary>
    public uint SignalDigest => _signalDigest;

    /// <summary>CRC-32C over the first 96 bytes of every signal (the layout before <see cref="SignalEvent.Wobi10"/>): what a
    /// journal of format 2 to 4 recorded as its signal digest, so its replay can still be checked.</summary>
    public uint LegacySignalDigest => _legacySignalDigest;

    /// <summary>Symbols seen, in order of first appearance.</summary>
    public IReadOnlyList<SymbolState> Symbols => _symbolList;

    /// <summary>Decode-error events seen.</summary>
    public long DecodeErrors => _eventsByKind[(int)MarketEventKind.DecodeError];

    /// <summary>The first decode errors seen (at most 64), in order.</summary>
    public ReadOnlySpan<DecodeErrorRecord> RecordedErrors => _errors.AsSpan(0, _recordedErrors);

    /// <summary>Events handled of one kind (level slots count one each).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public long EventsOfKind(MarketEventKind kind) => _eventsByKind[(int)kind];

    /// <summary>Decode errors of one code.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The count.</returns>
    public long ErrorsOfCode(DecodeErrorCode code) => (int)code < _errorsByCode.Length ? _errorsByCode[(int)code] : 0;

    /// <summary>The state of a symbol, or null if the core has not seen it.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>Its state.</returns>
    public SymbolState? StateOf(int symbolId) => (uint)symbolId < (uint)_symbols.Length ? _symbols[symbolId] : null;

    /// <summary>A digest of every book (CRC-32C of each symbol's levels and last applied <c>u</c>, in symbol order).</summary>
    /// <returns>The digest.</returns>
    public uint BooksDigest()
    {
        uint crc = 0;
        foreach (var state in _symbolList)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, (uint)state.SymbolId);
            crc = System.Numerics.BitOperations.Crc32C(crc, (ulong)state.LastAppliedUpdateId);
            crc = System.Numerics.BitOperations.Crc32C(crc, state.Book.Digest());
        }

        return crc;
    }

    /// <summary>Handles one inbound event. Live: from <see cref="CoreEventHandler"/>; replay: directly.</summary>
    /// <param name="e">The event.</param>
    /// <param name="sequence">Its ring sequence.</param>
    /// <remarks>With <see cref="MeasureLatency"/> this reads the monotonic clock twice (pick-up and end).</remarks>
    public void OnEvent(ref MarketEvent e, long sequence) => OnEvent(ref e, sequence, endOfBatch: true);

    /// <summary>Handles one inbound event of a batch (what <see cref="CoreEventHandler"/> calls).</summary>
    /// <param name="e">The event.</param>
    /// <param name="sequence">Its ring sequence.</param>
    /// <param name="endOfBatch">Whether it is the last event of the batch the processor handed over.</param>
    /// <remarks>With <see cref="MeasureLatency"/>, one clock read per event inside a batch: the end stamp of an event
    /// that is not the last of its batch is the next event's pick-up stamp (the processor hands the next slot over at
    /// once, so the two differ only by the loop's few instructions); the first event of a batch reads the clock itself.
    /// Clock reads cost ~20–40 ns each on a VM, a large share of a 20–80 ns event (perf/ARCHIVE.md, "Stage by stage").
    /// With a <see cref="LatencySampleInterval"/> N above 1, only every N-th event is stamped, with two clock reads.</remarks>
    public void OnEvent(ref MarketEvent e, long sequence, bool endOfBatch)
    {
        if (MeasureLatency)
        {
            if ((_eventCount & _latencySampleMask) == 0)
            {
                var start = _chainedStartNs != 0 ? _chainedStartNs : MonotonicClock.NowNs;
                PickupLatency.Record(start - e.PublishTimestampNs);
                if (e.ReceiveTimestampNs != 0)
                {
                    ReceiveToCoreLatency.Record(start - e.ReceiveTimestampNs);
                }

                Handle(ref e, sequence);
                var end = MonotonicClock.NowNs;
                HandlingLatency.Record(end - start);
                _chainedStartNs = endOfBatch || _latencySampleMask != 0 ? 0 : end;
            }
            else
            {
                Handle(ref e, sequence);
            }

            if (e.EventTimeMs > 0 && e.LocalTimestampNs > 0 && IsStreamFrameStart(ref e))
            {
                RecordFeedLatency(e.LocalTimestampNs - (e.EventTimeMs * 1_000_000));
            }
        }
        else
        {
            Handle(ref e, sequence);
        }

        if (++_eventCount == SteadyStateAfterEvents)
        {
            _steadyStateStartBytes = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    /// <summary>The first slot of a stream frame (not of a REST snapshot, whose time is not a feed event).</summary>
    private static bool IsStreamFrameStart(ref MarketEvent e) => e.Kind switch
    {
        MarketEventKind.DepthLevel => (e.Flags & MarketEventFlags.BeginOfMessage) != 0,
        MarketEventKind.BookTicker or MarketEventKind.Trade or MarketEventKind.AggTrade or MarketEventKind.MarkPrice => true,
        _ => false,
    };

    private void RecordFeedLatency(long latencyNs)
    {
        FeedLatency.Record(latencyNs);
        if (latencyNs < _feedMinimumNs)
        {
            _feedMinimumNs = latencyNs;
        }
    }

    /// <summary>Closes the steady-state allocation window; call on the core thread when it stops.</summary>
    public void OnShutdown()
    {
        if (_steadyStateStartBytes >= 0)
        {
            _steadyStateEndBytes = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    private void Handle(ref MarketEvent e, long sequence)
    {
        var kind = e.Kind;
        if ((uint)kind < (uint)_eventsByKind.Length)
        {
            _eventsByKind[(int)kind]++;
        }

        switch (kind)
        {
            case MarketEventKind.DepthLevel:
                var depth = StateFor(ref e);
                if ((e.Flags & MarketEventFlags.BeginOfMessage) != 0)
                {
                    depth.DepthMessages++;
                    depth.EnsureDepthBuffers();
                }

                HandleDepth(ref e, sequence, depth);
                break;
            case MarketEventKind.SnapshotLevel:
                var snapshot = StateFor(ref e);
                snapshot.EnsureDepthBuffers();
                HandleSnapshot(ref e, snapshot);
                break;
            case MarketEventKind.BookTicker:
                var ticker = StateFor(ref e);
                ticker.BookTickers++;
                ticker.LastBookTicker = e;
                _evaluators?.OnBookTicker(ref e, sequence);
                break;
            case MarketEventKind.Trade:
            case MarketEventKind.AggTrade:
                StateFor(ref e).Trades++;
                _evaluators?.OnTrade(ref e, sequence);
                break;
            case MarketEventKind.DecodeError:
                RecordError(ref e, sequence);
                break;
            case MarketEventKind.ExecutionReport:
                ExecutionReportEvent.Read(in e, out var report);
                _orders.OnReport(in report, sequence);
                _evaluators?.OnExecutionReport(in report, ref e, sequence);
                break;
            default:
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private SymbolState StateFor(ref MarketEvent e)
    {
        var state = _symbols[e.SymbolId];
        return state ?? CreateState(ref e);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private SymbolState CreateState(ref MarketEvent e)
    {
        var state = _prepared?[e.SymbolId] ?? new SymbolState(e.SymbolId, e.Market);
        state.Market = e.Market;
        _symbols[e.SymbolId] = state;
        _symbolList.Add(state);
        return state;
    }

    private void RecordError(ref MarketEvent e, long sequence)
    {
        var code = (int)e.ErrorCode;
        if ((uint)code < (uint)_errorsByCode.Length)
        {
            _errorsByCode[code]++;
        }

        if (_recordedErrors < _errors.Length)
        {
            _errors[_recordedErrors++] = new DecodeErrorRecord(sequence, e.SourceFileIndex, e.SourceLine, e.ErrorCode, e.ErrorOffset);
        }
    }

    private void HandleSnapshot(ref MarketEvent e, SymbolState state)
    {
        var book = state.Book;
        if ((e.Flags & MarketEventFlags.BeginOfMessage) != 0)
        {
            // A live book whose last applied u is at or past this snapshot's lastUpdateId already holds everything
            // the snapshot holds, and every diff since its own sync chained: loading it would roll the book back to
            // lastUpdateId and wait for a bridging diff that was applied already (a resync requested after a reconnect
            // that lost nothing, answered after the stream moved on). It is counted and not loaded.
            state.SkippingSnapshot = state.SyncState == BookSyncState.Live && e.FinalUpdateId <= state.LastAppliedUpdateId;
            if (state.SkippingSnapshot)
            {
                state.SnapshotsBehindBook++;
                return;
            }

            book.Clear();
        }

        if (state.SkippingSnapshot)
        {
            return;
        }

        if ((e.Flags & MarketEventFlags.EmptyMessage) == 0)
        {
            book.Set(e.Side, e.Price, e.Quantity);
        }

        if ((e.Flags & MarketEventFlags.EndOfMessage) == 0)
        {
            return;
        }

        state.Snapshots++;
        state.SnapshotLastUpdateId = e.FinalUpdateId;
        state.SyncState = BookSyncState.AwaitingFirstDiff;
        state.Market = e.Market;

        // Replay what was buffered while awaiting the snapshot, through the same rules as live diffs. Copy it out
        // first: a gap during the replay buffers the rest anew.
        var count = state.PendingCount;
        if (count == 0)
        {
            return;
        }

        state.Pending.AsSpan(0, count).CopyTo(state.Replaying);
        state.PendingSequences.AsSpan(0, count).CopyTo(state.ReplayingSequences);
        state.PendingCount = 0;
        state.PendingMessageCount = 0;
        for (var i = 0; i < count; i++)
        {
            HandleDepth(ref state.Replaying[i], state.ReplayingSequences[i], state);
        }
    }

    private void HandleDepth(ref MarketEvent e, long sequence, SymbolState state)
    {
        var flags = e.Flags;
        if ((flags & MarketEventFlags.BeginOfMessage) != 0)
        {
            state.CurrentAction = Decide(ref e, sequence, state);
        }

        switch (state.CurrentAction)
        {
            case SymbolState.MessageAction.Apply:
                if ((flags & MarketEventFlags.EmptyMessage) == 0)
                {
                    state.Book.Set(e.Side, e.Price, e.Quantity);
                }

                if ((flags & MarketEventFlags.EndOfMessage) != 0)
                {
                    CompleteApplied(ref e, sequence, state);
                }

                break;
            case SymbolState.MessageAction.Buffer:
                Buffer(ref e, sequence, state);
                break;
            default:
                break;
        }
    }

    private SymbolState.MessageAction Decide(ref MarketEvent e, long sequence, SymbolState state)
    {
        var futures = e.Market == Market.Futures;
        switch (state.SyncState)
        {
            case BookSyncState.AwaitingFirstDiff:
            {
                var last = state.SnapshotLastUpdateId;
                if (futures ? e.FinalUpdateId < last : e.FinalUpdateId <= last)
                {
                    state.DroppedBeforeSnapshot++;
                    return SymbolState.MessageAction.Drop;
                }

                if (futures ? e.FirstUpdateId <= last : e.FirstUpdateId <= last + 1)
                {
                    return SymbolState.MessageAction.Apply;
                }

                return OnGap(ref e, sequence, state);
            }

            case BookSyncState.Live:
            {
                if (e.FinalUpdateId <= state.LastAppliedUpdateId)
                {
                    // Nothing in it is newer than the book: the same diff delivered again (two connections merged, a
                    // replayed stretch). Counted and dropped; the book stays live and nothing is requested.
                    state.DuplicateDiffs++;
                    return SymbolState.MessageAction.Drop;
                }

                var chains = futures
                    ? e.PreviousFinalUpdateId == state.LastAppliedUpdateId
                    : e.FirstUpdateId == state.LastAppliedUpdateId + 1;
                return chains ? SymbolState.MessageAction.Apply : OnGap(ref e, sequence, state);
            }

            default:
            {
                // Awaiting a snapshot: buffer, but a break among the buffered diffs already makes them useless. A
                // diff that ends at or before the last buffered one is a duplicate of what is buffered: dropped.
                if (state.PendingMessageCount > 0 && e.FinalUpdateId <= state.PendingLastFinalUpdateId)
                {
                    state.DuplicateDiffs++;
                    return SymbolState.MessageAction.Drop;
                }

                if (state.PendingMessageCount > 0 && !Chains(ref e, state.PendingLastFinalUpdateId, futures))
                {
                    state.Gaps++;
                    state.PendingCount = 0;
                    state.PendingMessageCount = 0;
                }

                return StartBuffering(ref e, state);
            }
        }
    }

    private static bool Chains(ref MarketEvent e, long previousFinalUpdateId, bool futures) =>
        futures ? e.PreviousFinalUpdateId == previousFinalUpdateId : e.FirstUpdateId == previousFinalUpdateId + 1;

    private SymbolState.MessageAction OnGap(ref MarketEvent e, long sequence, SymbolState state)
    {
        // The book leaves sync: ask for a fresh snapshot with a record on the outbound ring (journaled and replayed
        // like a signal; the live client's request consumer serves it, a file run or a replay has nobody to serve it).
        var request = new SnapshotRequest
        {
            CausingSequence = sequence,
            FirstBufferedUpdateId = e.FirstUpdateId,
            LastAppliedUpdateId = state.SyncState == BookSyncState.Live ? state.LastAppliedUpdateId : 0,
            EventTimeMs = e.EventTimeMs,
            SymbolId = state.SymbolId,
            Reason = state.SyncState == BookSyncState.Live ? SnapshotRequestReason.ChainBroken : SnapshotRequestReason.SnapshotDidNotBridge,
        };
        state.Gaps++;
        state.SyncState = BookSyncState.AwaitingSnapshot;
        state.PendingCount = 0;
        state.PendingMessageCount = 0;
        state.SnapshotRequests++;
        _outbound?.OnSnapshotRequest(in request);
        return StartBuffering(ref e, state);
    }

    private static SymbolState.MessageAction StartBuffering(ref MarketEvent e, SymbolState state)
    {
        state.BufferedMessages++;
        if (state.PendingCount + Math.Max(1, e.LevelCount) > SymbolState.PendingCapacity)
        {
            // The buffer cannot hold this message: everything buffered is discarded (counted), and the message is
            // buffered alone if it fits, else dropped whole (counted).
            state.PendingOverflowMessages += state.PendingMessageCount;
            state.PendingCount = 0;
            state.PendingMessageCount = 0;
            if (Math.Max(1, e.LevelCount) > SymbolState.PendingCapacity)
            {
                state.PendingOverflowMessages++;
                return SymbolState.MessageAction.Drop;
            }
        }

        state.PendingMessageCount++;
        state.PendingLastFinalUpdateId = e.FinalUpdateId;
        return SymbolState.MessageAction.Buffer;
    }

    private static void Buffer(ref MarketEvent e, long sequence, SymbolState state)
    {
        var index = state.PendingCount++;
        state.Pending[index] = e;
        state.PendingSequences[index] = sequence;
    }

    private void CompleteApplied(ref MarketEvent e, long sequence, SymbolState state)
    {
        state.SyncState = BookSyncState.Live;
        state.Applied++;
        state.LastAppliedUpdateId = e.FinalUpdateId;
        state.LastAppliedEventTimeMs = e.EventTimeMs;
        var book = state.Book;
        if (book.IsCrossed)
        {
            state.CrossedBooks++;
            if (state.FirstCrossedSequence < 0)
            {
                state.FirstCrossedSequence = sequence;
            }
        }

        var signal = new SignalEvent
        {
            Sequence = sequence,
            SymbolId = state.SymbolId,
            Applied = state.Applied,
            FinalUpdateId = e.FinalUpdateId,
            EventTimeMs = e.EventTimeMs,
        };
        ImbalanceEvaluator.Evaluate(book, ref signal);
        _signalCount++;
        _signalDigest = Digest(_signalDigest, ref signal);
        _legacySignalDigest = Digest(_legacySignalDigest, ref signal, LegacySignalWords);
        _outbound?.OnSignal(in signal, book);
        _evaluators?.OnDepthApplied(ref e, sequence, state, ref signal);
    }

    /// <summary>Words of a signal before <see cref="SignalEvent.Wobi10"/> (96 bytes).</summary>
    private const int LegacySignalWords = 12;

    private static uint Digest(uint crc, ref SignalEvent signal, int wordCount = int.MaxValue)
    {
        var bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref signal, 1));
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        words = words[..Math.Min(wordCount, words.Length)];
        foreach (var word in words)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, word);
        }

        return crc;
    }
}
