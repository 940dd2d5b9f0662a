using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OptiFlow.Adapters.Binance.Tests.Trading.Support;

/// <summary>
/// A scripted Binance WebSocket API on loopback: TCP listener, the RFC 6455 upgrade by hand, then
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> as the server side. Every request is recorded;
/// <see cref="OnRequest"/> may answer it (return true), otherwise the default answers the handshake methods
/// (<c>time</c>, <c>session.logon</c>, <c>userDataStream.*</c>), acks <c>order.place</c>/<c>order.cancel</c> with NEW/CANCELED
/// and answers <c>order.status</c> with <c>-2013</c>. Paths: <c>/ws-api/v3</c> (or any) for the API, <c>/private/ws?listenKey=…</c>
/// for USDⓈ-M user data (recorded in <see cref="UserDataConnections"/>, not read).
/// </summary>
public sealed class FakeWsApiServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Thread _acceptThread;
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly List<FakeConnection> _connections = [];
    private volatile bool _stopping;

    public FakeWsApiServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "fake-ws-api accept" };
        _acceptThread.Start();
    }

    public int Port { get; }

    public Uri ApiUri => new($"ws://127.0.0.1:{Port}/ws-api/v3");

    public Uri UserDataUri => new($"ws://127.0.0.1:{Port}/private/ws");

    /// <summary>The script: return true when it answered (or deliberately did not answer) the request.</summary>
    public Func<FakeConnection, FakeRequest, bool>? OnRequest { get; set; }

    /// <summary>The listenKey <c>userDataStream.start</c> returns.</summary>
    public string ListenKey { get; set; } = "lk-1";

    public IReadOnlyCollection<FakeRequest> Requests => _requests;

    public FakeConnection[] Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    public FakeConnection[] UserDataConnections => [.. Connections.Where(c => c.Path.StartsWith("/private", StringComparison.Ordinal))];

    public FakeRequest[] RequestsOf(string method) => [.. _requests.Where(r => r.Method == method)];

    public void Dispose()
    {
        _stopping = true;
        _listener.Stop();
        foreach (var c in Connections)
        {
            c.Abort();
        }

        _acceptThread.Join(TimeSpan.FromSeconds(2));
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var thread = new Thread(() => Serve(client)) { IsBackground = true, Name = "fake-ws-api connection" };
            thread.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        client.NoDelay = true;
        var stream = client.GetStream();
        string path;
        byte[] switching;
        try
        {
            (path, switching) = ReadUpgrade(stream);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            client.Dispose();
            return;
        }

        // Listed before the 101 answers: a test that looks for the connection once the client's connect returned finds it.
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var connection = new FakeConnection(client, socket, path);
        int index;
        lock (_connections)
        {
            index = _connections.Count;
            _connections.Add(connection);
        }

        try
        {
            stream.Write(switching);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            client.Dispose();
            return;
        }

        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stopping)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, length);
                var request = new FakeRequest(index, text);
                _requests.Enqueue(request);
                if (OnRequest?.Invoke(connection, request) != true)
                {
                    Answer(connection, request);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or JsonException)
        {
            // The client went away or the test aborted the connection.
        }
        finally
        {
            connection.Abort();
        }
    }

    private void Answer(FakeConnection connection, FakeRequest request)
    {
        switch (request.Method)
        {
            case "time":
                connection.Send($"{{\"id\":{request.Id},\"status\":200,\"result\":{{\"serverTime\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}}");
                break;
            case "session.logon":
                connection.Send($"{{\"id\":{request.Id},\"status\":200,\"result\":{{\"apiKey\":\"{request.Param("apiKey")}\",\"authorizedSince\":1,\"connectedSince\":1,\"returnRateLimits\":false,\"serverTime\":1}}}}");
                break;
            case "userDataStream.subscribe" or "userDataStream.subscribe.signature":
                connection.Send($"{{\"id\":{request.Id},\"status\":200,\"result\":{{\"subscriptionId\":0}}}}");
                break;
            case "userDataStream.start":
                connection.Send($"{{\"id\":{request.Id},\"status\":200,\"result\":{{\"listenKey\":\"{ListenKey}\"}}}}");
                break;
            case "userDataStream.ping":
                connection.Send($"{{\"id\":{request.Id},\"status\":200,\"result\":{{}}}}");
                break;
            case "order.place":
                connection.Send(FakeReplies.Placed(request, "NEW"));
                break;
            case "order.cancel":
                connection.Send(FakeReplies.Placed(request, "CANCELED"));
                break;
            case "order.status":
                connection.Send(FakeReplies.Error(request.Id, 400, -2013, "Order does not exist."));
                break;
            default:
                connection.Send(FakeReplies.Error(request.Id, 400, -1100, "unknown method"));
                break;
        }
    }

    /// <summary>Reads the client's upgrade request: its path and the 101 response to write.</summary>
    private static (string Path, byte[] Switching) ReadUpgrade(NetworkStream stream)
    {
        var head = new List<byte>();
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new IOException("closed during the upgrade");
            }

            head.Add((byte)b);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var key = lines.First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))["Sec-WebSocket-Key:".Length..].Trim();
#pragma warning disable CA5350 // RFC 6455 accept key
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        var response = $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n";
        return (path, Encoding.ASCII.GetBytes(response));
    }
}

/// <summary>One accepted connection of the <see cref="FakeWsApiServer"/>.</summary>
public sealed class FakeConnection(TcpClient client, WebSocket socket, string path)
{
    private readonly Lock _sendLock = new();

    public string Path { get; } = path;

    public bool IsOpen => socket.State == WebSocketState.Open;

    public void Send(string json)
    {
        lock (_sendLock)
        {
            try
            {
                socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
            {
                // The client is gone.
            }
        }
    }

    /// <summary>Drops the TCP connection without a close frame (a network failure).</summary>
    public void Abort()
    {
        try
        {
            if (client.Client is { } s)
            {
                s.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed already.
        }

        socket.Abort();
        client.Dispose();
    }
}

/// <summary>One request the fake server received.</summary>
public sealed class FakeRequest
{
    public FakeRequest(int connection, string text)
    {
        Connection = connection;
        Text = text;
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Id = root.GetProperty("id").GetRawText();
        Method = root.GetProperty("method").GetString() ?? "";
        if (root.TryGetProperty("params", out var ps))
        {
            foreach (var p in ps.EnumerateObject())
            {
                Params[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }
    }

    /// <summary>Index of the connection (in accept order).</summary>
    public int Connection { get; }

    public string Text { get; }

    /// <summary>The envelope id as raw JSON (echoed back as is).</summary>
    public string Id { get; }

    public string Method { get; }

    public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

    public string Param(string name) => Params.TryGetValue(name, out var v) ? v : "";

    /// <summary>The signed payload as binance.md §5.6 defines it: every param but signature, sorted, k=v joined by &amp;.</summary>
    public string SignedPayload => string.Join('&', Params.Where(p => p.Key != "signature").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>Reply texts in Binance's shapes (binance.md §5.2–§5.4, §7).</summary>
public static class FakeReplies
{
    public const string RateLimits = "[{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":50,\"count\":13},"
        + "{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":6000,\"count\":322}]";

    public static string Placed(FakeRequest request, string status) =>
        $"{{\"id\":{request.Id},\"status\":200,\"result\":{{\"symbol\":\"{request.Param("symbol")}\",\"orderId\":1,\"orderListId\":-1,"
        + $"\"clientOrderId\":\"{(request.Params.ContainsKey("newClientOrderId") ? request.Param("newClientOrderId") : request.Param("origClientOrderId"))}\","
        + $"\"transactTime\":1700000000123,\"price\":\"{request.Param("price")}\",\"origQty\":\"{request.Param("quantity")}\",\"executedQty\":\"0\","
        + $"\"cummulativeQuoteQty\":\"0\",\"status\":\"{status}\",\"timeInForce\":\"GTC\",\"type\":\"LIMIT\",\"side\":\"{request.Param("side")}\"}},"
        + $"\"rateLimits\":{RateLimits}}}";

    public static string Error(string id, int status, int code, string message, string? data = null) =>
        $"{{\"id\":{id},\"status\":{status},\"error\":{{\"code\":{code},\"msg\":\"{message}\"{(data is null ? "" : ",\"data\":" + data)}}},\"rateLimits\":{RateLimits}}}";

    public static string OrderStatus(FakeRequest request, string status, string price, string origQty, string executedQty, string cumQuote) =>
        $"{{\"id\":{request.Id},\"status\":200,\"result\":{{\"symbol\":\"{request.Param("symbol")}\",\"orderId\":1,\"clientOrderId\":\"{request.Param("origClientOrderId")}\","
        + $"\"price\":\"{price}\",\"origQty\":\"{origQty}\",\"executedQty\":\"{executedQty}\",\"cummulativeQuoteQty\":\"{cumQuote}\",\"status\":\"{status}\","
        + "\"timeInForce\":\"GTC\",\"type\":\"LIMIT\",\"side\":\"BUY\",\"time\":1700000000000,\"updateTime\":1700000000456}}";

    /// <summary>A spot executionReport wrapped as the WS API delivers it (binance.md §7.1).</summary>
    public static string SpotExecution(string clientOrderId, string x, string status, string lastQty, string cumQty, string lastPrice, string commission, long tradeId, bool maker, string origClientOrderId = "") =>
        $"{{\"subscriptionId\":0,\"event\":{{\"e\":\"executionReport\",\"E\":1700000001000,\"s\":\"BTCUSDT\",\"c\":\"{clientOrderId}\",\"S\":\"BUY\",\"o\":\"LIMIT\",\"f\":\"GTC\","
        + $"\"q\":\"0.01000000\",\"p\":\"50000.00000000\",\"P\":\"0\",\"F\":\"0\",\"g\":-1,\"C\":\"{origClientOrderId}\",\"x\":\"{x}\",\"X\":\"{status}\",\"r\":\"NONE\",\"i\":1,"
        + $"\"l\":\"{lastQty}\",\"z\":\"{cumQty}\",\"L\":\"{lastPrice}\",\"n\":\"{commission}\",\"N\":\"USDT\",\"T\":1700000000999,\"t\":{tradeId},\"I\":7,\"w\":true,"
        + $"\"m\":{(maker ? "true" : "false")},\"M\":true,\"O\":1700000000000,\"Z\":\"0\",\"Y\":\"0\",\"Q\":\"0\"}}}}";

    /// <summary>A USDⓈ-M ORDER_TRADE_UPDATE as the /private stream delivers it (binance.md §7.2).</summary>
    public static string FuturesExecution(string clientOrderId, string x, string status, string lastQty, string cumQty, string lastPrice, string commission, long tradeId, bool maker) =>
        $"{{\"e\":\"ORDER_TRADE_UPDATE\",\"E\":1700000002000,\"T\":1700000001999,\"o\":{{\"s\":\"BTCUSDT\",\"c\":\"{clientOrderId}\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"GTC\","
        + $"\"q\":\"0.002\",\"p\":\"42000.5\",\"ap\":\"0\",\"sp\":\"0\",\"x\":\"{x}\",\"X\":\"{status}\",\"i\":8886774,\"l\":\"{lastQty}\",\"z\":\"{cumQty}\",\"L\":\"{lastPrice}\","
        + $"\"N\":\"USDT\",\"n\":\"{commission}\",\"T\":1700000001998,\"t\":{tradeId},\"b\":\"0\",\"a\":\"0\",\"m\":{(maker ? "true" : "false")},\"R\":false,\"wt\":\"CONTRACT_PRICE\","
        + "\"ot\":\"LIMIT\",\"ps\":\"BOTH\",\"cp\":false,\"rp\":\"0\",\"pP\":false,\"si\":0,\"ss\":0,\"V\":\"NONE\",\"pm\":\"NONE\",\"gtd\":0}}";
}
