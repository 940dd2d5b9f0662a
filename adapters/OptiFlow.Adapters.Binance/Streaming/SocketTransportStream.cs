using System.Net.Sockets;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// The stream under a market-data WebSocket: a non-blocking socket read on the calling (receive) thread, which waits
/// for data in <see cref="Socket.Poll(int, SelectMode)"/> rather than in an asynchronous read. Every read therefore
/// completes synchronously, so the runtime's WebSocket never suspends, rents no pooled state machine on one thread
/// only to return it on an I/O thread, and allocates nothing per message.
/// </summary>
/// <remarks>
/// <para>Reads: one <c>recv</c> when data is waiting (no extra system call); otherwise <c>poll</c> in slices of at most
/// 100 ms (so <see cref="Abort"/> is noticed without relying on a wake-up from another thread) until the socket is
/// readable or <see cref="ReceiveTimeout"/> passes without a byte, which sets <see cref="TimedOut"/> and fails the read
/// with an <see cref="IOException"/>. Writes (pongs, close frames, client pings) send everything before returning.</para>
/// <para>One reading thread; writes may come from another thread (the WebSocket serialises its own sends). Allocation-
/// free per read and write; errors allocate their exception.</para>
/// </remarks>
internal sealed class SocketTransportStream : Stream
{
    private const int PollSliceMicroseconds = 100_000;

    private readonly Socket _socket;
    private volatile bool _closed;

    public SocketTransportStream(Socket socket, TimeSpan receiveTimeout)
    {
        _socket = socket;
        ReceiveTimeout = receiveTimeout;
    }

    /// <summary>No byte for this long fails the read and sets <see cref="TimedOut"/>.</summary>
    public TimeSpan ReceiveTimeout { get; }

    /// <summary>Whether a read failed because nothing arrived for <see cref="ReceiveTimeout"/>.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>Reads that found no data waiting and had to wait for it.</summary>
    public long WaitingReads { get; private set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Switches the connected socket to non-blocking reads (after the handshake, which runs blocking).</summary>
    public void StartNonBlocking() => _socket.Blocking = false;

    /// <summary>Closes the socket; a read in progress fails within one poll slice. Idempotent, any thread.</summary>
    public void Abort()
    {
        _closed = true;
        try
        {
            // Abortive close (RST), as ClientWebSocket.Abort does: the peer's pending sends fail at once instead of
            // filling the socket buffers of a connection nobody reads any more.
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected any more.
        }

        _socket.Dispose();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var received = _socket.Receive(buffer, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                return received;
            }

            if (error != SocketError.WouldBlock)
            {
                throw new IOException($"Receive failed: {error}.", new SocketException((int)error));
            }

            WaitingReads++;
            WaitReadable();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return new ValueTask<int>(Read(buffer.Span));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var sent = _socket.Send(buffer, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                buffer = buffer[sent..];
                continue;
            }

            if (error != SocketError.WouldBlock)
            {
                throw new IOException($"Send failed: {error}.", new SocketException((int)error));
            }

            _socket.Poll(PollSliceMicroseconds, SelectMode.SelectWrite);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            Write(buffer.Span);
            return default;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            return ValueTask.FromException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        // Nothing is buffered.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            Abort();
        }

        base.Dispose(disposing);
    }

    private void WaitReadable()
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var left = ReceiveTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                TimedOut = true;
                throw new IOException($"Nothing received for {ReceiveTimeout.TotalSeconds:0.#} s.");
            }

            var slice = (int)Math.Min(PollSliceMicroseconds, Math.Max(1, left.Ticks / 10));
            if (_socket.Poll(slice, SelectMode.SelectRead))
            {
                return;
            }
        }
    }
}
