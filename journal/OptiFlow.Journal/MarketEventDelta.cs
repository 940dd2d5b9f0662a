using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OptiFlow.Engine.Model;

namespace OptiFlow.Journal;

/// <summary>
/// The word-level delta of a <see cref="JournalRecordType.MarketEventDelta"/> record: which of a
/// <see cref="MarketEvent"/>'s sixteen 8-byte words differ from its base (the market event before it in the segment),
/// and how a reader puts them back.
/// </summary>
/// <remarks>
/// <para>
/// Word <c>i</c> is bytes <c>8i … 8i + 7</c> of the 128-byte event (<see cref="MarketEventDescriptor"/>); the mask has
/// bit <c>i</c> set when word <c>i</c> is in the payload, and the payload holds those words in ascending order. The
/// levels of one depth message share their header words (timestamps, <c>E</c>, <c>T</c>, <c>U</c>/<c>u</c>/<c>pu</c>,
/// source line), so a level usually carries 3 words: kind/flags/side, price and quantity, level index.
/// </para>
/// <para>Pure functions: thread-safe, allocation-free, never throw (a caller checks lengths against the mask first).</para>
/// </remarks>
internal static unsafe class MarketEventDelta
{
    /// <summary>Words in a <see cref="MarketEvent"/>: 128 bytes / 8.</summary>
    public const int WordCount = MarketEventDescriptor.Size / sizeof(ulong);

    /// <summary>The mask with every word set: a delta that carries the whole event.</summary>
    public const ushort AllWords = 0xFFFF;

    /// <summary>The mask of the words in which <paramref name="e"/> differs from <paramref name="baseEvent"/>.</summary>
    /// <param name="e">The event to write.</param>
    /// <param name="baseEvent">Its base: the market event before it in the segment.</param>
    /// <returns>Bit <c>i</c> set when word <c>i</c> differs.</returns>
    /// <remarks>Four 32-byte compares where the CPU has them (AVX2); the same result element-wise elsewhere.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ChangedWords(in MarketEvent e, in MarketEvent baseEvent)
    {
        ref var a = ref Unsafe.As<MarketEvent, ulong>(ref Unsafe.AsRef(in e));
        ref var b = ref Unsafe.As<MarketEvent, ulong>(ref Unsafe.AsRef(in baseEvent));
        var same = Vector256.Equals(Vector256.LoadUnsafe(ref a), Vector256.LoadUnsafe(ref b)).ExtractMostSignificantBits()
            | (Vector256.Equals(Vector256.LoadUnsafe(ref a, 4), Vector256.LoadUnsafe(ref b, 4)).ExtractMostSignificantBits() << 4)
            | (Vector256.Equals(Vector256.LoadUnsafe(ref a, 8), Vector256.LoadUnsafe(ref b, 8)).ExtractMostSignificantBits() << 8)
            | (Vector256.Equals(Vector256.LoadUnsafe(ref a, 12), Vector256.LoadUnsafe(ref b, 12)).ExtractMostSignificantBits() << 12);
        return (ushort)~same;
    }

    /// <summary>Payload bytes of a delta with this mask: 8 per word.</summary>
    /// <param name="words">The mask.</param>
    /// <returns>8 × popcount(mask), 0 to 128.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PayloadLength(ushort words) => BitOperations.PopCount(words) * sizeof(ulong);

    /// <summary>Writes the words of <paramref name="e"/> that <paramref name="words"/> names to <paramref name="payload"/>, in ascending order, and returns the running CRC-32C over them.</summary>
    /// <param name="e">The event.</param>
    /// <param name="words">The mask (<see cref="ChangedWords"/>).</param>
    /// <param name="payload">Where the payload goes: <see cref="PayloadLength"/> bytes, 8-aligned.</param>
    /// <param name="crc">The CRC-32C state before the payload (the record head's).</param>
    /// <returns>The state after the payload (not yet inverted).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Write(in MarketEvent e, ushort words, ulong* payload, uint crc)
    {
        ref var source = ref Unsafe.As<MarketEvent, ulong>(ref Unsafe.AsRef(in e));
        uint mask = words;
        while (mask != 0)
        {
            var word = Unsafe.Add(ref source, BitOperations.TrailingZeroCount(mask));
            *payload++ = word;
            crc = BitOperations.Crc32C(crc, word);
            mask &= mask - 1;
        }

        return crc;
    }

    /// <summary>Puts the payload's words into <paramref name="baseEvent"/>, which then holds the delta's event.</summary>
    /// <param name="baseEvent">The base event's 128 bytes, 8-aligned; overwritten word by word.</param>
    /// <param name="words">The frame's mask.</param>
    /// <param name="payload">The payload: 8 × popcount(<paramref name="words"/>) bytes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(byte* baseEvent, ushort words, byte* payload)
    {
        var target = (ulong*)baseEvent;
        var source = (ulong*)payload;
        uint mask = words;
        while (mask != 0)
        {
            target[BitOperations.TrailingZeroCount(mask)] = *source++;
            mask &= mask - 1;
        }
    }
}
