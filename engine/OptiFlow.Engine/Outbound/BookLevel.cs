using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Outbound;

/// <summary>
/// One level of a book view published for printers (<see cref="OutboundEventKind.BookLevel"/>): the top
/// <see cref="LevelCount"/> levels of one symbol's book right after an applied depth message, bids best first, then
/// asks best first, one slot per level, framed like a depth message (<see cref="MarketEventFlags.BeginOfMessage"/> on
/// the first, <see cref="MarketEventFlags.EndOfMessage"/> on the last; an empty view is one slot with both and
/// <see cref="MarketEventFlags.EmptyMessage"/>).
/// </summary>
/// <remarks>Prices and quantities in 10⁻⁸ units. Not journaled (output, not a decision). Plain data, 64 bytes.</remarks>
[StructLayout(LayoutKind.Sequential)]
public struct BookLevel
{
    /// <summary>Applied depth messages of this symbol so far (the <see cref="Evaluators.SignalEvent.Applied"/> it follows).</summary>
    public long Applied;

    /// <summary>Final update id <c>u</c> of the applied message.</summary>
    public long FinalUpdateId;

    /// <summary>Event time <c>E</c> of the applied message, ms since the Unix epoch.</summary>
    public long EventTimeMs;

    /// <summary>Price, 10⁻⁸ units (0 in an empty view).</summary>
    public long Price;

    /// <summary>Quantity, 10⁻⁸ units (0 in an empty view).</summary>
    public long Quantity;

    /// <summary>The symbol.</summary>
    public int SymbolId;

    /// <summary>Index of this level in the view, 0-based: bids first, then asks.</summary>
    public int LevelIndex;

    /// <summary>Levels in the view (bids + asks).</summary>
    public int LevelCount;

    /// <summary>Bid levels in the view (the first <see cref="BidCount"/> levels are bids).</summary>
    public int BidCount;

    /// <summary>Bid or ask (<see cref="BookSide.None"/> in an empty view).</summary>
    public BookSide Side;

    /// <summary>Begin/end/empty flags (only those three).</summary>
    public MarketEventFlags Flags;

    /// <summary>Padding to 64 bytes.</summary>
    public short Reserved;

    /// <summary>Padding to 64 bytes.</summary>
    public int Reserved2;
}
