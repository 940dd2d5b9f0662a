using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// Opens a market-data WebSocket on a <see cref="SocketTransportStream"/>: TCP connect, TLS for <c>wss</c>, the HTTP/1.1
/// upgrade (RFC 6455 §4.1, the accept key checked), then <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>.
/// </summary>
/// <remarks>
/// Why not <see cref="ClientWebSocket"/>: its stream is the HTTP connection's, read asynchronously, and a receive that
/// waits for data rents pooled state machines that are returned on the I/O thread (584 B allocated on a part of such
/// receives, see <see cref="MarketDataClient.ReceiveSteadyStateReceiveCallBytes"/>). Market data needs no proxy, no
/// cookies and no sub-protocol. Cold path: allocates freely. Errors: <see cref="SocketException"/>,
/// <see cref="IOException"/>, <see cref="System.Security.Authentication.AuthenticationException"/>,
/// <see cref="WebSocketException"/> (not HTTP, not 101, closed during the upgrade, wrong accept key),
/// <see cref="OperationCanceledException"/> (TCP connect timeout), <see cref="TimeoutException"/> (no complete answer to the
/// upgrade within the connect timeout); <see cref="ConnectionErrors"/> turns each into a cause.
/// </remarks>
internal static class WebSocketConnector
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxResponseHeaderBytes = 16 * 1024;

    public static WebSocket Connect(Uri uri, MarketDataClientOptions options, out SocketTransportStream transport)
    {
        var secure = uri.Scheme is "wss" or "https";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (secure ? 443 : 80) : uri.Port;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var owned = new SocketTransportStream(socket, options.ReceiveTimeout);
        try
        {
            using (var timeout = new CancellationTokenSource(options.ConnectTimeout))
            {
                socket.ConnectAsync(uri.IdnHost, port, timeout.Token).AsTask().GetAwaiter().GetResult();
            }

            socket.ReceiveTimeout = (int)Math.Min(int.MaxValue, options.ConnectTimeout.TotalMilliseconds);
            socket.SendTimeout = socket.ReceiveTimeout;
            Stream stream = owned;
            if (secure)
            {
                var tls = new SslStream(owned, leaveInnerStreamOpen: false);
                tls.AuthenticateAsClient(new SslClientAuthenticationOptions
                {
                    TargetHost = uri.IdnHost,
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) => options.AcceptServerCertificate(certificate, errors),
                });
                stream = tls;
            }

            Handshake(stream, uri, port, socket, options.ConnectTimeout);
            socket.ReceiveTimeout = 0;
            socket.SendTimeout = 0;
            owned.StartNonBlocking();
            transport = owned;
            return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = options.KeepAliveInterval });
        }
        catch
        {
            owned.Abort();
            throw;
        }
    }

    private static void Handshake(Stream stream, Uri uri, int port, Socket socket, TimeSpan timeout)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var host = uri.IsDefaultPort ? uri.IdnHost : string.Create(CultureInfo.InvariantCulture, $"{uri.IdnHost}:{port}");
        var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        stream.Write(Encoding.ASCII.GetBytes(request));
        stream.Flush();
        var head = ReadResponseHead(stream, socket, timeout);
        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || status[1] != "101")
        {
            throw new WebSocketException(
                WebSocketError.NotAWebSocket,
                $"the server answered the WebSocket upgrade with '{ConnectionErrors.Excerpt(Encoding.ASCII.GetBytes(lines[0]))}', not 101 Switching Protocols: not a WebSocket endpoint");
        }

#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines the accept key as base64(SHA-1(key + GUID)); not used for security here.
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
        var accepted = lines.Skip(1).Any(line =>
            line.StartsWith("Sec-WebSocket-Accept:", StringComparison.OrdinalIgnoreCase) && line["Sec-WebSocket-Accept:".Length..].Trim() == expected);
        if (!accepted)
        {
            throw new WebSocketException(WebSocketError.HeaderError, "the server's Sec-WebSocket-Accept does not match the key (RFC 6455 §4.2.2): not a WebSocket endpoint");
        }
    }

    /// <summary>
    /// Reads the answer's status line and headers byte by byte up to the blank line, so not one byte of the first frame is
    /// taken from the WebSocket; bounded in size (<see cref="MaxResponseHeaderBytes"/>) and time (the connect timeout).
    /// Something that is not HTTP fails at its fifth byte, with what was already waiting as the excerpt.
    /// </summary>
    private static List<byte> ReadResponseHead(Stream stream, Socket socket, TimeSpan timeout)
    {
        var head = new List<byte>(512);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException(NoAnswer(head, timeout));
            }

            int b;
            try
            {
                b = stream.ReadByte();
            }
            catch (IOException e) when (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= timeout
                || e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
            {
                throw new TimeoutException(NoAnswer(head, timeout), e);
            }

            if (b < 0)
            {
                throw new WebSocketException(
                    WebSocketError.HeaderError,
                    head.Count == 0
                        ? "the server closed the connection without answering the WebSocket upgrade"
                        : $"the server closed the connection after sending '{ConnectionErrors.Excerpt([.. head])}' instead of a complete answer to the WebSocket upgrade");
            }

            head.Add((byte)b);
            if (head.Count == 5 && !"HTTP/"u8.SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(head)))
            {
                // Not HTTP: take what is already waiting (without blocking) for the message, then fail.
                while (head.Count < 48 && SafeAvailable(socket) > 0 && (b = stream.ReadByte()) >= 0)
                {
                    head.Add((byte)b);
                }

                throw new WebSocketException(WebSocketError.NotAWebSocket, $"the server's answer to the WebSocket upgrade is not HTTP: '{ConnectionErrors.Excerpt([.. head])}'");
            }

            if (head.Count >= MaxResponseHeaderBytes)
            {
                throw new WebSocketException(WebSocketError.HeaderError, $"the server's answer to the WebSocket upgrade has no end of header within {MaxResponseHeaderBytes:N0} bytes");
            }
        }

        return head;
    }

    private static string NoAnswer(List<byte> head, TimeSpan timeout) => head.Count == 0
        ? string.Create(CultureInfo.InvariantCulture, $"no answer to the WebSocket upgrade within {timeout.TotalSeconds:0.#} s (ConnectTimeout)")
        : string.Create(CultureInfo.InvariantCulture, $"no complete answer to the WebSocket upgrade within {timeout.TotalSeconds:0.#} s (ConnectTimeout); received '{ConnectionErrors.Excerpt([.. head])}'");

    private static int SafeAvailable(Socket socket)
    {
        try
        {
            return socket.Available;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return 0;
        }
    }
}
