namespace OptiFlow.Journal.Session;

/// <summary>One symbol's book at the end of a session, inside a <see cref="RunSummaryRecord"/>.</summary>
/// <param name="SymbolId">The symbol.</param>
/// <param name="Applied">Depth messages applied.</param>
/// <param name="LastUpdateId">Last applied <c>u</c>.</param>
/// <param name="Digest">CRC-32C of the book's levels.</param>
/// <param name="BestBid">Best bid price as an exact decimal string, or empty when the side is empty.</param>
/// <param name="BestAsk">Best ask price as an exact decimal string, or empty when the side is empty.</param>
/// <param name="Gaps">Sequence breaks detected.</param>
/// <param name="CrossedBooks">Applied messages after which the book was crossed.</param>
/// <remarks>Immutable: thread-safe.</remarks>
public sealed record BookSummaryRecord(int SymbolId, long Applied, long LastUpdateId, uint Digest, string BestBid, string BestAsk, long Gaps, long CrossedBooks);
