using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>
/// A hostile loopback server the test starts itself: a raw TCP listener on 127.0.0.1 (ephemeral port) that hands each
/// accepted connection to one behaviour (accept and close, speak garbage, answer HTTP 200 without upgrading, upgrade
/// and then stay silent, upgrade and then send a frame announcing 2^62 bytes, or endless fragments). Everything is
/// bounded: each connection sends at most <see cref="SendCap"/> bytes and ends when the test disposes the server.
/// </summary>
/// <remarks>It also reads what the client sends after the upgrade (masked frames, RFC 6455 §5.3) and records the status
/// code of every close frame (<see cref="CloseCodes"/>), and the largest number of bytes it sent on one connection.</remarks>
internal sealed class RawLoopbackServer : IAsyncDisposable
{
    /// <summary>The most any connection sends: far above the client's default bound (4 MiB), far below trouble.</summary>
    public const long SendCap = 64L << 20;

    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly TcpListener _listener;
    private readonly Behaviour _behaviour;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;
    private long _maxSent;
    private int _accepted;
    private int _upgraded;

    private RawLoopbackServer(Behaviour behaviour)
    {
        _behaviour = behaviour;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public enum Behaviour
    {
        /// <summary>Accepts the TCP connection and closes it at once.</summary>
        AcceptAndClose,

        /// <summary>Reads the upgrade request, answers with bytes that are not HTTP, closes.</summary>
        Garbage,

        /// <summary>An HTTP server that is not a WebSocket: answers the upgrade request with 200 OK and a body.</summary>
        HttpOkWithoutUpgrade,

        /// <summary>Completes the upgrade, then sends nothing.</summary>
        SilentWebSocket,

        /// <summary>Completes the upgrade, then one binary frame header announcing 2^62 bytes, then zeros.</summary>
        HugeFrame,

        /// <summary>Completes the upgrade, then a message in 64 KiB fragments that never ends (no FIN).</summary>
        EndlessFragments,
    }

    public int Port { get; }

    /// <summary><c>ws://127.0.0.1:PORT</c>.</summary>
    public string Endpoint => $"ws://127.0.0.1:{Port}";

    /// <summary>TCP connections accepted.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>WebSocket upgrades answered with 101 (REST requests, e.g. the client's snapshot fetches, are not counted).</summary>
    public int Upgraded => Volatile.Read(ref _upgraded);

    /// <summary>Status codes of the close frames the client sent and the server read before the connection was reset
    /// (a client that stops reading a flood closes with an abort, which may discard its close frame in flight).</summary>
    public ConcurrentQueue<int> CloseCodes { get; } = new();

    /// <summary>
    /// <see cref="CloseCodes"/> once it holds <paramref name="count"/> codes, or as it is after 10 s: the client may finish
    /// (and a test assert) before this server's reader, on the thread pool, has read the last close frame.
    /// </summary>
    public int[] CloseCodesOnceThereAre(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (CloseCodes.Count < count && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        return [.. CloseCodes];
    }

    /// <summary>The most bytes sent on one connection.</summary>
    public long MaxBytesSentOnOneConnection => Interlocked.Read(ref _maxSent);

    public static RawLoopbackServer Start(Behaviour behaviour) => new(behaviour);

    /// <summary>A port nothing listens on: bound, read, closed.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        listener.Dispose();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
            await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or TimeoutException or ObjectDisposedException)
        {
            // Bounded: a connection that does not end in time is abandoned (its socket is closed below).
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _connections.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var token = _stop.Token;
        try
        {
            if (_behaviour == Behaviour.AcceptAndClose)
            {
                return;
            }

            var request = await ReadRequestAsync(socket, token);
            if (request is null)
            {
                return;
            }

            var key = HeaderValue(request, "Sec-WebSocket-Key");
            switch (_behaviour)
            {
                case Behaviour.Garbage:
                    await socket.SendAsync("\u0016\u0003\u0001garbage, not HTTP at all \u00ff\u00fe"u8.ToArray(), token);
                    return;
                case Behaviour.HttpOkWithoutUpgrade:
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nhello, world\n"), token);
                    return;
            }

            if (key is null)
            {
                // A REST request (the client's snapshot fetch): not served here.
                await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), token);
                return;
            }

#pragma warning disable CA5350 // RFC 6455's accept key is SHA-1 by definition.
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
            await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"), token);
            Interlocked.Increment(ref _upgraded);
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(token);
            var reading = ReadClientFramesAsync(socket, connection.Token);
            try
            {
                switch (_behaviour)
                {
                    case Behaviour.SilentWebSocket:
                        await reading;
                        return;
                    case Behaviour.HugeFrame:
                        var header = new byte[10];
                        header[0] = 0x82; // FIN + binary
                        header[1] = 127;  // 64-bit length follows
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), 1UL << 62);
                        await SendUntilClosedAsync(socket, header, (chunk, _) => chunk, connection.Token);
                        break;
                    case Behaviour.EndlessFragments:
                        // First fragment: text opcode without FIN; then continuation frames without FIN, each 64 KiB of 'a'.
                        await SendUntilClosedAsync(socket, [], (chunk, index) => Fragment(index == 0 ? (byte)0x01 : (byte)0x00, chunk.Length), connection.Token);
                        break;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // The client stopped reading and reset the connection: what it sent before is still to be read below.
            }

            // Let the reader take the client's close frame (already queued) before the socket is disposed.
            await reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await connection.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The client went away or the test ended.
        }
    }

    /// <summary>Sends <paramref name="first"/>, then 64 KiB chunks (shaped by <paramref name="frame"/>) until the client
    /// closes or resets, or <see cref="SendCap"/> is reached; records the bytes sent.</summary>
    private async Task SendUntilClosedAsync(Socket socket, byte[] first, Func<byte[], int, byte[]> frame, CancellationToken token)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        long sent = 0;
        try
        {
            if (first.Length > 0)
            {
                sent += await socket.SendAsync(first, token);
            }

            for (var i = 0; sent < SendCap && !token.IsCancellationRequested; i++)
            {
                var bytes = frame(chunk, i);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                sent += await socket.SendAsync(bytes, timeout.Token);
            }
        }
        finally
        {
            var max = Interlocked.Read(ref _maxSent);
            while (sent > max && Interlocked.CompareExchange(ref _maxSent, sent, max) != max)
            {
                max = Interlocked.Read(ref _maxSent);
            }
        }
    }

    private static byte[] Fragment(byte opcode, int length)
    {
        var frame = new byte[10 + length];
        frame[0] = opcode; // no FIN
        frame[1] = 127;    // 64-bit length follows
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)length);
        frame.AsSpan(10).Fill((byte)'a');
        return frame;
    }

    /// <summary>Reads the client's frames (masked) until the connection ends; records close codes.</summary>
    private async Task ReadClientFramesAsync(Socket socket, CancellationToken token)
    {
        var header = new byte[14];
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (!await ReadExactlyAsync(socket, header.AsMemory(0, 2), token))
                {
                    return;
                }

                var opcode = header[0] & 0x0f;
                long length = header[1] & 0x7f;
                if (length == 126)
                {
                    if (!await ReadExactlyAsync(socket, header.AsMemory(2, 2), token))
                    {
                        return;
                    }

                    length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                }
                else if (length == 127)
                {
                    if (!await ReadExactlyAsync(socket, header.AsMemory(2, 8), token))
                    {
                        return;
                    }

                    length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(2));
                }

                var mask = new byte[4];
                if ((header[1] & 0x80) != 0 && !await ReadExactlyAsync(socket, mask, token))
                {
                    return;
                }

                if (length > 1 << 20)
                {
                    return;
                }

                var payload = new byte[length];
                if (!await ReadExactlyAsync(socket, payload, token))
                {
                    return;
                }

                for (var i = 0; i < payload.Length; i++)
                {
                    payload[i] ^= mask[i % 4];
                }

                if (opcode == 0x8)
                {
                    CloseCodes.Enqueue(payload.Length >= 2 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Connection over.
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken token)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], token);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static async Task<string?> ReadRequestAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (length < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (n == 0)
            {
                return null;
            }

            length += n;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }

        return null;
    }

    private static string? HeaderValue(string request, string name)
    {
        foreach (var line in request.Split("\r\n"))
        {
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(name.Length + 1)..].Trim();
            }
        }

        return null;
    }
}
