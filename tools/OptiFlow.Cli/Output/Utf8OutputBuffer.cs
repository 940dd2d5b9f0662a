using System.Globalization;
using System.Text;
using OptiFlow.Engine.Model;

namespace OptiFlow.Cli.Output;

/// <summary>
/// Builds UTF-8 output lines in a reused buffer and writes them to a stream: no string per line, no allocation per
/// line once the buffer has grown to the longest line.
/// </summary>
internal sealed class Utf8OutputBuffer(Stream output) : IDisposable
{
    private readonly Stream _output = output;
    private byte[] _buffer = new byte[1 << 16];
    private int _length;

    public void Ascii(string text)
    {
        Ensure(text.Length);
        _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void Byte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Integer(long value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    public void Fixed(long units)
    {
        Ensure(FixedPoint.MaxFormattedLength);
        _length += FixedPoint.Format(units, _buffer.AsSpan(_length));
    }

    public void FixedHalf(long doubledUnits)
    {
        Ensure(FixedPoint.MaxFormattedLength + 1);
        _length += FixedPoint.FormatHalf(doubledUnits, _buffer.AsSpan(_length));
    }

    /// <summary>Shortest text that round-trips the double ("R"): 17 significant digits at most, all that are needed.</summary>
    public void Ratio(double value)
    {
        Ensure(32);
        value.TryFormat(_buffer.AsSpan(_length), out var written, "R", CultureInfo.InvariantCulture);
        _length += written;
    }

    public void EndLine()
    {
        Byte((byte)'\n');
        if (_length > _buffer.Length - 4096)
        {
            Flush();
        }
    }

    public void Flush()
    {
        _output.Write(_buffer, 0, _length);
        _length = 0;
        _output.Flush();
    }

    public void Dispose() => Flush();

    private void Ensure(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            if (_length > 0)
            {
                _output.Write(_buffer, 0, _length);
                _length = 0;
            }

            if (bytes > _buffer.Length)
            {
                _buffer = new byte[Math.Max(bytes, _buffer.Length * 2)];
            }
        }
    }
}
