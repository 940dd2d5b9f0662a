using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// The venue's side of the books: every replayed frame (and every recorded snapshot) goes through the engine's own
/// <see cref="MarketCore"/>, so a snapshot served at any point is exactly the book a file run holds at that point.
/// </summary>
/// <remarks>Not thread-safe: the feed holds its lock around <see cref="Feed"/> and <see cref="TrySerialize"/>. Allocates
/// when serializing.</remarks>
internal sealed class SimulatorBook
{
    private readonly BinanceFrameDecoder _decoder;
    private readonly DepthLevelBuffer _levels = new();
    private readonly MarketCore _core;
    private readonly Market _market;
    private MarketEvent _slot;
    private long _sequence;

    public SimulatorBook(Market market, SymbolTable symbols)
    {
        _market = market;
        _decoder = new BinanceFrameDecoder(market, symbols);
        _core = new MarketCore(symbols.Capacity);
    }

    public MarketCore Core => _core;

    /// <summary>Decodes one recorded frame and applies it to the venue's books.</summary>
    public FrameOutcome Feed(ReadOnlySpan<byte> frame, int symbolHint, out MarketEventKind kind, out int symbolId)
    {
        var outcome = _decoder.Decode(frame, ref _slot, _levels, symbolHint);
        kind = _slot.Kind;
        symbolId = _slot.SymbolId;
        switch (outcome)
        {
            case FrameOutcome.Event:
                _core.OnEvent(ref _slot, _sequence++);
                break;
            case FrameOutcome.Levels:
                var header = _slot;
                var count = _levels.Count;
                header.LevelCount = count;
                if (count == 0)
                {
                    _core.OnEvent(ref header, _sequence++);
                    break;
                }

                header.Flags &= ~(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage);
                for (var i = 0; i < count; i++)
                {
                    var slot = header;
                    slot.LevelIndex = i;
                    slot.Side = _levels.Sides[i];
                    slot.Price = _levels.Prices[i];
                    slot.Quantity = _levels.Quantities[i];
                    if (i == 0)
                    {
                        slot.Flags |= MarketEventFlags.BeginOfMessage;
                    }

                    if (i == count - 1)
                    {
                        slot.Flags |= MarketEventFlags.EndOfMessage;
                    }

                    _core.OnEvent(ref slot, _sequence++);
                }

                break;
            default:
                break;
        }

        return outcome;
    }

    /// <summary>Whether the venue knows the book of <paramref name="symbolId"/> (a snapshot was loaded and no gap since).</summary>
    public bool IsKnown(int symbolId) => _core.StateOf(symbolId) is { } state && state.SyncState != BookSyncState.AwaitingSnapshot;

    /// <summary>The REST depth body for the current book (binance.md §3.3), or null when the book is not known.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <param name="limit">Levels per side, or 0 for all.</param>
    public byte[]? TrySerialize(int symbolId, int limit)
    {
        var state = _core.StateOf(symbolId);
        if (state is null || state.SyncState == BookSyncState.AwaitingSnapshot)
        {
            return null;
        }

        var lastUpdateId = state.SyncState == BookSyncState.Live ? state.LastAppliedUpdateId : state.SnapshotLastUpdateId;
        var buffer = new List<byte>(64 * 1024);
        Span<byte> number = stackalloc byte[32];
        void Ascii(ReadOnlySpan<byte> text)
        {
            foreach (var b in text)
            {
                buffer.Add(b);
            }
        }

        void Integer(long value, Span<byte> scratch)
        {
            value.TryFormat(scratch, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            Ascii(scratch[..written]);
        }

        void Side(Engine.Books.PriceLevels levels, Span<byte> scratch)
        {
            var count = limit > 0 ? Math.Min(limit, levels.Count) : levels.Count;
            buffer.Add((byte)'[');
            for (var i = 0; i < count; i++)
            {
                Ascii(i == 0 ? "[\""u8 : ",[\""u8);
                Ascii(scratch[..FixedPoint.Format(levels.PriceAt(i), scratch)]);
                Ascii("\",\""u8);
                Ascii(scratch[..FixedPoint.Format(levels.QuantityAt(i), scratch)]);
                Ascii("\"]"u8);
            }

            buffer.Add((byte)']');
        }

        Ascii("{\"lastUpdateId\":"u8);
        Integer(lastUpdateId, number);
        if (_market == Market.Futures)
        {
            Ascii(",\"E\":"u8);
            Integer(state.LastAppliedEventTimeMs, number);
            Ascii(",\"T\":"u8);
            Integer(state.LastAppliedEventTimeMs, number);
        }

        Ascii(",\"bids\":"u8);
        Side(state.Book.Bids, number);
        Ascii(",\"asks\":"u8);
        Side(state.Book.Asks, number);
        buffer.Add((byte)'}');
        return [.. buffer];
    }
}
