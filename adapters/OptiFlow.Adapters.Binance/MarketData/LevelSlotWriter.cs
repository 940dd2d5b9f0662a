using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.MarketData;

/// <summary>
/// Fans a decoded depth or snapshot message out into claimed ring slots, one level per slot: each slot is a copy of
/// the message header plus its level, with <see cref="MarketEventFlags.BeginOfMessage"/> on level 0 and
/// <see cref="MarketEventFlags.EndOfMessage"/> on the last level. Shared by the recorded-file and live publishers.
/// </summary>
/// <remarks>Producer thread only (the slots must be claimed by the caller and not yet published); allocation-free.</remarks>
public static class LevelSlotWriter
{
    /// <summary>
    /// Writes levels <c>firstIndex … firstIndex + (high − low)</c> of <paramref name="levels"/> into slots
    /// <paramref name="low"/>…<paramref name="high"/>, then stamps every one of them with the same publish time.
    /// </summary>
    /// <param name="ring">The ring whose slots were claimed.</param>
    /// <param name="low">First claimed sequence.</param>
    /// <param name="high">Last claimed sequence.</param>
    /// <param name="header">The message header (kind, symbol, ids, times, <see cref="MarketEvent.LevelCount"/>) with no
    /// Begin/End/Empty flag set.</param>
    /// <param name="levels">The message's levels, bids first; its <see cref="DepthLevelBuffer.Count"/> is the level count.</param>
    /// <param name="firstIndex">Index of the level that goes into <paramref name="low"/>.</param>
    /// <returns>The publish time stamped, monotonic ns (read after the slots were written).</returns>
    public static long Write(RingBuffer<MarketEvent> ring, long low, long high, in MarketEvent header, DepthLevelBuffer levels, int firstIndex)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(levels);
        var prices = levels.Prices;
        var quantities = levels.Quantities;
        var sides = levels.Sides;
        var last = levels.Count - 1;
        var index = firstIndex;
        for (var sequence = low; sequence <= high; sequence++, index++)
        {
            ref var slot = ref ring[sequence];
            slot = header;
            slot.LevelIndex = index;
            slot.Side = sides[index];
            slot.Price = prices[index];
            slot.Quantity = quantities[index];
            if (index == 0)
            {
                slot.Flags |= MarketEventFlags.BeginOfMessage;
            }

            if (index == last)
            {
                slot.Flags |= MarketEventFlags.EndOfMessage;
            }
        }

        var now = MonotonicClock.NowNs;
        for (var sequence = low; sequence <= high; sequence++)
        {
            ring[sequence].PublishTimestampNs = now;
        }

        return now;
    }

    /// <summary>
    /// Prepares the header every slot of a depth or snapshot message copies: sets its level count and message flags.
    /// A message without levels becomes one slot flagged begin, end and empty, with no side, price or quantity; a
    /// message with levels has those flags cleared, for <see cref="Write"/> to set on its first and last slot.
    /// </summary>
    /// <param name="header">The decoded header, updated in place.</param>
    /// <param name="count">Levels in the message.</param>
    /// <returns>True when the message is empty (publish the header alone).</returns>
    /// <remarks>Allocation-free; touches only <paramref name="header"/>.</remarks>
    public static bool PrepareHeader(ref MarketEvent header, int count)
    {
        header.LevelCount = count;
        if (count == 0)
        {
            header.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage;
            header.Side = BookSide.None;
            header.Price = 0;
            header.Quantity = 0;
            return true;
        }

        header.Flags &= ~(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage);
        return false;
    }
}
