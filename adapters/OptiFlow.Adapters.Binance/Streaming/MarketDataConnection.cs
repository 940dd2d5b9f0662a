using System.Net.Sockets;
using System.Net.WebSockets;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// One combined-stream WebSocket and its receive thread: connect, receive into one reused buffer (fragments assembled
/// in place, bounded by <see cref="MarketDataClientOptions.MaxMessageSize"/>), stamp, check the depth chain, decode and
/// publish; reconnect with back-off when the connection is lost, and give up after
/// <see cref="MarketDataClientOptions.MaxConsecutiveFailedAttempts"/> failed attempts in a row.
/// </summary>
/// <remarks>
/// The WebSocket runs on a <see cref="SocketTransportStream"/> (<see cref="WebSocketConnector"/>): every read completes
/// synchronously on this thread, which waits for data in <c>poll</c> bounded by the receive timeout (a stall), so a
/// receive allocates nothing whether or not data was waiting. Should a receive ever complete asynchronously, the thread
/// registers a cached callback on the <see cref="ValueTask{TResult}"/> and blocks on an event with the receive timeout.
/// Only this thread reads the socket, except <see cref="Stop"/>, which aborts it.
/// <para>Failures: each failed attempt and each lost connection becomes a <see cref="ConnectionFailure"/> (its cause from
/// <see cref="ConnectionErrors"/>) handed to the client's control thread to log; nothing is logged or formatted while a
/// connection is receiving. An attempt fails when it does not connect, or when the connection ends before delivering one
/// decodable frame; a connection that delivered data restarts the count.</para>
/// </remarks>
internal sealed class MarketDataConnection : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly MarketDataClient _client;
    private readonly MarketDataClientOptions _options;
    private readonly Uri _uri;
    private readonly int[] _depthSymbols;
    private readonly FramePublisher _publisher;
    private readonly DepthChainTracker _chain;
    private readonly ReconnectBackoff _backoff;
    private readonly ConnectionAttemptLimiter _limiter;
    private readonly ManualResetEventSlim _ready = new(false, spinCount: 0);
    private readonly Action _onReady;
    private readonly bool _futures;
    private readonly Uri _endpoint;
    private readonly int[] _symbolIds;
    private readonly long[] _lastFrameNs;
    private readonly int _maxMessageSize;
    private readonly IRawFeedSink? _rawFeed;
    private byte[] _buffer;
    private volatile int _link = (int)LinkState.Down;
    private long _downSinceNs = MonotonicClock.NowNs;
    private ConnectionFailure? _lastFailure;
    private ConnectionFailureKind _endKind;
    private string _endCause = "";
    private WebSocket? _socket;
    private SocketTransportStream? _transport;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _steadyStart = -1;
    private long _steadyEnd = -1;
    private int _collectionsAtStart;
    private int _collectionsAtEnd;
    private bool _windowFrozen;
    private long _receiveCallBytes;
    private long _receiveCallBytesUncommitted;
    private long _waitingReceives;
    private long _waitingReceivesUncommitted;

    public MarketDataConnection(MarketDataClient client, MarketDataClientOptions options, Uri uri, int[] symbolIds, int[] depthSymbols, RingBuffer<MarketEvent> ring, SymbolTable symbols)
    {
        _client = client;
        _options = options;
        _uri = uri;
        _endpoint = new Uri(uri.GetLeftPart(UriPartial.Path));
        _symbolIds = symbolIds;
        _lastFrameNs = new long[symbols.Capacity];
        _maxMessageSize = options.MaxMessageSize;
        _rawFeed = options.RawFeed;
        _buffer = new byte[Math.Min(InitialBufferSize, _maxMessageSize)];
        _depthSymbols = depthSymbols;
        _futures = options.Market == Market.Futures;
        _publisher = new FramePublisher(ring, new BinanceFrameDecoder(options.Market, symbols));
        _chain = new DepthChainTracker(symbols.Capacity, _futures);
        _backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, options.ReconnectJitter);
        _limiter = new ConnectionAttemptLimiter(options.MaxConnectionAttempts, options.ConnectionAttemptWindow, options.TimeProvider);
        _onReady = _ready.Set;
    }

    public enum Outcome : byte
    {
        Stopped,
        RecordingEnded,
        Closed,
        Dropped,
        Stalled,
        ServerShutdown,
        Aged,
        MessageTooBig,
        ProtocolError,
        Failed,
    }

    /// <summary>Whether the connection is up, down (connecting, backing off), ended by the venue, or given up.</summary>
    private enum LinkState
    {
        Down,
        Up,
        Ended,
        GaveUp,
    }

    public Uri Uri => _uri;

    /// <summary>The stream URL without its query (the subscription list), as logs and reports name it.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Every symbol whose streams this connection carries.</summary>
    public IReadOnlyList<int> SymbolIds => _symbolIds;

    /// <summary>Whether the connection was up (receiving) when last looked at; after <see cref="Stop"/>, whether it was up
    /// when stopped.</summary>
    public bool IsUp => _link == (int)LinkState.Up;

    /// <summary>Whether the venue ended the data on this connection (the simulator's "recording ended").</summary>
    public bool HasEnded => _link == (int)LinkState.Ended;

    /// <summary>Since when (<see cref="MonotonicClock"/> ns) the connection has been down: the drop, the give-up, or the start.</summary>
    public long DownSinceNs => Interlocked.Read(ref _downSinceNs);

    /// <summary>The last failed attempt or lost connection, or null.</summary>
    public ConnectionFailure? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Messages over <see cref="MarketDataClientOptions.MaxMessageSize"/> (each closed the connection with 1009).</summary>
    public long OversizedMessages { get; private set; }

    /// <summary>Connections ended by a WebSocket protocol error.</summary>
    public long ProtocolErrors { get; private set; }

    /// <summary>The receive time (<see cref="MonotonicClock"/> ns) of the symbol's last frame on this connection, 0 if none.</summary>
    public long LastFrameNs(int symbolId) => (uint)symbolId < (uint)_lastFrameNs.Length ? Volatile.Read(ref _lastFrameNs[symbolId]) : 0;

    public FramePublisher Publisher => _publisher;

    public long Connects { get; private set; }

    public long Drops { get; private set; }

    public long Stalls { get; private set; }

    public long ServerShutdowns { get; private set; }

    public long Closes { get; private set; }

    /// <summary>Connections replaced because they reached <see cref="MarketDataClientOptions.MaxConnectionAge"/>.</summary>
    public long Renewals { get; private set; }

    public long FailedAttempts { get; private set; }

    public long BytesReceived { get; private set; }

    /// <summary>Bytes this receive thread allocated in steady state (first connection, after the warm-up frames); -1 if the window never opened.</summary>
    public long SteadyStateAllocatedBytes => _steadyStart < 0 || _steadyEnd < 0 ? -1 : _steadyEnd - _steadyStart;

    /// <summary>Garbage collections during the steady-state window: a collection triggered by another thread charges
    /// the rest of this thread's allocation context to it, so the byte count is exact only when this is 0.</summary>
    public int SteadyStateCollections => _steadyStart < 0 ? 0 : _collectionsAtEnd - _collectionsAtStart;

    /// <summary>Frames received in the steady-state window.</summary>
    public long SteadyStateFrames { get; private set; }

    /// <summary>Of <see cref="SteadyStateAllocatedBytes"/>, the bytes allocated inside <c>WebSocket.ReceiveAsync</c>
    /// (the runtime's WebSocket over <see cref="SocketTransportStream"/>), measured around each call in the window.</summary>
    public long SteadyStateReceiveCallBytes => _receiveCallBytes;

    /// <summary>Receives in the steady-state window that found no data and waited for it.</summary>
    public long SteadyStateWaitingReceives => _waitingReceives;

    public Outcome Final { get; private set; }

    public void Start(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public bool Join(TimeSpan timeout) => _thread is null || _thread.Join(timeout);

    public void Stop()
    {
        _stopping = true;
        try
        {
            // The receive thread notices within one poll slice (SocketTransportStream).
            _transport?.Abort();
            _socket?.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }

        _ready.Set();
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _transport?.Abort();
        _ready.Dispose();
    }

    private void Run()
    {
        var attempt = 0;
        var failures = 0;
        var limit = _options.MaxConsecutiveFailedAttempts;
        ConnectionEvent.EventKind pendingKind = default;
        ConnectionFailure? pending = null;
        long pendingFrames = 0;
        while (!_stopping)
        {
            if (attempt > 0)
            {
                var delay = _backoff.Delay(attempt);
                var limitDelay = _limiter.DelayBeforeNextAttempt();
                var wait = delay > limitDelay ? delay : limitDelay;
                if (pending is not null)
                {
                    _client.Report(new ConnectionEvent(pendingKind, _endpoint, pending, wait, pendingFrames, limit));
                    pending = null;
                }

                Sleep(wait);
                if (_stopping)
                {
                    break;
                }
            }

            _limiter.RecordAttempt();
            var socket = Connect(out var connectKind, out var connectCause);
            if (socket is null)
            {
                if (_stopping)
                {
                    break;
                }

                FailedAttempts++;
                failures++;
                var failure = Fail(failures, connectKind, connectCause);
                if (limit > 0 && failures >= limit)
                {
                    GiveUp(failure, limit);
                    return;
                }

                (pendingKind, pending, pendingFrames) = (ConnectionEvent.EventKind.AttemptFailed, failure, 0);
                attempt = failures;
                continue;
            }

            _socket = socket;
            if (_stopping)
            {
                _transport?.Abort();
            }

            Connects++;
            _link = (int)LinkState.Up;
            if (failures > 0 || Connects > 1)
            {
                _client.Report(new ConnectionEvent(ConnectionEvent.EventKind.Connected, _endpoint, null, TimeSpan.Zero, Connects, limit));
            }

            _chain.Reset();
            _client.OnConnected(_depthSymbols, Connects > 1);
            var goodBefore = _publisher.Frames - _publisher.ErrorFrames;
            var outcome = Receive(socket);
            var delivered = _publisher.Frames - _publisher.ErrorFrames - goodBefore;
            _windowFrozen = true;
            _socket = null;
            socket.Dispose();
            _transport?.Abort();
            switch (outcome)
            {
                case Outcome.RecordingEnded when _options.FinishOnRecordingEnd:
                    _link = (int)LinkState.Ended;
                    Final = outcome;
                    return;
                case Outcome.Stopped:
                    // The link state stays what it was when stopped: up, unless the connection had already failed.
                    Final = outcome;
                    return;
            }

            _link = (int)LinkState.Down;
            Interlocked.Exchange(ref _downSinceNs, MonotonicClock.NowNs);
            switch (outcome)
            {
                case Outcome.ServerShutdown:
                    // Planned: reconnect at once (binance.md §2.1 "reconnect at once").
                    _client.Report(new ConnectionEvent(ConnectionEvent.EventKind.ServerShutdown, _endpoint, null, TimeSpan.Zero, delivered, limit));
                    failures = 0;
                    attempt = 0;
                    continue;
                case Outcome.Aged:
                    // Ours, before the venue's 24 h cut: reconnect at once.
                    Renewals++;
                    _client.Report(new ConnectionEvent(ConnectionEvent.EventKind.Renewal, _endpoint, null, TimeSpan.Zero, delivered, limit));
                    failures = 0;
                    attempt = 0;
                    continue;
                case Outcome.Stalled:
                    Stalls++;
                    break;
                case Outcome.Dropped:
                    Drops++;
                    break;
                case Outcome.MessageTooBig:
                    OversizedMessages++;
                    break;
                case Outcome.ProtocolError:
                    ProtocolErrors++;
                    break;
                default:
                    Closes++;
                    break;
            }

            if (delivered > 0)
            {
                // The connection worked and was lost: the count of failed attempts starts again.
                failures = 0;
                (pendingKind, pending, pendingFrames) = (ConnectionEvent.EventKind.Lost, Fail(0, _endKind, _endCause), delivered);
                attempt = 1;
                continue;
            }

            // Connected but nothing usable arrived: a failed attempt (a server that upgrades and then closes, stalls,
            // breaks the protocol or sends an oversized message).
            FailedAttempts++;
            failures++;
            var ended = Fail(failures, _endKind, _endCause);
            if (limit > 0 && failures >= limit)
            {
                GiveUp(ended, limit);
                return;
            }

            (pendingKind, pending, pendingFrames) = (ConnectionEvent.EventKind.AttemptFailed, ended, 0);
            attempt = failures;
        }

        Final = Outcome.Stopped;
    }

    private ConnectionFailure Fail(int attempt, ConnectionFailureKind kind, string cause)
    {
        var failure = new ConnectionFailure(_endpoint, attempt, kind, cause, DateTimeOffset.UtcNow);
        Volatile.Write(ref _lastFailure, failure);
        return failure;
    }

    private void GiveUp(ConnectionFailure failure, int limit)
    {
        _link = (int)LinkState.GaveUp;
        Final = Outcome.Failed;
        _client.Report(new ConnectionEvent(ConnectionEvent.EventKind.GaveUp, _endpoint, failure, TimeSpan.Zero, 0, limit));
        _client.OnConnectionGaveUp(this);
    }

    private void Sleep(TimeSpan delay)
    {
        var end = DateTime.UtcNow + delay;
        _ready.Reset();
        while (!_stopping)
        {
            var left = end - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            _ready.Wait(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
        }
    }

    private WebSocket? Connect(out ConnectionFailureKind kind, out string cause)
    {
        try
        {
            var socket = WebSocketConnector.Connect(_uri, _options, out var transport);
            _transport = transport;
            (kind, cause) = (default, "");
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or IOException or SocketException
            or System.Security.Authentication.AuthenticationException or ObjectDisposedException or HttpRequestException)
        {
            (kind, cause) = ConnectionErrors.OfConnect(e, _options.ConnectTimeout);
            return null;
        }
    }

    // CA2012: the receive's ValueTask is consumed exactly once, and only after IsCompleted (see the remarks above).
#pragma warning disable CA2012
    private Outcome Receive(WebSocket socket)
    {
        // Connection age on the options' clock (a fake one in tests); the receive timeout below is real time.
        var clock = _options.TimeProvider;
        var connectedAt = clock.GetUtcNow();
        var timeoutMs = (int)Math.Min(int.MaxValue, _options.ReceiveTimeout.TotalMilliseconds);
        var length = 0;
        while (true)
        {
            if (_stopping)
            {
                return Outcome.Stopped;
            }

            ValueWebSocketReceiveResult result;
            try
            {
                var measuring = _steadyStart >= 0 && !_windowFrozen;
                var before = measuring ? GC.GetAllocatedBytesForCurrentThread() : 0;
                var waitsBefore = measuring ? _transport?.WaitingReads ?? 0 : 0;
                var pending = socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
                if (measuring)
                {
                    // Attributes the runtime's share of the window (see SteadyStateReceiveCallBytes); committed with the next frame.
                    _receiveCallBytesUncommitted += GC.GetAllocatedBytesForCurrentThread() - before;
                    _waitingReceivesUncommitted += (_transport?.WaitingReads ?? 0) != waitsBefore || !pending.IsCompleted ? 1 : 0;
                }

                if (!pending.IsCompleted)
                {
                    _ready.Reset();
                    pending.GetAwaiter().UnsafeOnCompleted(_onReady);
                    WaitFor(pending, timeoutMs);
                    if (!pending.IsCompleted)
                    {
                        // Stalled (nothing for the whole receive timeout) or stopping: abort, let the receive fail.
                        socket.Abort();
                        for (var i = 0; i < 200 && !pending.IsCompleted; i++)
                        {
                            Thread.Sleep(5);
                        }

                        Consume(pending);
                        return _stopping ? Outcome.Stopped : Stalled();
                    }
                }

                // Completed here: either synchronously or signalled above (an incomplete one returned already).
                result = pending.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                if (_stopping)
                {
                    return Outcome.Stopped;
                }

                if (_transport is { TimedOut: true })
                {
                    return Stalled();
                }

                (_endKind, _endCause) = ConnectionErrors.OfReceive(e);
                return _endKind == ConnectionFailureKind.Protocol ? Outcome.ProtocolError : Outcome.Dropped;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                var ended = socket.CloseStatus == WebSocketCloseStatus.NormalClosure
                    && socket.CloseStatusDescription is { } reason
                    && reason.Contains("recording ended", StringComparison.OrdinalIgnoreCase);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
                {
                    // The server is gone already.
                }

                (_endKind, _endCause) = (ConnectionFailureKind.Closed, string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"the server closed the connection: {(int?)socket.CloseStatus} {socket.CloseStatus} '{socket.CloseStatusDescription}'"));
                return ended ? Outcome.RecordingEnded : Outcome.Closed;
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                if (length == _buffer.Length)
                {
                    if (length >= _maxMessageSize)
                    {
                        // Whatever length the frame header announced (up to 2^63), and however it is fragmented: the
                        // message is over the bound. Say so (1009) and drop the connection; never grow past the bound.
                        return MessageTooBig(socket, length);
                    }

                    // A message larger than any before: grow once (cold), keep the size, never past the bound.
                    Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxMessageSize));
                }

                continue;
            }

            var receiveNs = MonotonicClock.NowNs;
            var wallNs = (DateTime.UtcNow.Ticks - UnixEpochTicks) * 100;
            BytesReceived += length;
            if (OnFrame(_buffer.AsSpan(0, length), receiveNs, wallNs))
            {
                return Outcome.ServerShutdown;
            }

            length = 0;
            if (clock.GetUtcNow() - connectedAt > _options.MaxConnectionAge)
            {
                socket.Abort();
                return Outcome.Aged;
            }
        }
    }

    private Outcome Stalled()
    {
        (_endKind, _endCause) = (ConnectionFailureKind.Stalled, string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"nothing received for {_options.ReceiveTimeout.TotalSeconds:0.#} s (ReceiveTimeout)"));
        return Outcome.Stalled;
    }

    /// <summary>Closes with 1009 (RFC 6455 §7.4.1 "message too big"), bounded in time, then the caller aborts.</summary>
    private Outcome MessageTooBig(WebSocket socket, int received)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer is not reading; the abort that follows ends it anyway.
        }

        (_endKind, _endCause) = (ConnectionFailureKind.MessageTooBig, string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"a message longer than {_maxMessageSize:N0} bytes (MaxMessageSize; {received:N0} received and not ended): closed with 1009 message too big"));
        return Outcome.MessageTooBig;
    }

    /// <summary>Waits until the receive completes, the timeout passes or the connection stops. A late callback of an
    /// earlier, aborted receive may set the event early: the wait goes on for the time left.</summary>
    private void WaitFor(ValueTask<ValueWebSocketReceiveResult> pending, int timeoutMs)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var left = timeoutMs;
        while (true)
        {
            _ready.Wait(left);
            if (pending.IsCompleted || _stopping)
            {
                return;
            }

            left = timeoutMs - (int)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (left <= 0)
            {
                return;
            }

            _ready.Reset();
            if (pending.IsCompleted)
            {
                return;
            }
        }
    }

    private static void Consume(ValueTask<ValueWebSocketReceiveResult> pending)
    {
        try
        {
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Expected after Abort.
        }
    }

#pragma warning restore CA2012

    /// <summary>Handles one complete frame; true when it is a <c>serverShutdown</c> notice.</summary>
    private bool OnFrame(ReadOnlySpan<byte> frame, long receiveNs, long wallNs)
    {
        if (frame.Length < 192 && frame.IndexOf("serverShutdown"u8) >= 0)
        {
            ServerShutdowns++;
            return true;
        }

        _rawFeed?.OnFrame(frame);
        var outcome = _publisher.Decode(frame, symbolHint: -1);
        if (outcome == FrameOutcome.Ignored)
        {
            return false;
        }

        ref readonly var header = ref _publisher.Header;
        if (outcome != FrameOutcome.Error && (uint)header.SymbolId < (uint)_lastFrameNs.Length)
        {
            // One plain store into this thread's own array (read by the report after the run, or by a status query).
            Volatile.Write(ref _lastFrameNs[header.SymbolId], receiveNs);
        }

        if (outcome == FrameOutcome.Levels && header.Kind == MarketEventKind.DepthLevel)
        {
            if (_client.WantsFirstDiff(header.SymbolId))
            {
                _client.OnFirstDiff(header.SymbolId, header.FirstUpdateId);
            }

            _client.VerifyBridge(header.SymbolId, _chain.LastFinalUpdateId(header.SymbolId), header.FirstUpdateId, header.FinalUpdateId);
            var verdict = _chain.Classify(header.SymbolId, header.FirstUpdateId, header.FinalUpdateId, header.PreviousFinalUpdateId);
            if (verdict != DepthChainVerdict.InOrder && !_client.OnDepthVerdict(header.SymbolId, verdict, header.FirstUpdateId))
            {
                return false;
            }
        }

        _publisher.Publish(outcome, receiveNs, wallNs);
        if (!_windowFrozen)
        {
            if (_publisher.Frames == _options.SteadyStateAfterFrames)
            {
                _steadyStart = GC.GetAllocatedBytesForCurrentThread();
                _collectionsAtStart = GC.CollectionCount(0);
            }
            else if (_steadyStart >= 0)
            {
                _steadyEnd = GC.GetAllocatedBytesForCurrentThread();
                _collectionsAtEnd = GC.CollectionCount(0);
                SteadyStateFrames++;
                _receiveCallBytes += _receiveCallBytesUncommitted;
                _waitingReceives += _waitingReceivesUncommitted;
                _receiveCallBytesUncommitted = 0;
                _waitingReceivesUncommitted = 0;
            }
        }

        return false;
    }
}
