using System.Buffers;
using System.Globalization;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>Writes the REST depth snapshot body the simulator serves for a <see cref="VenueBook"/>.</summary>
/// <remarks>
/// <para>Shape (binance.md §3.3): spot <c>{"lastUpdateId":N,"bids":[["p","q"],…],"asks":[…]}</c>; futures add
/// <c>"E":t,"T":t</c> after <c>lastUpdateId</c>, both the <c>E</c> of the last applied diff (0 before any). Levels are
/// best first (bids by descending, asks by ascending price), prices and quantities as canonical decimal strings
/// (<see cref="FixedPoint.Format"/>); no whitespace.</para>
/// <para>Thread-safe (no state). Allocates the body and an enumerator per side.</para>
/// </remarks>
internal static class DepthSnapshotEncoder
{
    /// <summary>Encodes the book as served now: <c>lastUpdateId</c> is <see cref="VenueBook.LastUpdateId"/>.</summary>
    /// <param name="book">The book; the caller checks it is known.</param>
    /// <param name="limit">Levels per side, best first; 0 (or less) for all.</param>
    /// <returns>The UTF-8 JSON body.</returns>
    public static byte[] Encode(VenueBook book, int limit)
    {
        ArgumentNullException.ThrowIfNull(book);
        var body = new ArrayBufferWriter<byte>(64 * 1024);
        Write(body, "{\"lastUpdateId\":"u8);
        WriteInteger(body, book.LastUpdateId);
        if (book.Market == Market.Futures)
        {
            Write(body, ",\"E\":"u8);
            WriteInteger(body, book.LastAppliedEventTimeMs);
            Write(body, ",\"T\":"u8);
            WriteInteger(body, book.LastAppliedEventTimeMs);
        }

        Write(body, ",\"bids\":"u8);
        WriteSide(body, book.Bids, limit);
        Write(body, ",\"asks\":"u8);
        WriteSide(body, book.Asks, limit);
        Write(body, "}"u8);
        return body.WrittenSpan.ToArray();
    }

    private static void WriteSide(ArrayBufferWriter<byte> body, VenueBookSide side, int limit)
    {
        var remaining = limit > 0 ? limit : int.MaxValue;
        Write(body, "["u8);
        var first = true;
        foreach (var (price, quantity) in side.BestFirst)
        {
            if (remaining-- == 0)
            {
                break;
            }

            Write(body, first ? "[\""u8 : ",[\""u8);
            WriteDecimal(body, price);
            Write(body, "\",\""u8);
            WriteDecimal(body, quantity);
            Write(body, "\"]"u8);
            first = false;
        }

        Write(body, "]"u8);
    }

    private static void Write(ArrayBufferWriter<byte> body, ReadOnlySpan<byte> text) => body.Write(text);

    private static void WriteDecimal(ArrayBufferWriter<byte> body, long units)
    {
        var span = body.GetSpan(FixedPoint.MaxFormattedLength);
        body.Advance(FixedPoint.Format(units, span));
    }

    private static void WriteInteger(ArrayBufferWriter<byte> body, long value)
    {
        var span = body.GetSpan(20);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A 64-bit integer needs at most 20 bytes.");
        }

        body.Advance(written);
    }
}
