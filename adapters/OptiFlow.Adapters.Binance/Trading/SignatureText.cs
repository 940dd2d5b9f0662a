using System.Buffers;
using System.Buffers.Text;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>Writes raw signature bytes as ASCII text (lowercase hex or base64). Allocation-free, thread-safe.</summary>
internal static class SignatureText
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    public static int Base64Length(int byteCount) => ((byteCount + 2) / 3) * 4;

    public static void ThrowIfTooSmall(Span<byte> destination, int required)
    {
        if (destination.Length < required)
        {
            ThrowTooSmall(required);
        }
    }

    public static int WriteLowercaseHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        var hex = HexDigits;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            destination[2 * i] = hex[b >> 4];
            destination[(2 * i) + 1] = hex[b & 0xF];
        }

        return bytes.Length * 2;
    }

    public static int WriteBase64(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        var status = Base64.EncodeToUtf8(bytes, destination, out _, out var written);
        if (status != OperationStatus.Done)
        {
            ThrowTooSmall(Base64Length(bytes.Length));
        }

        return written;
    }

    private static void ThrowTooSmall(int required) =>
        throw new ArgumentException($"The signature output needs {required} bytes.");
}
