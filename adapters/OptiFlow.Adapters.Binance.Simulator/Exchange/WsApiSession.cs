using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// One WebSocket API connection (<c>/ws-api/v3</c> spot, <c>/ws-fapi/v1</c> USDⓈ-M; binance.md §5): a receive loop
/// that parses each request on arrival, a processor that applies them in arrival order after the order-entry latency,
/// and one writer for responses and (spot) user data events.
/// </summary>
/// <remarks>Three tasks per connection; the outbound queue is bounded (<see cref="OutboundCapacity"/>, an event or
/// response that does not fit is dropped and counted). Allocates per request (not a hot path).</remarks>
internal sealed partial class WsApiSession : IUserDataSubscriber
{
    public const int OutboundCapacity = 65_536;
    private const int MaxRequestBytes = 1 << 20;

    private readonly HttpContext _context;
    private readonly WebSocket _socket;
    private readonly WsApiContext _shared;
    private readonly Channel<byte[]> _outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(OutboundCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Channel<ArrivedRequest> _requests = Channel.CreateBounded<ArrivedRequest>(new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly long _connectedMs = SimulatedExchange.NowMs();
    private readonly bool _returnRateLimits;
    private SimulatorApiKey? _sessionKey;
    private long _authorizedSinceMs;
    private int _subscriptionId = -1;
    private int _nextSubscriptionId;
    private volatile bool _aborted;

    public WsApiSession(HttpContext context, WebSocket socket, WsApiContext shared)
    {
        _context = context;
        _socket = socket;
        _shared = shared;
        _returnRateLimits = !string.Equals(context.Request.Query["returnRateLimits"].ToString(), "false", StringComparison.OrdinalIgnoreCase);
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var writer = WriteAsync(linked.Token);
        var processor = ProcessAsync(linked.Token);
        try
        {
            await ReceiveAsync(linked.Token);
        }
        finally
        {
            _requests.Writer.TryComplete();
            if (_subscriptionId >= 0)
            {
                _shared.Exchange.Unsubscribe(this);
            }

            try
            {
                await processor.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // A delayed request is still waiting out its latency: the connection is gone anyway.
            }

            _outbound.Writer.TryComplete();
            await linked.CancelAsync();
            try
            {
                await writer.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // The socket is stuck: Kestrel disposes it.
            }
        }
    }

    /// <inheritdoc />
    public bool TryDeliver(byte[] eventJson)
    {
        var id = _subscriptionId;
        if (id < 0)
        {
            return true;
        }

        var prefix = System.Text.Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"subscriptionId\":{id},\"event\":"));
        var wrapped = new byte[prefix.Length + eventJson.Length + 1];
        prefix.CopyTo(wrapped, 0);
        eventJson.CopyTo(wrapped, prefix.Length);
        wrapped[^1] = (byte)'}';
        return _outbound.Writer.TryWrite(wrapped);
    }

    private async Task ReceiveAsync(CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!cancellation.IsCancellationRequested && !_aborted)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellation);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxRequestBytes)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "request too large", cancellation);
                    return;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var arrived = Arrive(message.ToArray());
                message.SetLength(0);
                await _requests.Writer.WriteAsync(arrived, cancellation);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away, the simulator is stopping, or a fault dropped the connection.
        }
    }

    /// <summary>Parses on arrival: the order.place ordinal is the arrival order over every connection.</summary>
    private ArrivedRequest Arrive(byte[] frame)
    {
        Interlocked.Increment(ref _shared.Statistics.RequestCount);
        JsonDocument? document = null;
        string method = "?";
        long ordinal = 0;
        try
        {
            document = JsonDocument.Parse(frame);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String)
            {
                method = m.GetString() ?? "?";
                var slash = method.LastIndexOf('/');
                method = slash >= 0 ? method[(slash + 1)..] : method;
            }
        }
        catch (JsonException)
        {
            document?.Dispose();
            document = null;
        }

        _shared.Statistics.CountMethod(method);
        if (method == "order.place")
        {
            Interlocked.Increment(ref _shared.Statistics.OrdersReceivedCount);
            ordinal = _shared.NextOrderPlaceOrdinal();
        }

        return new ArrivedRequest(document, method, ordinal, Stopwatch.GetTimestamp());
    }

    private async Task ProcessAsync(CancellationToken cancellation)
    {
        var latency = _shared.Options.OrderEntryLatency;
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(cancellation))
            {
                using var document = request.Document;
                if (_aborted)
                {
                    continue;
                }

                var wait = latency - Stopwatch.GetElapsedTime(request.ArrivalTimestamp);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellation);
                }

                try
                {
                    Handle(request);
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or System.Security.Cryptography.CryptographicException)
                {
                    // A request shaped in a way no method expects (a param of the wrong JSON type, a key that cannot
                    // verify): answered as malformed rather than ending the connection.
                    Send(MalformedResponse(request.Document));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task WriteAsync(CancellationToken cancellation)
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync(cancellation))
            {
                if (_aborted)
                {
                    return;
                }

                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellation);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is gone.
        }
    }

    private void Send(byte[] frame) => _outbound.Writer.TryWrite(frame);

    /// <summary>Sends a frame after <paramref name="delay"/> (the DelayResponse fault), in the writer's order at that time.</summary>
    private void SendLater(byte[] frame, TimeSpan delay) =>
        _ = Task.Delay(delay).ContinueWith(_ => Send(frame), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>Drops the TCP connection at once (no close frame): the DisconnectMidOrder fault.</summary>
    private void Abort()
    {
        _aborted = true;
        _requests.Writer.TryComplete();
        try
        {
            _socket.Abort();
            _context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private readonly record struct ArrivedRequest(JsonDocument? Document, string Method, long Ordinal, long ArrivalTimestamp);
}
