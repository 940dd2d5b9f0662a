using System.Net.WebSockets;
using System.Threading.Channels;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// A USDⓈ-M user data connection (<c>/private/ws?listenKey=…</c>, binance.md §7.2): the account's events as bare JSON
/// objects (<c>ORDER_TRADE_UPDATE</c>, <c>ACCOUNT_UPDATE</c>), in order, until the client closes or the listenKey is stopped.
/// </summary>
/// <remarks>
/// One writer task; a bounded queue (<see cref="WsApiSession.OutboundCapacity"/>) whose overflow is dropped and counted.
/// Allocates per event. The connection is created, and subscribed, before the websocket handshake completes: events
/// queue from then on and are sent once <see cref="RunAsync"/> has the socket, so a client that acts as soon as its
/// connect returns misses none of the events its actions cause.
/// </remarks>
internal sealed class UserDataConnection : IUserDataSubscriber
{
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(WsApiSession.OutboundCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <inheritdoc />
    public bool TryDeliver(byte[] eventJson) => _queue.Writer.TryWrite(eventJson);

    /// <summary>Sends the queued events, and those that follow, on <paramref name="socket"/> until either side closes.</summary>
    public async Task RunAsync(WebSocket socket, CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var receive = ReceiveAsync(socket, linked.Token);
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(linked.Token))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, linked.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away or the simulator is stopping.
        }
        finally
        {
            await linked.CancelAsync();
            await receive;
        }
    }

    private async Task ReceiveAsync(WebSocket socket, CancellationToken cancellation)
    {
        var buffer = new byte[1024];
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellation);
                    }

                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Gone.
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }
}
