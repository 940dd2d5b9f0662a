using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Model;

/// <summary>
/// The one place that frames a depth or snapshot message into <see cref="MarketEvent"/> slots (ARCHITECTURE
/// "Events": one slot per price level, nothing truncated): every slot is a copy of the message header plus one level,
/// <see cref="MarketEventFlags.BeginOfMessage"/> on level 0, <see cref="MarketEventFlags.EndOfMessage"/> on the last
/// level; a message without levels is one slot flagged begin, end and <see cref="MarketEventFlags.EmptyMessage"/>.
/// The producers (file and live), the simulator-free test feeds and the core's readers all rely on this framing.
/// </summary>
/// <remarks>
/// Levels come as three parallel spans (side, price, quantity; bids first as the decoder emits them), so the framer
/// knows nothing of the wire. Stateless: thread-safe. Allocation-free.
/// </remarks>
/// <example><code>
/// // producer thread: header decoded, levels in spans, ring claimed in chunks
/// if (DepthMessageFramer.PrepareHeader(ref header, levels.Count)) { /* publish the header alone */ }
/// else { DepthMessageFramer.Publish(ring, heldSequence: -1, in header, sides, prices, quantities, maxChunk); }
/// </code></example>
public static class DepthMessageFramer
{
    private const MarketEventFlags MessageFlags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage;

    /// <summary>Slots a message of <paramref name="levels"/> levels occupies: one per level, one for an empty message.</summary>
    /// <param name="levels">Levels in the message, 0 or more.</param>
    /// <returns>The slot count.</returns>
    public static int SlotCount(int levels) => Math.Max(1, levels);

    /// <summary>
    /// Prepares the header every slot of a message copies: sets its level count and message flags. An empty message
    /// becomes one slot flagged begin, end and empty, with no side, price or quantity; a message with levels has those
    /// flags cleared, for the level writes to set on its first and last slot.
    /// </summary>
    /// <param name="header">The decoded header, updated in place.</param>
    /// <param name="count">Levels in the message.</param>
    /// <returns>True when the message is empty (the header alone is its one slot).</returns>
    public static bool PrepareHeader(ref MarketEvent header, int count)
    {
        header.LevelCount = count;
        if (count == 0)
        {
            header.Flags |= MessageFlags;
            header.Side = BookSide.None;
            header.Price = 0;
            header.Quantity = 0;
            return true;
        }

        header.Flags &= ~MessageFlags;
        return false;
    }

    /// <summary>Writes level <paramref name="index"/> of a prepared message into <paramref name="slot"/>.</summary>
    /// <param name="slot">The destination slot.</param>
    /// <param name="header">The header prepared by <see cref="PrepareHeader"/> (non-empty message).</param>
    /// <param name="index">The level's index, 0 to <c>header.LevelCount − 1</c>.</param>
    /// <param name="side">Its side.</param>
    /// <param name="price">Its price, 10⁻⁸ units.</param>
    /// <param name="quantity">Its absolute quantity, 10⁻⁸ units (0 removes the level).</param>
    public static void WriteLevel(ref MarketEvent slot, in MarketEvent header, int index, BookSide side, long price, long quantity)
    {
        slot = header;
        slot.LevelIndex = index;
        slot.Side = side;
        slot.Price = price;
        slot.Quantity = quantity;
        if (index == 0)
        {
            slot.Flags |= MarketEventFlags.BeginOfMessage;
        }

        if (index == header.LevelCount - 1)
        {
            slot.Flags |= MarketEventFlags.EndOfMessage;
        }
    }

    /// <summary>
    /// Frames a whole message into <paramref name="destination"/> (cold paths and test feeds that hand slots to a core
    /// directly): prepares a copy of the header, then writes one slot per level, or the one empty slot.
    /// </summary>
    /// <param name="header">The message header (kind, symbol, ids, times); its flags other than the message flags are kept.</param>
    /// <param name="sides">Each level's side.</param>
    /// <param name="prices">Each level's price, 10⁻⁸ units.</param>
    /// <param name="quantities">Each level's quantity, 10⁻⁸ units.</param>
    /// <param name="destination">At least <see cref="SlotCount"/> slots.</param>
    /// <returns>Slots written.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or the destination is too short.</exception>
    public static int Frame(in MarketEvent header, ReadOnlySpan<BookSide> sides, ReadOnlySpan<long> prices, ReadOnlySpan<long> quantities, Span<MarketEvent> destination)
    {
        var count = sides.Length;
        if (prices.Length != count || quantities.Length != count)
        {
            throw new ArgumentException("sides, prices and quantities must have one entry per level.");
        }

        if (destination.Length < SlotCount(count))
        {
            throw new ArgumentException($"The destination holds {destination.Length} slots; the message needs {SlotCount(count)}.", nameof(destination));
        }

        var prepared = header;
        if (PrepareHeader(ref prepared, count))
        {
            destination[0] = prepared;
            return 1;
        }

        for (var i = 0; i < count; i++)
        {
            WriteLevel(ref destination[i], in prepared, i, sides[i], prices[i], quantities[i]);
        }

        return count;
    }

    /// <summary>
    /// Writes levels <c>firstIndex … firstIndex + (high − low)</c> into the claimed, unpublished slots
    /// <paramref name="low"/>…<paramref name="high"/>, then stamps every one with the same publish time.
    /// </summary>
    /// <param name="ring">The ring whose slots were claimed.</param>
    /// <param name="low">First claimed sequence.</param>
    /// <param name="high">Last claimed sequence.</param>
    /// <param name="header">The header prepared by <see cref="PrepareHeader"/> (non-empty message).</param>
    /// <param name="sides">Every level's side (the whole message).</param>
    /// <param name="prices">Every level's price.</param>
    /// <param name="quantities">Every level's quantity.</param>
    /// <param name="firstIndex">Index of the level that goes into <paramref name="low"/>.</param>
    /// <returns>The publish time stamped, monotonic ns (read after the slots were written).</returns>
    /// <remarks>Producer thread only. Allocation-free.</remarks>
    public static long Write(
        RingBuffer<MarketEvent> ring, long low, long high, in MarketEvent header, ReadOnlySpan<BookSide> sides, ReadOnlySpan<long> prices, ReadOnlySpan<long> quantities, int firstIndex)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var index = firstIndex;
        for (var sequence = low; sequence <= high; sequence++, index++)
        {
            WriteLevel(ref ring[sequence], in header, index, sides[index], prices[index], quantities[index]);
        }

        var now = MonotonicClock.NowNs;
        for (var sequence = low; sequence <= high; sequence++)
        {
            ring[sequence].PublishTimestampNs = now;
        }

        return now;
    }

    /// <summary>
    /// Publishes a prepared, non-empty message on <paramref name="ring"/>: level 0 into <paramref name="heldSequence"/>
    /// when the caller holds a claimed slot (a single producer decoding in place), the rest in claims of at most
    /// <paramref name="maxChunk"/> slots, each chunk published as soon as it is written.
    /// </summary>
    /// <param name="ring">The inbound ring.</param>
    /// <param name="heldSequence">A claimed, unpublished slot for level 0, or -1 to claim every slot.</param>
    /// <param name="header">The header prepared by <see cref="PrepareHeader"/>.</param>
    /// <param name="sides">Every level's side.</param>
    /// <param name="prices">Every level's price.</param>
    /// <param name="quantities">Every level's quantity.</param>
    /// <param name="maxChunk">Largest claim, at least 1 (half the ring keeps a message from needing the whole ring).</param>
    /// <returns>The publish time of the last chunk, monotonic ns.</returns>
    /// <remarks>Producer thread only. Waits while the ring is full (the ring's policy). Allocation-free.</remarks>
    public static long Publish(
        RingBuffer<MarketEvent> ring, long heldSequence, in MarketEvent header, ReadOnlySpan<BookSide> sides, ReadOnlySpan<long> prices, ReadOnlySpan<long> quantities, int maxChunk)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var count = header.LevelCount;
        var index = 0;
        long now = 0;
        long low;
        long high;
        if (heldSequence >= 0)
        {
            low = high = heldSequence;
        }
        else
        {
            var chunk = Math.Min(count, maxChunk);
            high = ring.Next(chunk);
            low = high - chunk + 1;
        }

        while (true)
        {
            now = Write(ring, low, high, in header, sides, prices, quantities, index);
            index += (int)(high - low + 1);
            ring.Publish(low, high);
            if (index == count)
            {
                return now;
            }

            var chunk = Math.Min(count - index, maxChunk);
            high = ring.Next(chunk);
            low = high - chunk + 1;
        }
    }
}
