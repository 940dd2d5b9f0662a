using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// The venue's side of the books: decodes every replayed frame (and every recorded snapshot) and moves the simulator's
/// own <see cref="VenueBook"/> of its symbol, so a snapshot served at any point is the book as of the recorded diffs
/// so far. The engine's core and books are not used here: they are what the simulator tests.
/// </summary>
/// <remarks>Not thread-safe: the feed holds its lock around <see cref="Feed"/>, <see cref="IsKnown"/> and
/// <see cref="TrySerialize"/>. Allocates: a book per symbol on its first depth message, what <see cref="VenueBook"/>
/// allocates, and every serialized body.</remarks>
internal sealed class SimulatorBook
{
    private readonly BinanceFrameDecoder _decoder;
    private readonly DepthLevelBuffer _levels = new();
    private readonly Dictionary<int, VenueBook> _books = [];
    private readonly Market _market;
    private MarketEvent _slot;

    /// <summary>Creates the venue's books of one market.</summary>
    /// <param name="market">The recording's market: its chaining rule and the snapshot's shape.</param>
    /// <param name="symbols">Interns the recording's symbols; shared with the feed and its reader.</param>
    public SimulatorBook(Market market, SymbolTable symbols)
    {
        _market = market;
        _decoder = new BinanceFrameDecoder(market, symbols);
    }

    /// <summary>Decodes one recorded frame and, for a depth diff or a REST snapshot, applies it to its symbol's book.</summary>
    /// <param name="frame">The recorded frame or REST body.</param>
    /// <param name="symbolHint">The symbol of a bare REST snapshot (from the recording), or -1.</param>
    /// <param name="kind">The decoded kind (<see cref="MarketEventKind.DecodeError"/> on an error, None when ignored).</param>
    /// <param name="symbolId">The decoded symbol, or -1.</param>
    /// <returns>What the decoder made of the frame.</returns>
    public FrameOutcome Feed(ReadOnlySpan<byte> frame, int symbolHint, out MarketEventKind kind, out int symbolId)
    {
        LastChange = VenueBookChange.None;
        var outcome = _decoder.Decode(frame, ref _slot, _levels, symbolHint);
        kind = _slot.Kind;
        symbolId = _slot.SymbolId;
        if (outcome != FrameOutcome.Levels)
        {
            return outcome;
        }

        var book = BookFor(symbolId);
        var applied = book.Applied;
        var loaded = book.SnapshotsLoaded;
        if (kind == MarketEventKind.SnapshotLevel)
        {
            book.LoadSnapshot(_slot.FinalUpdateId, _levels);
        }
        else
        {
            book.ApplyDiff(_slot.FirstUpdateId, _slot.FinalUpdateId, _slot.PreviousFinalUpdateId, _slot.EventTimeMs, _levels);
        }

        LastChange = book.SnapshotsLoaded != loaded ? VenueBookChange.Reset : book.Applied != applied ? VenueBookChange.Diff : VenueBookChange.None;
        return outcome;
    }

    /// <summary>What the last <see cref="Feed"/> did to its symbol's book.</summary>
    public VenueBookChange LastChange { get; private set; }

    /// <summary>The header (or whole event) of the last frame given to <see cref="Feed"/>.</summary>
    public ref readonly MarketEvent LastEvent => ref _slot;

    /// <summary>The levels of the last depth message or snapshot given to <see cref="Feed"/>.</summary>
    public DepthLevelBuffer LastLevels => _levels;

    /// <summary>The book of <paramref name="symbolId"/>, or null before its first depth message or snapshot.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The book.</returns>
    public VenueBook? BookOf(int symbolId) => _books.GetValueOrDefault(symbolId);

    /// <summary>Whether the venue knows the book of <paramref name="symbolId"/> (a snapshot was loaded and no gap since).</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>Whether <see cref="TrySerialize"/> serves it.</returns>
    public bool IsKnown(int symbolId) => BookOf(symbolId) is { IsKnown: true };

    /// <summary>The REST depth body for the current book (binance.md §3.3, <see cref="DepthSnapshotEncoder"/>), or null when the book is not known.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <param name="limit">Levels per side, or 0 for all.</param>
    /// <returns>The UTF-8 JSON body, or null.</returns>
    public byte[]? TrySerialize(int symbolId, int limit) =>
        BookOf(symbolId) is { IsKnown: true } book ? DepthSnapshotEncoder.Encode(book, limit) : null;

    private VenueBook BookFor(int symbolId)
    {
        if (!_books.TryGetValue(symbolId, out var book))
        {
            book = new VenueBook(_market);
            _books.Add(symbolId, book);
        }

        return book;
    }
}
