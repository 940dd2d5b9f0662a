using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// One client's combined-stream WebSocket: a bounded queue of frames filled by the feed and a sender that writes them,
/// plus a receive loop that answers the client's close and control frames.
/// </summary>
/// <remarks>The feed thread enqueues; one sender task writes. Allocates per frame (the simulator is not a hot path).</remarks>
internal sealed class SimulatorConnection
{
    public const string RecordingEndedReason = "recording ended";

    private readonly HttpContext _context;
    private readonly WebSocket _socket;
    private readonly Channel<byte[]?> _queue;
    private readonly HashSet<string> _streams;
    private readonly SimulatorStatistics _statistics;
    private volatile bool _stalled;
    private volatile bool _closed;

    public SimulatorConnection(HttpContext context, WebSocket socket, HashSet<string> streams, int capacity, SimulatorStatistics statistics)
    {
        _context = context;
        _socket = socket;
        _streams = streams;
        _statistics = statistics;
        _queue = Channel.CreateBounded<byte[]?>(new BoundedChannelOptions(Math.Max(16, capacity)) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Whether the connection takes frames (open and not stalled by a fault).</summary>
    public bool IsActive => !_stalled && !_closed;

    /// <summary>Frames queued and not yet written.</summary>
    public int QueuedFrames => _queue.Reader.Count;

    public bool Wants(string streamKey) => _streams.Contains(streamKey);

    /// <summary>Queues a frame, waiting while the queue is full (back-pressure); false when the connection is gone or stalled.</summary>
    public bool Enqueue(byte[] frame, CancellationToken cancellation)
    {
        while (IsActive)
        {
            if (_queue.Writer.TryWrite(frame))
            {
                return true;
            }

            try
            {
                var wait = _queue.Writer.WaitToWriteAsync(cancellation).AsTask();
                if (!wait.Wait(TimeSpan.FromMilliseconds(200), cancellation) && !IsActive)
                {
                    return false;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (AggregateException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Stops sending anything from now on, without closing (the stall fault).</summary>
    public void Stall() => _stalled = true;

    /// <summary>Closes normally with the "recording ended" reason once every queued frame is written.</summary>
    public void CompleteAtEnd() => _queue.Writer.TryComplete();

    /// <summary>Drops the TCP connection at once (no close frame).</summary>
    public void Abort()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        try
        {
            _socket.Abort();
            _context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The connection has ended already.
        }
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        var receive = ReceiveAsync(cancellation);
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(cancellation))
            {
                if (_stalled)
                {
                    continue;
                }

                if (frame is null)
                {
                    continue;
                }

                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellation);
                Interlocked.Increment(ref _statistics.FramesSent);
            }

            if (!_closed && _socket.State == WebSocketState.Open)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, RecordingEndedReason, timeout.Token);
                await receive.WaitAsync(TimeSpan.FromSeconds(5), cancellation);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or TimeoutException or ObjectDisposedException)
        {
            // The client went away or the simulator is stopping: the connection ends here.
        }
        finally
        {
            _closed = true;
            _queue.Writer.TryComplete();
        }

        while (_stalled && !_closed && _socket.State == WebSocketState.Open && !cancellation.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellation)
    {
        var buffer = new byte[4096];
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is gone.
        }
        finally
        {
            _closed = true;
            _queue.Writer.TryComplete();
        }
    }
}
