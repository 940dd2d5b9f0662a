using System.Globalization;
using System.Text;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Output;

/// <summary>
/// Builds UTF-8 output lines in a reused buffer and writes them to a stream: no string per line, no allocation per
/// line once the buffer has grown to the longest line.
/// </summary>
/// <remarks>
/// Not thread-safe: one writer thread at a time (a printer's consumer thread, then the controlling thread after it was
/// joined). Does not own the stream: <see cref="Dispose"/> flushes and leaves it open. A write error of the stream
/// (<see cref="IOException"/>: a full disk, a closed pipe, <c>/dev/full</c>) is not thrown on the writer's thread (a
/// printer runs on a consumer thread, where a throw would only be counted): it is kept in <see cref="Failure"/>, the
/// rest of the output is discarded, and the owner checks it with <see cref="ThrowIfFailed"/> when the session ends.
/// </remarks>
/// <param name="output">Where lines go.</param>
public sealed class Utf8OutputBuffer(Stream output) : IDisposable
{
    private readonly Stream _output = output;
    private byte[] _buffer = new byte[1 << 16];
    private int _length;

    /// <summary>Appends ASCII text.</summary>
    /// <param name="text">The text (ASCII only).</param>
    public void Ascii(string text)
    {
        Ensure(text.Length);
        _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
    }

    /// <summary>Appends one byte.</summary>
    /// <param name="b">The byte.</param>
    public void Byte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    /// <summary>Appends bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends an integer in invariant decimal.</summary>
    /// <param name="value">The value.</param>
    public void Integer(long value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Appends a fixed-point value (10⁻⁸ units) as its exact decimal string.</summary>
    /// <param name="units">The value in 10⁻⁸ units.</param>
    public void Fixed(long units)
    {
        Ensure(FixedPoint.MaxFormattedLength);
        _length += FixedPoint.Format(units, _buffer.AsSpan(_length));
    }

    /// <summary>Appends half of a fixed-point value exactly (a mid from bid + ask).</summary>
    /// <param name="doubledUnits">Twice the value, in 10⁻⁸ units.</param>
    public void FixedHalf(long doubledUnits)
    {
        Ensure(FixedPoint.MaxFormattedLength + 1);
        _length += FixedPoint.FormatHalf(doubledUnits, _buffer.AsSpan(_length));
    }

    /// <summary>Shortest text that round-trips the double ("R"): 17 significant digits at most, all that are needed.</summary>
    /// <param name="value">The value.</param>
    public void Ratio(double value)
    {
        Ensure(32);
        value.TryFormat(_buffer.AsSpan(_length), out var written, "R", CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Ends the line; writes the buffer out when it is nearly full.</summary>
    public void EndLine()
    {
        Byte((byte)'\n');
        if (_length > _buffer.Length - 4096)
        {
            Flush();
        }
    }

    /// <summary>Writes everything buffered to the stream and flushes it; a failure is kept in <see cref="Failure"/>.</summary>
    public void Flush()
    {
        WriteOut();
        if (Failure is null)
        {
            try
            {
                _output.Flush();
            }
            catch (IOException e)
            {
                Failure = e;
            }
        }
    }

    /// <summary>The first write error of the stream, or null: after it, output is discarded.</summary>
    public IOException? Failure { get; private set; }

    /// <summary>Throws when the stream failed (<see cref="Failure"/>): the output is incomplete.</summary>
    /// <param name="what">What the output was, for the message (e.g. <c>standard output</c> or a path).</param>
    /// <exception cref="IOException">The stream failed; the message names <paramref name="what"/> and the OS error.</exception>
    public void ThrowIfFailed(string what)
    {
        if (Failure is { } failure)
        {
            throw new IOException($"cannot write {what}: {failure.Message}", failure);
        }
    }

    /// <summary>Flushes (<see cref="Flush"/>); the stream stays open.</summary>
    public void Dispose() => Flush();

    private void Ensure(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            if (_length > 0)
            {
                WriteOut();
            }

            if (bytes > _buffer.Length)
            {
                _buffer = new byte[Math.Max(bytes, _buffer.Length * 2)];
            }
        }
    }

    private void WriteOut()
    {
        if (Failure is null && _length > 0)
        {
            try
            {
                _output.Write(_buffer, 0, _length);
            }
            catch (IOException e)
            {
                Failure = e;
            }
        }

        _length = 0;
    }
}
