using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>Turns what a connect or a receive threw into a <see cref="ConnectionFailureKind"/> and a one-line cause that
/// names the OS or protocol error (cold path: allocates the text).</summary>
internal static class ConnectionErrors
{
    /// <summary>A failed connect (TCP, TLS, upgrade).</summary>
    public static (ConnectionFailureKind Kind, string Cause) OfConnect(Exception error, TimeSpan connectTimeout)
    {
        switch (error)
        {
            case OperationCanceledException:
                return (ConnectionFailureKind.Timeout, string.Create(CultureInfo.InvariantCulture, $"no TCP connection within {connectTimeout.TotalSeconds:0.#} s (ConnectTimeout)"));
            case TimeoutException:
                return (ConnectionFailureKind.Timeout, error.Message);
            case AuthenticationException:
                return (ConnectionFailureKind.Tls, "TLS handshake failed: " + Innermost(error).Message);
            case WebSocketException { WebSocketErrorCode: WebSocketError.NotAWebSocket or WebSocketError.HeaderError or WebSocketError.UnsupportedProtocol }:
                return (ConnectionFailureKind.Handshake, error.Message);
        }

        if (SocketErrorOf(error) is { } socket)
        {
            return (KindOf(socket.SocketErrorCode), Describe(socket));
        }

        return error is WebSocketException
            ? (ConnectionFailureKind.Handshake, error.Message)
            : (ConnectionFailureKind.Network, $"{error.GetType().Name}: {error.Message}");
    }

    /// <summary>A receive that failed on an established connection (not a stall, not a stop).</summary>
    public static (ConnectionFailureKind Kind, string Cause) OfReceive(Exception error)
    {
        if (SocketErrorOf(error) is { } socket)
        {
            return (ConnectionFailureKind.Dropped, Describe(socket));
        }

        return error switch
        {
            WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely } =>
                (ConnectionFailureKind.Dropped, "the server closed the connection without a close frame"),
            WebSocketException { InnerException: IOException inner } => (ConnectionFailureKind.Dropped, inner.Message),
            WebSocketException => (ConnectionFailureKind.Protocol, "WebSocket protocol error: " + error.Message),
            _ => (ConnectionFailureKind.Dropped, error.Message),
        };
    }

    /// <summary><c>Connection refused [ConnectionRefused]</c>: the OS's text and the socket error's name.</summary>
    public static string Describe(SocketException error) =>
        string.Create(CultureInfo.InvariantCulture, $"{error.Message} [{error.SocketErrorCode}]");

    /// <summary>Printable excerpt of bytes a server sent (control and non-ASCII bytes as <c>\xNN</c>), at most 48 characters.</summary>
    public static string Excerpt(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder();
        foreach (var b in bytes)
        {
            if (text.Length >= 48)
            {
                text.Append('…');
                break;
            }

            if (b is >= 0x20 and < 0x7f)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return text.ToString();
    }

    private static ConnectionFailureKind KindOf(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ConnectionFailureKind.Refused,
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => ConnectionFailureKind.NameResolution,
        SocketError.TimedOut => ConnectionFailureKind.Timeout,
        _ => ConnectionFailureKind.Network,
    };

    private static SocketException? SocketErrorOf(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception error)
    {
        var e = error;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
