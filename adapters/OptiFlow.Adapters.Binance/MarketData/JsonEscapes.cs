using System.Runtime.CompilerServices;

namespace OptiFlow.Adapters.Binance.MarketData;

/// <summary>
/// JSON string escapes (RFC 8259 §7): validation while scanning, and unescaping into a caller's buffer. Cold path:
/// Binance never escapes the values the decoder reads, so this runs only when a backslash is present.
/// </summary>
/// <remarks>Stateless; thread-safe; allocation-free; never throws.</remarks>
internal static class JsonEscapes
{
    /// <summary>
    /// Length of the escape sequence starting at the backslash at <paramref name="pos"/> (2, or 6 for <c>\uXXXX</c>),
    /// 0 when it is invalid, -1 when the input ends inside it.
    /// </summary>
    public static int SequenceLength(ReadOnlySpan<byte> json, int pos)
    {
        if (pos + 1 >= json.Length)
        {
            return -1;
        }

        switch (json[pos + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return 2;
            case (byte)'u':
                for (var i = pos + 2; i < pos + 6; i++)
                {
                    if (i >= json.Length)
                    {
                        return -1;
                    }

                    if (!IsHex(json[i]))
                    {
                        return 0;
                    }
                }

                return 6;
            default:
                return 0;
        }
    }

    /// <summary>Unescapes string content (without its quotes) into <paramref name="destination"/>.</summary>
    /// <returns>Bytes written, or -1 when an escape is invalid (a lone surrogate included) or the destination is too small.</returns>
    public static int Unescape(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < source.Length;)
        {
            var c = source[i];
            if (c != (byte)'\\')
            {
                if (written >= destination.Length)
                {
                    return -1;
                }

                destination[written++] = c;
                i++;
                continue;
            }

            var length = SequenceLength(source, i);
            if (length <= 0)
            {
                return -1;
            }

            if (length == 2)
            {
                if (written >= destination.Length)
                {
                    return -1;
                }

                destination[written++] = source[i + 1] switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    var other => other,
                };
                i += 2;
                continue;
            }

            int codePoint = Hex4(source.Slice(i + 2, 4));
            i += 6;
            if (codePoint is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 6 > source.Length || source[i] != (byte)'\\' || SequenceLength(source, i) != 6)
                {
                    return -1;
                }

                var low = Hex4(source.Slice(i + 2, 4));
                if (low is < 0xDC00 or > 0xDFFF)
                {
                    return -1;
                }

                codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
                i += 6;
            }
            else if (codePoint is >= 0xDC00 and <= 0xDFFF)
            {
                return -1;
            }

            var n = new Rune(codePoint).EncodeToUtf8(destination[Math.Min(written, destination.Length)..]);
            if (n == 0)
            {
                return -1;
            }

            written += n;
        }

        return written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsHex(byte c) => (uint)(c - '0') <= 9 || (uint)((c | 0x20) - 'a') <= 5;

    private static int Hex4(ReadOnlySpan<byte> hex)
    {
        var value = 0;
        foreach (var c in hex)
        {
            value = (value << 4) | ((uint)(c - '0') <= 9 ? c - '0' : (c | 0x20) - 'a' + 10);
        }

        return value;
    }

    private readonly struct Rune(int value)
    {
        public int EncodeToUtf8(Span<byte> destination) =>
            new System.Text.Rune(value).TryEncodeToUtf8(destination, out var written) ? written : 0;
    }
}
