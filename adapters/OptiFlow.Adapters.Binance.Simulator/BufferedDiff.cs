using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// A recorded diff-depth message the simulator holds while a symbol's book is unknown (before its first recorded
/// snapshot, or after a break in the recording), to apply once a snapshot seeds the book.
/// </summary>
/// <remarks>Immutable after construction. Allocates its three level arrays (a copy of the decoder's buffer).</remarks>
internal sealed class BufferedDiff
{
    /// <summary>Copies a decoded diff.</summary>
    /// <param name="firstUpdateId"><c>U</c>.</param>
    /// <param name="finalUpdateId"><c>u</c>.</param>
    /// <param name="previousFinalUpdateId"><c>pu</c> (futures; 0 on spot).</param>
    /// <param name="eventTimeMs"><c>E</c>, ms since the Unix epoch.</param>
    /// <param name="sides">Level sides, bids first.</param>
    /// <param name="prices">Level prices, 10⁻⁸ units.</param>
    /// <param name="quantities">Absolute level quantities, 10⁻⁸ units; 0 removes.</param>
    public BufferedDiff(
        long firstUpdateId,
        long finalUpdateId,
        long previousFinalUpdateId,
        long eventTimeMs,
        ReadOnlySpan<BookSide> sides,
        ReadOnlySpan<long> prices,
        ReadOnlySpan<long> quantities)
    {
        FirstUpdateId = firstUpdateId;
        FinalUpdateId = finalUpdateId;
        PreviousFinalUpdateId = previousFinalUpdateId;
        EventTimeMs = eventTimeMs;
        Sides = sides.ToArray();
        Prices = prices.ToArray();
        Quantities = quantities.ToArray();
    }

    /// <summary><c>U</c>: first update id in the message.</summary>
    public long FirstUpdateId { get; }

    /// <summary><c>u</c>: final update id in the message.</summary>
    public long FinalUpdateId { get; }

    /// <summary><c>pu</c>: the previous message's <c>u</c> (futures).</summary>
    public long PreviousFinalUpdateId { get; }

    /// <summary><c>E</c>, ms since the Unix epoch.</summary>
    public long EventTimeMs { get; }

    /// <summary>Level sides (as in <see cref="DepthLevelBuffer.Sides"/>).</summary>
    public BookSide[] Sides { get; }

    /// <summary>Level prices, 10⁻⁸ units.</summary>
    public long[] Prices { get; }

    /// <summary>Absolute level quantities, 10⁻⁸ units.</summary>
    public long[] Quantities { get; }
}
