using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// Live Binance market data into the inbound ring: combined streams over the runtime's WebSocket on the client's own
/// socket transport (<see cref="WebSocketConnector"/>; one receive thread per connection) and REST depth snapshots on a control thread, published into the ring so the
/// core syncs books from them exactly as from recorded snapshots.
/// </summary>
/// <remarks>
/// <para>Book sync over the network (binance.md §3.1, §3.2): at every connect and reconnect, and at every gap a receive
/// thread sees, the symbol's resync is requested; the control thread fetches the snapshot (<see cref="DepthSnapshotClient"/>:
/// weight header, 429/418 <c>Retry-After</c>) while the core buffers the diffs, discards a snapshot older than the first
/// buffered diff (spot step 3) and publishes the accepted one as <see cref="MarketEventKind.SnapshotLevel"/> events.
/// Duplicate and out-of-order diffs are counted and not published; gaps are published (the core counts them too).</para>
/// <para>Connections: spot and the simulator use <c>/stream?streams=…</c>; USDⓈ-M uses <c>/public/stream</c> for bookTicker
/// and depth and <c>/market/stream</c> for the rest `[F-SPLIT]`. Server pings are answered with their payload; a
/// connection silent for <see cref="MarketDataClientOptions.ReceiveTimeout"/> is replaced; a connection is renewed before
/// 24 h; after a drop, reconnects back off exponentially with jitter within the attempt limit (300 per 5 min,
/// binance.md §2.1); a <c>serverShutdown</c> event reconnects at once. A normal close saying "recording ended" (the
/// simulator) finishes the client when <see cref="MarketDataClientOptions.FinishOnRecordingEnd"/> is set.</para>
/// <para>Failure: every failed attempt and lost connection is logged with its cause on the control thread
/// (<see cref="MarketDataClientOptions.Logger"/>); after <see cref="MarketDataClientOptions.MaxConsecutiveFailedAttempts"/>
/// failed attempts in a row on one connection the client stops every connection and finishes
/// <see cref="MarketDataClientCompletion.Failed"/>, <see cref="Failure"/> naming the endpoint and the last OS or protocol
/// error. A message over <see cref="MarketDataClientOptions.MaxMessageSize"/> closes its connection with 1009 and is
/// counted (<see cref="OversizedMessages"/>). <see cref="FeedStatusOf"/> tells, per symbol, whether the feed was up,
/// silent or down, for a report to combine with the core's sync state.</para>
/// <para>Threading: the ring must be <see cref="ProducerType.Multi"/> (receive threads and the control thread publish).
/// Symbols are interned at configuration, before the client: it takes a frozen table holding every subscribed symbol and
/// only looks up; a frame of a symbol not in the table is published as a <see cref="DecodeErrorCode.UnknownSymbol"/> error.
/// Receive threads allocate nothing per message in steady state; the control thread allocates per snapshot.
/// Counters may be read while running (64-bit atomic reads), consistently after <see cref="WaitForCompletion"/>.</para>
/// </remarks>
/// <example><code>
/// var ring = new RingBuffer&lt;MarketEvent&gt;(1 &lt;&lt; 16, new YieldingWaitStrategy(), ProducerType.Multi);
/// using var client = new MarketDataClient(options, ring, symbols);
/// client.Start();
/// client.WaitForCompletion(TimeSpan.FromMinutes(1));
/// </code></example>
public sealed class MarketDataClient : IDisposable
{
    private readonly MarketDataClientOptions _options;
    private readonly RingBuffer<MarketEvent> _ring;
    private readonly SymbolTable _symbols;
    private readonly List<MarketDataConnection> _connections = [];
    private readonly SymbolFeedCounters?[] _counters;
    private readonly List<SymbolFeedCounters> _counterList = [];
    private readonly int[] _resyncRequested;
    private readonly long[] _resyncFirstUpdateId;
    private readonly long[] _unsyncedSinceNs;
    private readonly int[] _awaitingFirstDiff;
    private readonly long[] _verifySnapshot;
    private readonly ManualResetEventSlim _controlSignal = new(false);
    private long _coreResyncRequests;
    private readonly int[] _coreRequested;
    private readonly long[] _coreRequestFirstUpdateId;
    private readonly long[] _lastPublishedSnapshot;
    private readonly HttpClient _http;
    private readonly DepthSnapshotClient _snapshots;
    private readonly FramePublisher _controlPublisher;
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _control;
    private readonly ConcurrentQueue<ConnectionEvent> _events = new();
    private readonly ILogger? _logger;
    private MarketDataConnection? _gaveUp;
    private long _endedAtNs;
    private volatile bool _stopRequested;
    private volatile bool _finished;

    /// <summary>Creates a client; nothing connects until <see cref="Start"/>.</summary>
    /// <param name="options">What to subscribe to and where.</param>
    /// <param name="ring">The inbound ring; <see cref="ProducerType.Multi"/>.</param>
    /// <param name="symbols">The session's symbol table, frozen, holding every symbol of the options; only looked up.</param>
    /// <exception cref="ArgumentException">When the ring is single-producer, no symbol or stream is given, the table is not
    /// frozen, or a symbol of the options is not in it.</exception>
    public MarketDataClient(MarketDataClientOptions options, RingBuffer<MarketEvent> ring, SymbolTable symbols)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(symbols);
        if (ring.ProducerType != ProducerType.Multi)
        {
            throw new ArgumentException("The live client publishes from several threads: the ring must be ProducerType.Multi.", nameof(ring));
        }

        if (options.Symbols.Count == 0 || options.Streams.Count == 0)
        {
            throw new ArgumentException("Give at least one symbol and one stream.", nameof(options));
        }

        if (options.MaxConsecutiveFailedAttempts < 0)
        {
            throw new ArgumentException($"MaxConsecutiveFailedAttempts must be 0 (never give up) or more, not {options.MaxConsecutiveFailedAttempts}.", nameof(options));
        }

        if (options.MaxMessageSize < 4096)
        {
            throw new ArgumentException($"MaxMessageSize must be at least 4,096 bytes, not {options.MaxMessageSize}.", nameof(options));
        }

        _options = options;
        _ring = ring;
        _symbols = symbols;
        _counters = new SymbolFeedCounters?[symbols.Capacity];
        _resyncRequested = new int[symbols.Capacity];
        _resyncFirstUpdateId = new long[symbols.Capacity];
        _unsyncedSinceNs = new long[symbols.Capacity];
        _awaitingFirstDiff = new int[symbols.Capacity];
        _verifySnapshot = new long[symbols.Capacity];
        _coreRequested = new int[symbols.Capacity];
        _coreRequestFirstUpdateId = new long[symbols.Capacity];
        _lastPublishedSnapshot = new long[symbols.Capacity];
        SymbolTable.ThrowIfNotFrozen(symbols);
        foreach (var symbol in options.Symbols)
        {
            var name = symbol.Trim().ToUpperInvariant();
            if (!symbols.TryGet(Encoding.ASCII.GetBytes(name), out var id))
            {
                throw new ArgumentException($"Symbol '{name}' of the options is not in the symbol table: intern every subscribed symbol at configuration, then freeze the table; the client only looks symbols up.", nameof(symbols));
            }

            if (_counters[id] is null)
            {
                var counters = new SymbolFeedCounters(id, symbols.NameOf(id));
                _counters[id] = counters;
                _counterList.Add(counters);
            }
        }

        _http = new HttpClient(
            new SocketsHttpHandler
            {
                SslOptions = new System.Net.Security.SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) => options.AcceptServerCertificate(certificate, errors),
                },
            })
        { Timeout = options.SnapshotTimeout, MaxResponseContentBufferSize = options.MaxMessageSize };
        _logger = options.Logger;
        _snapshots = new DepthSnapshotClient(_http, options.EffectiveRestBase, options.DepthPath, options.TimeProvider);
        _controlPublisher = new FramePublisher(ring, new BinanceFrameDecoder(options.Market, symbols));
        BuildConnections();
    }

    /// <summary>Per-symbol counters, in the order the symbols were given.</summary>
    public IReadOnlyList<SymbolFeedCounters> Counters => _counterList;

    /// <summary>The snapshot client (weight used, 429/418 counts, back-off).</summary>
    public DepthSnapshotClient Snapshots => _snapshots;

    /// <summary>The stream URLs, one per connection.</summary>
    public IReadOnlyList<Uri> StreamUris => [.. _connections.Select(c => c.Uri)];

    /// <summary>Why the client stopped, or <see cref="MarketDataClientCompletion.Running"/>.</summary>
    public MarketDataClientCompletion Completion { get; private set; }

    /// <summary>Successful connects (first connects and reconnects) over all connections.</summary>
    public long Connects => _connections.Sum(c => c.Connects);

    /// <summary>Connections lost without a close frame (reset, refused mid-stream).</summary>
    public long Drops => _connections.Sum(c => c.Drops);

    /// <summary>Connections replaced because nothing arrived for the receive timeout.</summary>
    public long Stalls => _connections.Sum(c => c.Stalls);

    /// <summary>Connections closed by the server (other than the end of a recording).</summary>
    public long Closes => _connections.Sum(c => c.Closes);

    /// <summary>Connections renewed before Binance's 24-hour cut (<see cref="MarketDataClientOptions.MaxConnectionAge"/>,
    /// measured on <see cref="MarketDataClientOptions.TimeProvider"/>).</summary>
    public long Renewals => _connections.Sum(c => c.Renewals);

    /// <summary><c>serverShutdown</c> notices received.</summary>
    public long ServerShutdowns => _connections.Sum(c => c.ServerShutdowns);

    /// <summary>Connection attempts that failed: not connected (refused, DNS, TLS, timeout, not a WebSocket), or ended
    /// before delivering one decodable frame.</summary>
    public long FailedConnectAttempts => _connections.Sum(c => c.FailedAttempts);

    /// <summary>Messages over <see cref="MarketDataClientOptions.MaxMessageSize"/> (each closed its connection with 1009).</summary>
    public long OversizedMessages => _connections.Sum(c => c.OversizedMessages);

    /// <summary>Connections ended by a WebSocket protocol error.</summary>
    public long ProtocolErrors => _connections.Sum(c => c.ProtocolErrors);

    /// <summary>The stream endpoints without their queries, one per connection (<c>ws://host:port/stream</c>).</summary>
    public IReadOnlyList<Uri> Endpoints => [.. _connections.Select(c => c.Endpoint)];

    /// <summary>When <see cref="Completion"/> is <see cref="MarketDataClientCompletion.Failed"/>: the failure that made a
    /// connection give up (its endpoint, the attempts in a row, the last OS or protocol error); otherwise null.</summary>
    public ConnectionFailure? Failure => Volatile.Read(ref _gaveUp)?.LastFailure;

    /// <summary>The latest failed attempt or lost connection of any connection, or null when none failed.</summary>
    public ConnectionFailure? LastFailure
    {
        get
        {
            ConnectionFailure? last = null;
            foreach (var connection in _connections)
            {
                if (connection.LastFailure is { } failure && (last is null || failure.AtUtc >= last.AtUtc))
                {
                    last = failure;
                }
            }

            return last;
        }
    }

    /// <summary>
    /// Where a symbol's feed stands, at the moment the client stopped (or now, while it runs): down when a connection
    /// carrying it was down (reconnecting or given up), never received, ended by the venue, silent for
    /// <see cref="MarketDataClientOptions.StaleAfter"/>, or live.
    /// </summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The status; <see cref="SymbolFeedState.NeverReceived"/> for a symbol no connection carries.</returns>
    /// <remarks>Thread-safe (reads each connection's own fields); allocates the result.</remarks>
    public SymbolFeedStatus FeedStatusOf(int symbolId)
    {
        var at = Interlocked.Read(ref _endedAtNs);
        if (at == 0)
        {
            at = MonotonicClock.NowNs;
        }

        long lastFrame = 0;
        long downSince = 0;
        var down = false;
        var allEnded = true;
        ConnectionFailure? failure = null;
        ConnectionFailure? downFailure = null;
        foreach (var connection in _connections)
        {
            if (!connection.SymbolIds.Contains(symbolId))
            {
                continue;
            }

            lastFrame = Math.Max(lastFrame, connection.LastFrameNs(symbolId));
            if (connection.LastFailure is { } f && (failure is null || f.AtUtc >= failure.AtUtc))
            {
                failure = f;
            }

            if (connection.HasEnded)
            {
                continue;
            }

            allEnded = false;
            if (!connection.IsUp)
            {
                var since = connection.DownSinceNs;
                if (!down || since < downSince)
                {
                    downSince = since;
                    downFailure = connection.LastFailure;
                }

                down = true;
            }
        }

        TimeSpan? ago = lastFrame == 0 ? null : TimeSpan.FromTicks(Math.Max(0, at - lastFrame) / 100);
        if (down)
        {
            return new SymbolFeedStatus(SymbolFeedState.Down, ago, TimeSpan.FromTicks(Math.Max(0, at - downSince) / 100), downFailure ?? failure);
        }

        if (lastFrame == 0)
        {
            return new SymbolFeedStatus(SymbolFeedState.NeverReceived, null, null, failure);
        }

        if (allEnded)
        {
            return new SymbolFeedStatus(SymbolFeedState.Ended, ago, null, failure);
        }

        return new SymbolFeedStatus(ago > _options.StaleAfter ? SymbolFeedState.Silent : SymbolFeedState.Live, ago, null, failure);
    }

    /// <summary>Frames received and decoded (all connections).</summary>
    public long Frames => _connections.Sum(c => c.Publisher.Frames);

    /// <summary>Frames that failed to decode and were published as decode-error events.</summary>
    public long DecodeErrors => _connections.Sum(c => c.Publisher.ErrorFrames);

    /// <summary>Frames of streams not decoded.</summary>
    public long IgnoredFrames => _connections.Sum(c => c.Publisher.IgnoredFrames);

    /// <summary>Slots published by the receive threads.</summary>
    public long PublishedSlots => _connections.Sum(c => c.Publisher.PublishedSlots);

    /// <summary>Largest steady-state allocation of any receive thread (bytes; -1 when no window opened).</summary>
    public long ReceiveSteadyStateAllocatedBytes => _connections.Max(c => c.SteadyStateAllocatedBytes);

    /// <summary>Garbage collections inside the receive threads' steady-state windows (the byte count is exact only when 0).</summary>
    public int ReceiveSteadyStateCollections => _connections.Max(c => c.SteadyStateCollections);

    /// <summary>Frames received inside the receive threads' steady-state windows.</summary>
    public long ReceiveSteadyStateFrames => _connections.Sum(c => c.SteadyStateFrames);

    /// <summary>
    /// Of the receive threads' steady-state allocation, the bytes allocated inside <c>WebSocket.ReceiveAsync</c>
    /// (summed over the connections); the rest is the loop's own (decode, chain check, publish). Both expected 0.
    /// </summary>
    /// <remarks>
    /// Why the client opens its sockets itself (<see cref="WebSocketConnector"/>, <see cref="SocketTransportStream"/>):
    /// through <see cref="System.Net.WebSockets.ClientWebSocket"/>, a receive that had to wait for data allocated 584 B
    /// on a part of such receives. The runtime's WebSocket and the HTTP/1.1 connection stream under it read
    /// asynchronously with pooled state machines; the inner one (<c>ManagedWebSocket.EnsureBufferContainsAsync</c>) is
    /// completed, and returned to the pool, on the I/O thread that finished the socket read, so the receive thread's
    /// next rent missed unless a box was left in its core's slot. Measured on the 2-core CI box with the simulator paced
    /// at 20 × the recorded timing (frames arriving one by one, as from Binance): 250,536 to 425,152 B (429 to 728 ×
    /// 584 B) over 11,284 frames of which 2,049 to 2,827 waited; 280 B per miss over a plain <c>NetworkStream</c>. On
    /// <see cref="SocketTransportStream"/> every read completes synchronously (the thread waits in <c>poll</c>), the
    /// WebSocket never suspends, and the same run allocates 0 B.
    /// </remarks>
    public long ReceiveSteadyStateReceiveCallBytes => _connections.Sum(c => c.SteadyStateReceiveCallBytes);

    /// <summary>The receive threads' own steady-state allocation (everything outside <c>ReceiveAsync</c>): the largest
    /// over the connections, -1 when no window opened. Expected 0.</summary>
    public long ReceiveSteadyStateOwnAllocatedBytes =>
        _connections.Max(c => c.SteadyStateAllocatedBytes < 0 ? -1 : c.SteadyStateAllocatedBytes - c.SteadyStateReceiveCallBytes);

    /// <summary>Receives inside the steady-state windows that found no data and waited for it.</summary>
    public long ReceiveSteadyStateWaitingReceives => _connections.Sum(c => c.SteadyStateWaitingReceives);

    /// <summary>Each receive thread's own frame received → published histogram (ns), one per connection.</summary>
    /// <remarks>The live histograms, not copies: read them from another thread only through
    /// <see cref="LatencyHistogram.AddCountsTo"/> while the client runs. Allocates the list.</remarks>
    public IReadOnlyList<LatencyHistogram> ConnectionPublishLatencies => [.. _connections.Select(c => c.Publisher.PublishLatency)];

    /// <summary>Frame received → published, ns, merged over the receive threads (read after completion).</summary>
    /// <returns>A new histogram (allocates).</returns>
    public LatencyHistogram MergedPublishLatency()
    {
        var merged = new LatencyHistogram("frame received -> published");
        foreach (var connection in _connections)
        {
            merged.Add(connection.Publisher.PublishLatency);
        }

        return merged;
    }

    /// <summary>Starts the control thread and one receive thread per connection.</summary>
    public void Start()
    {
        _control = new Thread(RunControl) { IsBackground = true, Name = "optiflow-control" };
        _control.Start();
        for (var i = 0; i < _connections.Count; i++)
        {
            _connections[i].Start(string.Create(CultureInfo.InvariantCulture, $"optiflow-ws-{i}"));
        }
    }

    /// <summary>Waits until every connection has finished (recording ended, or <see cref="Stop"/>).</summary>
    /// <param name="timeout">Bound on the wait.</param>
    /// <returns>Whether the client finished in time.</returns>
    public bool WaitForCompletion(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var connection in _connections)
        {
            var left = timeout - deadline.Elapsed;
            if (left < TimeSpan.Zero || !connection.Join(left))
            {
                return false;
            }
        }

        _finished = true;
        Interlocked.CompareExchange(ref _endedAtNs, MonotonicClock.NowNs, 0);
        _controlSignal.Set();
        var rest = timeout - deadline.Elapsed;
        if (_control is not null && !_control.Join(rest > TimeSpan.FromSeconds(1) ? rest : TimeSpan.FromSeconds(1)))
        {
            _stopping.Cancel();
            _control.Join(TimeSpan.FromSeconds(5));
        }

        // Whatever the control thread had not written yet (it has stopped, or is about to).
        WriteLog();
        Completion = Volatile.Read(ref _gaveUp) is not null ? MarketDataClientCompletion.Failed
            : !_stopRequested && _connections.TrueForAll(c => c.Final == MarketDataConnection.Outcome.RecordingEnded) ? MarketDataClientCompletion.RecordingEnded
            : MarketDataClientCompletion.Stopped;
        return true;
    }

    /// <summary>Stops every connection and the control thread (the caller then waits with <see cref="WaitForCompletion"/>).</summary>
    public void Stop()
    {
        Interlocked.CompareExchange(ref _endedAtNs, MonotonicClock.NowNs, 0);
        _stopRequested = true;
        foreach (var connection in _connections)
        {
            connection.Stop();
        }

        _finished = true;
        _stopping.Cancel();
        _controlSignal.Set();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_finished)
        {
            Stop();
            WaitForCompletion(TimeSpan.FromSeconds(10));
        }

        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _http.Dispose();
        _stopping.Dispose();
        _controlSignal.Dispose();
    }

    /// <summary>A connection's event to log (its receive thread, between connections: cold). Queued for the control
    /// thread, which formats and writes it; dropped at once when no logger is set.</summary>
    internal void Report(ConnectionEvent connectionEvent)
    {
        if (_logger is null)
        {
            return;
        }

        _events.Enqueue(connectionEvent);
        _controlSignal.Set();
    }

    /// <summary>A connection gave up (its receive thread): the client fails, stopping the other connections (their
    /// receive threads end within one poll slice) without counting it as a <see cref="Stop"/>.</summary>
    internal void OnConnectionGaveUp(MarketDataConnection connection)
    {
        if (Interlocked.CompareExchange(ref _gaveUp, connection, null) is not null)
        {
            return;
        }

        Interlocked.CompareExchange(ref _endedAtNs, MonotonicClock.NowNs, 0);
        foreach (var other in _connections)
        {
            if (!ReferenceEquals(other, connection))
            {
                other.Stop();
            }
        }

        _controlSignal.Set();
    }

    /// <summary>Writes the queued connection events (control thread, or the caller of <see cref="WaitForCompletion"/> at
    /// the end). Cold: formats and allocates.</summary>
    private void WriteLog()
    {
        var logger = _logger;
        if (logger is null)
        {
            return;
        }

        while (_events.TryDequeue(out var e))
        {
            var cause = e.Failure?.Cause ?? "";
            switch (e.Kind)
            {
                case ConnectionEvent.EventKind.AttemptFailed:
                    var attempt = e.Limit > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"{e.Failure!.Attempt} of {e.Limit}")
                        : e.Failure!.Attempt.ToString(CultureInfo.InvariantCulture);
                    MarketDataLog.AttemptFailed(logger, e.Endpoint, attempt, cause, Seconds(e.RetryIn));
                    break;
                case ConnectionEvent.EventKind.GaveUp:
                    MarketDataLog.GivingUp(logger, e.Endpoint, e.Failure!.Attempt, cause, e.Limit);
                    break;
                case ConnectionEvent.EventKind.Lost:
                    MarketDataLog.ConnectionLost(logger, e.Endpoint, e.Count, cause, Seconds(e.RetryIn));
                    break;
                case ConnectionEvent.EventKind.Connected:
                    MarketDataLog.Connected(logger, e.Endpoint, e.Count);
                    break;
                case ConnectionEvent.EventKind.ServerShutdown:
                    MarketDataLog.Renewing(logger, e.Endpoint, "serverShutdown notice");
                    break;
                case ConnectionEvent.EventKind.Renewal:
                    MarketDataLog.Renewing(logger, e.Endpoint, "renewing the connection before Binance's 24 h cut (MaxConnectionAge)");
                    break;
            }
        }
    }

    private static string Seconds(TimeSpan delay) => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0.0#} s");

    /// <summary>Requests the resync of one symbol (from a receive thread; allocation-free).</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <param name="firstUpdateId"><c>U</c> of the first diff the core will buffer, or 0 when unknown.</param>
    internal void RequestResync(int symbolId, long firstUpdateId)
    {
        if ((uint)symbolId >= (uint)_resyncRequested.Length)
        {
            return;
        }

        Volatile.Write(ref _resyncFirstUpdateId[symbolId], firstUpdateId);
        if (Interlocked.Read(ref _unsyncedSinceNs[symbolId]) == 0)
        {
            Interlocked.Exchange(ref _unsyncedSinceNs[symbolId], MonotonicClock.NowNs);
        }

        Interlocked.Exchange(ref _resyncRequested[symbolId], 1);
        _controlSignal.Set();
    }

    /// <summary>
    /// The core saw a book leave sync (a gap the receive threads may not have seen, e.g. a snapshot that no longer
    /// bridges after the core's buffer filled) and said so with a <see cref="SnapshotRequest"/> record on the outbound
    /// ring: resync it like any other request. Called by <see cref="SnapshotRequestHandler"/>, the client's consumer of
    /// the outbound ring; never by the core itself.
    /// </summary>
    /// <param name="request">The core's request (its symbol and the <c>U</c> of the first diff it now buffers).</param>
    /// <remarks>Thread-safe (one request consumer thread); allocation-free; requests coalesce with the receive
    /// threads' own; a symbol id the client does not serve is ignored (counted nowhere: the core only asks for
    /// symbols it has books for, all of which a live session subscribes).</remarks>
    public void OnSnapshotRequest(in SnapshotRequest request)
    {
        var symbolId = request.SymbolId;
        var firstBufferedUpdateId = request.FirstBufferedUpdateId;
        if ((uint)symbolId >= (uint)_coreRequested.Length)
        {
            return;
        }

        Interlocked.Increment(ref _coreResyncRequests);
        Volatile.Write(ref _coreRequestFirstUpdateId[symbolId], firstBufferedUpdateId);
        Interlocked.Exchange(ref _coreRequested[symbolId], 1);
        _controlSignal.Set();
    }

    /// <summary>Resyncs the core asked for (<see cref="OnSnapshotRequest"/>), over all symbols; see <see cref="SymbolFeedCounters.CoreRequestsCoalesced"/> for those a snapshot already on its way answered.</summary>
    public long CoreResyncRequests => Interlocked.Read(ref _coreResyncRequests);

    /// <summary>A connection (re)connected: every depth symbol it carries resyncs; the first diff's <c>U</c> is noted
    /// (<see cref="OnFirstDiff"/>) so a snapshot older than the new stream is refetched.</summary>
    internal void OnConnected(int[] depthSymbols, bool reconnect)
    {
        _ = reconnect;
        foreach (var symbolId in depthSymbols)
        {
            Volatile.Write(ref _awaitingFirstDiff[symbolId], 1);
            RequestResync(symbolId, 0);
        }
    }

    /// <summary>Whether the receive thread should report the next diff's <c>U</c> of this symbol (allocation-free).</summary>
    internal bool WantsFirstDiff(int symbolId) => (uint)symbolId < (uint)_awaitingFirstDiff.Length && Volatile.Read(ref _awaitingFirstDiff[symbolId]) != 0;

    /// <summary>The first diff after a (re)connect arrived: its <c>U</c> bounds the snapshot that can bridge to it.</summary>
    internal void OnFirstDiff(int symbolId, long firstUpdateId)
    {
        if (Interlocked.Exchange(ref _awaitingFirstDiff[symbolId], 0) != 0)
        {
            Volatile.Write(ref _resyncFirstUpdateId[symbolId], firstUpdateId);
        }
    }

    /// <summary>
    /// Checks, on the receive thread, that the last published snapshot will bridge to the stream as the core sees it:
    /// the first diff with <c>u ≥ lastUpdateId</c> must have futures <c>U ≤ lastUpdateId</c> (spot <c>U ≤ lastUpdateId+1</c>).
    /// If it does not, the core is waiting for another snapshot: request it. Allocation-free.
    /// </summary>
    internal void VerifyBridge(int symbolId, long lastSeenFinal, long firstUpdateId, long finalUpdateId)
    {
        if ((uint)symbolId >= (uint)_verifySnapshot.Length)
        {
            return;
        }

        var snapshot = Volatile.Read(ref _verifySnapshot[symbolId]);
        if (snapshot == 0)
        {
            return;
        }

        if (lastSeenFinal >= snapshot)
        {
            // The bridging diff was published before the snapshot: a buffering core replays it from its buffer, and a
            // core that stayed live (the reconnect lost nothing) is at or past the snapshot and does not load it.
            Interlocked.CompareExchange(ref _verifySnapshot[symbolId], 0, snapshot);
            return;
        }

        if (finalUpdateId < snapshot)
        {
            return;
        }

        Interlocked.CompareExchange(ref _verifySnapshot[symbolId], 0, snapshot);
        var bridges = _options.Market == Market.Futures ? firstUpdateId <= snapshot : firstUpdateId <= snapshot + 1;
        if (!bridges)
        {
            var counters = _counters[symbolId];
            if (counters is not null)
            {
                Interlocked.Increment(ref counters.StaleSnapshotCount);
            }

            RequestResync(symbolId, firstUpdateId);
        }
    }

    /// <summary>A receive thread's verdict on a depth message that did not simply chain; returns whether to publish it.</summary>
    internal bool OnDepthVerdict(int symbolId, DepthChainVerdict verdict, long firstUpdateId)
    {
        var counters = (uint)symbolId < (uint)_counters.Length ? _counters[symbolId] : null;
        switch (verdict)
        {
            case DepthChainVerdict.Gap:
                if (counters is not null)
                {
                    Interlocked.Increment(ref counters.GapCount);
                }

                RequestResync(symbolId, firstUpdateId);
                return true;
            case DepthChainVerdict.Duplicate:
                if (counters is not null)
                {
                    Interlocked.Increment(ref counters.DuplicateCount);
                }

                return false;
            case DepthChainVerdict.OutOfOrder:
                if (counters is not null)
                {
                    Interlocked.Increment(ref counters.OutOfOrderCount);
                }

                return false;
            default:
                return true;
        }
    }

    private void BuildConnections()
    {
        var baseUri = _options.EffectiveStreamBase;
        var routes = _options.UsesSplitRoutes
            ? new[] { ("/public/stream", true), ("/market/stream", false) }
            : new[] { ("/stream", true) };
        foreach (var (path, isPublic) in routes)
        {
            var names = new List<string>();
            var symbolIds = new List<int>();
            var depthSymbols = new List<int>();
            foreach (var counters in _counterList)
            {
                var lower = counters.Symbol.ToLowerInvariant();
                foreach (var stream in _options.Streams)
                {
                    if (_options.UsesSplitRoutes && IsPublicRouteStream(stream) != isPublic)
                    {
                        continue;
                    }

                    names.Add(lower + "@" + stream);
                    symbolIds.Add(counters.SymbolId);
                    if (stream.StartsWith("depth@", StringComparison.OrdinalIgnoreCase) || stream.Equals("depth", StringComparison.OrdinalIgnoreCase))
                    {
                        depthSymbols.Add(counters.SymbolId);
                    }
                }
            }

            if (names.Count == 0)
            {
                continue;
            }

            var builder = new UriBuilder(baseUri)
            {
                Path = baseUri.AbsolutePath.TrimEnd('/') + path,
                Query = "streams=" + string.Join('/', names),
            };
            _connections.Add(new MarketDataConnection(this, _options, builder.Uri, [.. symbolIds.Distinct()], [.. depthSymbols.Distinct()], _ring, _symbols));
        }
    }

    /// <summary>
    /// Whether a stream suffix goes to USDⓈ-M <c>/public</c> (high-frequency: <c>bookTicker</c>, diff and partial depth
    /// <c>depth…</c>, <c>rpiDepth…</c>) rather than <c>/market</c> (<c>aggTrade</c>, <c>markPrice</c>, klines, tickers, …),
    /// binance.md §2.2 `[F-SPLIT]`. <c>trade</c> and <c>depth@0ms</c> are in neither list of the current docs (route
    /// unverified): <c>depth@0ms</c> goes with the depth streams, <c>trade</c> with <c>aggTrade</c>.
    /// </summary>
    internal static bool IsPublicRouteStream(string stream) =>
        stream.StartsWith("depth", StringComparison.OrdinalIgnoreCase)
        || stream.StartsWith("rpiDepth", StringComparison.OrdinalIgnoreCase)
        || stream.Equals("bookTicker", StringComparison.OrdinalIgnoreCase);

    private void RunControl()
    {
        while (!_finished)
        {
            _controlSignal.Wait(250);
            _controlSignal.Reset();
            WriteLog();
            foreach (var counters in _counterList)
            {
                if (_finished)
                {
                    return;
                }

                if (Interlocked.Exchange(ref _resyncRequested[counters.SymbolId], 0) == 1)
                {
                    Resync(counters);
                }

                if (Interlocked.Exchange(ref _coreRequested[counters.SymbolId], 0) == 1)
                {
                    OnCoreRequest(counters);
                }
            }
        }
    }

    /// <summary>
    /// The core went unsynced at <c>U</c>: a snapshot published since then whose <c>lastUpdateId</c> reaches <c>U</c>
    /// (spot: <c>U</c> − 1) is still ahead of the core in the ring and will bridge, so the request is answered by it
    /// (counted); otherwise fetch a fresh one that must bridge <c>U</c>.
    /// </summary>
    private void OnCoreRequest(SymbolFeedCounters counters)
    {
        var id = counters.SymbolId;
        var first = Volatile.Read(ref _coreRequestFirstUpdateId[id]);
        var published = Volatile.Read(ref _lastPublishedSnapshot[id]);
        var bridges = published > 0 && (_options.Market == Market.Futures ? published >= first : published + 1 >= first);
        if (bridges)
        {
            Interlocked.Increment(ref counters.CoreRequestsCoalescedCount);
            return;
        }

        if (Interlocked.Read(ref _unsyncedSinceNs[id]) == 0)
        {
            Interlocked.Exchange(ref _unsyncedSinceNs[id], MonotonicClock.NowNs);
        }

        Volatile.Write(ref _resyncFirstUpdateId[id], first);
        Resync(counters);
    }

    private void Resync(SymbolFeedCounters counters)
    {
        var id = counters.SymbolId;
        var failures = 0;
        while (!_finished)
        {
            WriteLog();
            SnapshotFetch fetch;
            try
            {
                fetch = _snapshots.FetchAsync(counters.Symbol, _options.SnapshotLimit, _stopping.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }

            switch (fetch.Status)
            {
                case SnapshotFetchStatus.Ok:
                    break;
                case SnapshotFetchStatus.BackingOff:
                    WaitControl(fetch.RetryAfter);
                    continue;
                case SnapshotFetchStatus.TooManyRequests:
                case SnapshotFetchStatus.Banned:
                    Interlocked.Increment(ref counters.ThrottledCount);
                    WaitControl(fetch.RetryAfter);
                    continue;
                default:
                    Interlocked.Increment(ref counters.SnapshotFailureCount);
                    failures++;
                    var retry = TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(failures, 6)));
                    if (_logger is not null)
                    {
                        MarketDataLog.SnapshotFailed(_logger, counters.Symbol, fetch.Error ?? string.Create(CultureInfo.InvariantCulture, $"HTTP {fetch.HttpStatus}"), Seconds(retry));
                    }

                    WaitControl(retry);
                    continue;
            }

            counters.SnapshotLatency.Record((long)(fetch.Elapsed.TotalMilliseconds * 1e6));
            var receiveNs = MonotonicClock.NowNs;
            var outcome = _controlPublisher.Decode(fetch.Body, id);
            if (outcome != FrameOutcome.Levels)
            {
                Interlocked.Increment(ref counters.SnapshotFailureCount);
                failures++;
                var retry = TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(failures, 6)));
                if (_logger is not null)
                {
                    MarketDataLog.SnapshotFailed(_logger, counters.Symbol, string.Create(CultureInfo.InvariantCulture, $"the body ({fetch.Body!.Length:N0} bytes) is not a depth snapshot: {_controlPublisher.Decoder.LastError}"), Seconds(retry));
                }

                WaitControl(retry);
                continue;
            }

            // Spot step 3 (binance.md §3.1), futures likewise: a snapshot older than the first buffered diff cannot be
            // bridged; fetch again.
            // After a (re)connect, wait (bounded) for the new stream's first diff so the check below has its U.
            for (var i = 0; i < 200 && !_finished && Volatile.Read(ref _awaitingFirstDiff[id]) != 0; i++)
            {
                Thread.Sleep(10);
            }

            var firstBuffered = Volatile.Read(ref _resyncFirstUpdateId[id]);
            var lastUpdateId = _controlPublisher.Header.FinalUpdateId;
            var tooOld = firstBuffered > 0 && (_options.Market == Market.Futures ? lastUpdateId < firstBuffered : lastUpdateId + 1 < firstBuffered);
            if (tooOld)
            {
                Interlocked.Increment(ref counters.StaleSnapshotCount);
                WaitControl(TimeSpan.FromMilliseconds(100));
                continue;
            }

            Volatile.Write(ref _verifySnapshot[id], lastUpdateId);
            Volatile.Write(ref _lastPublishedSnapshot[id], lastUpdateId);
            _controlPublisher.Publish(outcome, receiveNs, (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100);
            _options.RawFeed?.OnSnapshot(counters.Symbol, fetch.Body);
            Interlocked.Increment(ref counters.ResyncCount);
            var since = Interlocked.Exchange(ref _unsyncedSinceNs[id], 0);
            if (since > 0)
            {
                Interlocked.Add(ref counters.UnsyncedTotalNs, MonotonicClock.NowNs - since);
            }

            return;
        }
    }

    private void WaitControl(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            Task.Delay(delay, _options.TimeProvider, _stopping.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The text of a symbol's counters (for reports).</summary>
    /// <param name="counters">The counters.</param>
    /// <returns>One line.</returns>
    public static string Describe(SymbolFeedCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{counters.Symbol}: {counters.Gaps} gaps, {counters.Resyncs} resyncs, {counters.Duplicates} duplicates, {counters.OutOfOrder} out of order, ");
        text.Append(CultureInfo.InvariantCulture, $"{counters.StaleSnapshots} stale snapshots, {counters.CoreRequestsCoalesced} core requests already answered, {counters.SnapshotFailures} failed snapshot requests, {counters.Throttled} throttled (429/418), ");
        text.Append(CultureInfo.InvariantCulture, $"unsynced {counters.UnsyncedNs / 1e6:0.0} ms, snapshot latency max {counters.SnapshotLatency.Max / 1e6:0.0} ms");
        return text.ToString();
    }
}
