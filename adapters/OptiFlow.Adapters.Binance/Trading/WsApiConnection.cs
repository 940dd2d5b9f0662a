using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using OptiFlow.Adapters.Binance.Streaming;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// One WebSocket API (or USDⓈ-M user-data) connection and its thread: connect (with bounded, jittered back-off between
/// attempts), hand every complete text frame to its <see cref="IWsApiConnectionHandler"/>, and reconnect when the
/// connection is lost, until <see cref="Stop"/>.
/// </summary>
/// <remarks>
/// <para>The socket is the market-data client's: <see cref="WebSocketConnector"/> over a <see cref="SocketTransportStream"/>,
/// whose reads and writes complete synchronously on the calling thread, so neither a receive nor a
/// <see cref="Send"/> suspends or rents pooled state. Server pings are answered by the runtime's WebSocket with a pong
/// echoing the payload (RFC 6455 §5.5.3; binance.md §5.1).</para>
/// <para>Threads: the handler is called on this connection's thread only. <see cref="Send"/> may be called from any
/// thread (the gateway thread for orders, this thread for the handshake); sends are serialised by a lock.
/// Allocation: <see cref="Send"/> and the receive loop allocate nothing in steady state; connecting and errors allocate.</para>
/// </remarks>
internal sealed class WsApiConnection : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private const int MaxMessageSize = 16 << 20;

    private readonly string _name;
    private readonly Func<Uri?> _uri;
    private readonly IWsApiConnectionHandler _handler;
    private readonly MarketDataClientOptions _socketOptions;
    private readonly ReconnectBackoff _backoff;
    private readonly ILogger? _logger;
    private readonly string _keyId;
    private readonly object _sendLock = new(); // a Monitor: its contended wait allocates nothing, a System.Threading.Lock's first one ~280 B
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private byte[] _sendBuffer = new byte[4096];
    private byte[] _buffer = new byte[InitialBufferSize];
    private Thread? _thread;
    private volatile WebSocket? _socket;
    private volatile SocketTransportStream? _transport;
    private volatile bool _stopping;
    private long _connects;
    private string _lastCause = "";

    public WsApiConnection(string name, Func<Uri?> uri, IWsApiConnectionHandler handler, OrderVenueOptions options)
    {
        _name = name;
        _uri = uri;
        _handler = handler;
        _logger = options.Logger;
        _keyId = options.Credentials.KeyId;
        _backoff = new ReconnectBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, jitter: 0.3);
        _socketOptions = new MarketDataClientOptions
        {
            Venue = options.Market == Engine.Model.Market.Spot ? BinanceVenue.Spot : BinanceVenue.UsdmFutures,
            Symbols = [],
            ConnectTimeout = options.ConnectTimeout,
            ReceiveTimeout = options.StallTimeout,
            TrustedServerCertificate = options.TrustedServerCertificate,
        };
    }

    /// <summary>Successful connects so far.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Sends that could not complete at once (the socket's send buffer full, or its send lock held by a pong):
    /// the caller waited, and the runtime allocated the wait's state (a few hundred bytes). 0 while the peer keeps up.</summary>
    public long SendsThatWaited => Interlocked.Read(ref _sendsThatWaited);

    /// <summary>Whether a socket is open now.</summary>
    public bool IsConnected => _socket is { State: WebSocketState.Open };

    /// <summary>The cause of the last failed attempt or lost connection ("" if none).</summary>
    public string LastCause => Volatile.Read(ref _lastCause);

    private long _sendsThatWaited;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = _name };
        _thread.Start();
    }

    /// <summary>Sends one text frame: <see cref="WsApiSendResult.Sent"/> when the whole frame was handed to the socket,
    /// <see cref="WsApiSendResult.NotOpen"/> when no socket is open, <see cref="WsApiSendResult.Failed"/> when the write
    /// failed (the connection is then aborted and the thread reconnects).</summary>
    public WsApiSendResult Send(ReadOnlySpan<byte> frame)
    {
        lock (_sendLock)
        {
            var socket = _socket;
            if (socket is null || socket.State != WebSocketState.Open)
            {
                return WsApiSendResult.NotOpen;
            }

            if (frame.Length > _sendBuffer.Length)
            {
                _sendBuffer = new byte[Math.Max(frame.Length, _sendBuffer.Length * 2)];
            }

            frame.CopyTo(_sendBuffer);
            try
            {
                // CA2012: consumed once; it completes synchronously on SocketTransportStream unless the runtime's send
                // mutex is held by a pong the receive thread is writing (then wait for it, cold).
#pragma warning disable CA2012
                var pending = socket.SendAsync(_sendBuffer.AsMemory(0, frame.Length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
#pragma warning restore CA2012
                if (pending.IsCompletedSuccessfully)
                {
                    return WsApiSendResult.Sent;
                }

                Interlocked.Increment(ref _sendsThatWaited);
                pending.AsTask().GetAwaiter().GetResult();
                return WsApiSendResult.Sent;
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                Abort();
                return WsApiSendResult.Failed;
            }
        }
    }

    /// <summary>Drops the current socket (the thread reconnects after its back-off). Any thread.</summary>
    public void Abort()
    {
        try
        {
            _transport?.Abort();
            _socket?.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Gone already.
        }
    }

    /// <summary>Stops the thread and closes the socket; waits (bounded) for the thread.</summary>
    public void Stop(TimeSpan wait)
    {
        _stopping = true;
        _wake.Set();
        var socket = _socket;
        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                lock (_sendLock)
                {
                    socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stop", timeout.Token).GetAwaiter().GetResult();
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // The abort below ends it.
            }
        }

        Abort();
        _thread?.Join(wait);
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(2));
        _wake.Dispose();
    }

    private void Run()
    {
        var failures = 0;
        while (!_stopping)
        {
            var uri = _uri();
            if (uri is null)
            {
                Sleep(TimeSpan.FromMilliseconds(20));
                continue;
            }

            WebSocket socket;
            try
            {
                socket = WebSocketConnector.Connect(uri, _socketOptions, out var transport);
                _transport = transport;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or IOException or SocketException
                or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                failures++;
                var (_, failure) = ConnectionErrors.OfConnect(e, _socketOptions.ConnectTimeout);
                Volatile.Write(ref _lastCause, failure);
                var delay = _backoff.Delay(failures);
                if (_logger is not null)
                {
                    OrderVenueLog.AttemptFailed(_logger, _name, _keyId, failures, failure, delay);
                }

                Sleep(delay);
                continue;
            }

            _socket = socket;
            if (_stopping)
            {
                Abort();
                break;
            }

            Interlocked.Increment(ref _connects);
            if (_logger is not null)
            {
                OrderVenueLog.Connected(_logger, _name, _keyId, Connects);
            }

            var delivered = false;
            string cause;
            try
            {
                _handler.OnOpened(this);
                cause = Receive(socket, ref delivered);
            }
            finally
            {
                lock (_sendLock)
                {
                    _socket = null;
                }

                socket.Dispose();
                _transport?.Abort();
            }

            Volatile.Write(ref _lastCause, cause);
            _handler.OnClosed(this, cause);
            if (_stopping)
            {
                break;
            }

            failures = delivered ? 1 : failures + 1;
            var wait = cause == ServerShutdownCause ? TimeSpan.Zero : _backoff.Delay(failures);
            if (_logger is not null)
            {
                OrderVenueLog.Lost(_logger, _name, _keyId, cause, wait);
            }

            Sleep(wait);
        }
    }

    /// <summary>The cause a handler returns from <see cref="IWsApiConnectionHandler.OnFrame"/> to reconnect at once.</summary>
    public const string ServerShutdownCause = "serverShutdown";

    private string Receive(WebSocket socket, ref bool delivered)
    {
        var length = 0;
        while (!_stopping)
        {
            ValueWebSocketReceiveResult result;
            try
            {
#pragma warning disable CA2012 // consumed once
                var pending = socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
#pragma warning restore CA2012
                result = pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                if (_stopping)
                {
                    return "stopped";
                }

                if (_transport is { TimedOut: true })
                {
                    return $"nothing received for {_socketOptions.ReceiveTimeout.TotalSeconds:0.#} s (StallTimeout)";
                }

                return ConnectionErrors.OfReceive(e).Cause;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    lock (_sendLock)
                    {
                        socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).GetAwaiter().GetResult();
                    }
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // The server is gone already.
                }

                return $"the server closed the connection: {(int?)socket.CloseStatus} '{socket.CloseStatusDescription}'";
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                if (length == _buffer.Length)
                {
                    if (length >= MaxMessageSize)
                    {
                        return $"a message longer than {MaxMessageSize} bytes";
                    }

                    Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxMessageSize));
                }

                continue;
            }

            if (result.MessageType == WebSocketMessageType.Text)
            {
                delivered = true;
                var verdict = _handler.OnFrame(this, _buffer.AsSpan(0, length));
                if (verdict is not null)
                {
                    Abort();
                    return verdict;
                }
            }

            length = 0;
        }

        return "stopped";
    }

    private void Sleep(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        _wake.Reset();
        if (!_stopping)
        {
            _wake.Wait(delay);
        }
    }
}
