using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting;

/// <summary>One symbol's book at the end of a session or replay: sync state, counts and top of book.</summary>
/// <param name="Symbol">The symbol's name, e.g. <c>BTCUSDT</c>.</param>
/// <param name="SymbolId">Its id in the session's symbol table.</param>
/// <param name="SyncState">Where the book's sync state machine ended (<c>Live</c> when synced).</param>
/// <param name="Applied">Depth messages applied.</param>
/// <param name="LastUpdateId">Last applied <c>u</c>.</param>
/// <param name="BestBid">Best bid price as an exact decimal string (e.g. <c>60312.5</c>), or empty when the bid side is empty.</param>
/// <param name="BestAsk">Best ask price as an exact decimal string, or empty when the ask side is empty.</param>
/// <param name="BestBidQuantity">Quantity at the best bid, exact decimal, or empty.</param>
/// <param name="BestAskQuantity">Quantity at the best ask, exact decimal, or empty.</param>
/// <param name="Gaps">Sequence breaks detected.</param>
/// <param name="CrossedBooks">Applied messages after which the book was crossed.</param>
/// <remarks>Immutable: thread-safe. Prices and quantities are converted from 10⁻⁸ fixed point exactly.</remarks>
public sealed record BookResult(
    string Symbol,
    int SymbolId,
    BookSyncState SyncState,
    long Applied,
    long LastUpdateId,
    string BestBid,
    string BestAsk,
    string BestBidQuantity,
    string BestAskQuantity,
    long Gaps,
    long CrossedBooks)
{
    /// <summary>Diffs dropped as duplicates (<c>u</c> at or below the last applied <c>u</c>): counted, not a gap, not a loss.</summary>
    public long DuplicateDiffs { get; init; }

    /// <summary>The books of every symbol with depth data (a diff or a snapshot), in order of first appearance.</summary>
    /// <param name="core">A core that has stopped.</param>
    /// <param name="nameOf">The symbol's name from its id.</param>
    /// <returns>The books.</returns>
    public static IReadOnlyList<BookResult> From(MarketCore core, Func<int, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(nameOf);
        var books = new List<BookResult>();
        foreach (var state in core.Symbols)
        {
            if (state.DepthMessages == 0 && state.Snapshots == 0)
            {
                continue;
            }

            var book = state.Book;
            var hasBid = book.Bids.Count > 0;
            var hasAsk = book.Asks.Count > 0;
            books.Add(new BookResult(
                nameOf(state.SymbolId),
                state.SymbolId,
                state.SyncState,
                state.Applied,
                state.LastAppliedUpdateId,
                hasBid ? FixedPoint.ToString(book.Bids.PriceAt(0)) : "",
                hasAsk ? FixedPoint.ToString(book.Asks.PriceAt(0)) : "",
                hasBid ? FixedPoint.ToString(book.Bids.QuantityAt(0)) : "",
                hasAsk ? FixedPoint.ToString(book.Asks.QuantityAt(0)) : "",
                state.Gaps,
                state.CrossedBooks)
            {
                DuplicateDiffs = state.DuplicateDiffs,
            });
        }

        return books;
    }
}
