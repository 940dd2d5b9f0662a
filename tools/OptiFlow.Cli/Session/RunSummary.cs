using System.Text.Json;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Cli.Session;

/// <summary>
/// What a live run leaves at the end of its journal (a RunSummary record, JSON): the symbol table, the signal stream's
/// count and digest, and every book's digest and top of book, so a replay can say whether it reproduced them.
/// </summary>
internal sealed record RunSummary(
    IReadOnlyList<string> Symbols,
    long Events,
    long SignalCount,
    uint SignalDigest,
    uint BooksDigest,
    IReadOnlyList<BookSummary> Books)
{
    public static RunSummary From(MarketCore core, SymbolTable symbols)
    {
        var names = new List<string>();
        for (var i = 0; i < symbols.Count; i++)
        {
            names.Add(symbols.NameOf(i));
        }

        var books = new List<BookSummary>();
        foreach (var state in core.Symbols)
        {
            books.Add(BookSummary.From(state));
        }

        return new RunSummary(names, core.EventCount, core.SignalCount, core.SignalDigest, core.BooksDigest(), books);
    }

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static RunSummary Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<RunSummary>(utf8, JsonOptions) ?? throw new InvalidDataException("Empty run summary record.");

    internal static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}

/// <summary>One symbol's book at the end of a run.</summary>
internal sealed record BookSummary(int SymbolId, long Applied, long LastUpdateId, uint Digest, string BestBid, string BestAsk, long Gaps, long CrossedBooks)
{
    public static BookSummary From(SymbolState state)
    {
        var book = state.Book;
        return new BookSummary(
            state.SymbolId,
            state.Applied,
            state.LastAppliedUpdateId,
            book.Digest(),
            book.Bids.Count > 0 ? FixedPoint.ToString(book.Bids.PriceAt(0)) : "",
            book.Asks.Count > 0 ? FixedPoint.ToString(book.Asks.PriceAt(0)) : "",
            state.Gaps,
            state.CrossedBooks);
    }
}

/// <summary>The configuration a run journals at its start (a SessionHeader record, JSON).</summary>
internal sealed record SessionHeader(string Market, IReadOnlyList<string> Files, int RingSize, int EventLayoutVersion, string StartedUtc)
{
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, RunSummary.JsonOptions);

    public static SessionHeader Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<SessionHeader>(utf8, RunSummary.JsonOptions) ?? throw new InvalidDataException("Empty session header record.");
}
