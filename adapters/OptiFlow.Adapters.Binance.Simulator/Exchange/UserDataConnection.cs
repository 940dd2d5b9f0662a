using System.Net.WebSockets;
using System.Threading.Channels;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// A USDⓈ-M user data connection (<c>/private/ws?listenKey=…</c>, binance.md §7.2): the account's events as bare JSON
/// objects (<c>ORDER_TRADE_UPDATE</c>, <c>ACCOUNT_UPDATE</c>), in order, until the client closes or the listenKey is stopped.
/// </summary>
/// <remarks>One writer task; a bounded queue (<see cref="WsApiSession.OutboundCapacity"/>) whose overflow is dropped and counted. Allocates per event.</remarks>
internal sealed class UserDataConnection : IUserDataSubscriber
{
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(WsApiSession.OutboundCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public UserDataConnection(WebSocket socket) => _socket = socket;

    /// <inheritdoc />
    public bool TryDeliver(byte[] eventJson) => _queue.Writer.TryWrite(eventJson);

    public async Task RunAsync(CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var receive = ReceiveAsync(linked.Token);
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(linked.Token))
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, linked.Token);
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

    private async Task ReceiveAsync(CancellationToken cancellation)
    {
        var buffer = new byte[1024];
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellation);
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
