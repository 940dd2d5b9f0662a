using System.Net.Sockets;
using System.Net.WebSockets;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// One combined-stream WebSocket and its receive thread: connect, receive into one reused buffer (fragments assembled
/// in place), stamp, check the depth chain, decode and publish; reconnect with back-off when the connection is lost.
/// </summary>
/// <remarks>
/// The WebSocket runs on a <see cref="SocketTransportStream"/> (<see cref="WebSocketConnector"/>): every read completes
/// synchronously on this thread, which waits for data in <c>poll</c> bounded by the receive timeout (a stall), so a
/// receive allocates nothing whether or not data was waiting. Should a receive ever complete asynchronously, the thread
/// registers a cached callback on the <see cref="ValueTask{TResult}"/> and blocks on an event with the receive timeout.
/// Only this thread reads the socket, except <see cref="Stop"/>, which aborts it.
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
    private byte[] _buffer = new byte[InitialBufferSize];
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

    public MarketDataConnection(MarketDataClient client, MarketDataClientOptions options, Uri uri, int[] depthSymbols, RingBuffer<MarketEvent> ring, SymbolTable symbols)
    {
        _client = client;
        _options = options;
        _uri = uri;
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
    }

    public Uri Uri => _uri;

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
        while (!_stopping)
        {
            if (attempt > 0)
            {
                var delay = _backoff.Delay(attempt);
                var limit = _limiter.DelayBeforeNextAttempt();
                Sleep(delay > limit ? delay : limit);
                if (_stopping)
                {
                    break;
                }
            }

            _limiter.RecordAttempt();
            var socket = Connect();
            if (socket is null)
            {
                FailedAttempts++;
                attempt++;
                continue;
            }

            _socket = socket;
            if (_stopping)
            {
                _transport?.Abort();
            }

            Connects++;
            _chain.Reset();
            _client.OnConnected(_depthSymbols, Connects > 1);
            var outcome = Receive(socket);
            _windowFrozen = true;
            _socket = null;
            socket.Dispose();
            _transport?.Abort();
            switch (outcome)
            {
                case Outcome.RecordingEnded when _options.FinishOnRecordingEnd:
                case Outcome.Stopped:
                    Final = outcome;
                    return;
                case Outcome.ServerShutdown:
                    // Planned: reconnect at once (binance.md §2.1 "reconnect at once").
                    attempt = 0;
                    break;
                case Outcome.Aged:
                    // Ours, before the venue's 24 h cut: reconnect at once.
                    Renewals++;
                    attempt = 0;
                    break;
                case Outcome.Stalled:
                    Stalls++;
                    attempt = 1;
                    break;
                case Outcome.Dropped:
                    Drops++;
                    attempt = 1;
                    break;
                default:
                    Closes++;
                    attempt = 1;
                    break;
            }
        }

        Final = Outcome.Stopped;
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

    private WebSocket? Connect()
    {
        try
        {
            var socket = WebSocketConnector.Connect(_uri, _options, out var transport);
            _transport = transport;
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
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
                        return _stopping ? Outcome.Stopped : Outcome.Stalled;
                    }
                }

                // Completed here: either synchronously or signalled above (an incomplete one returned already).
                result = pending.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                return _stopping ? Outcome.Stopped : _transport is { TimedOut: true } ? Outcome.Stalled : Outcome.Dropped;
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

                return ended ? Outcome.RecordingEnded : Outcome.Closed;
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                if (length == _buffer.Length)
                {
                    // A frame larger than any before: grow once (cold), keep the size.
                    Array.Resize(ref _buffer, _buffer.Length * 2);
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

        var outcome = _publisher.Decode(frame, symbolHint: -1);
        if (outcome == FrameOutcome.Ignored)
        {
            return false;
        }

        ref readonly var header = ref _publisher.Header;
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
