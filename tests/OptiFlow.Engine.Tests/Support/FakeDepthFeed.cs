using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>One price level of a hand-built message, in 10⁻⁸ units.</summary>
internal readonly record struct Level(BookSide Side, long Price, long Quantity)
{
    /// <summary>A bid level from whole units.</summary>
    public static Level Bid(long price, long quantity) => new(BookSide.Bid, price * FixedPoint.Scale, quantity * FixedPoint.Scale);

    /// <summary>An ask level from whole units.</summary>
    public static Level Ask(long price, long quantity) => new(BookSide.Ask, price * FixedPoint.Scale, quantity * FixedPoint.Scale);
}

/// <summary>
/// Builds depth diffs, snapshots and decode errors as the Binance decoder would (one slot per level, Begin/End flags,
/// LevelIndex/LevelCount), hands them to a <see cref="MarketCore"/> with increasing ring sequences, and records them.
/// </summary>
internal sealed class FakeDepthFeed(MarketCore core, int symbolId, Market market)
{
    private long _sequence;

    /// <summary>Every slot handed to the core, in order.</summary>
    public List<MarketEvent> Sent { get; } = [];

    /// <summary>Sequence of the last slot handed to the core.</summary>
    public long LastSequence => _sequence - 1;

    public static MarketEvent[] BuildMessage(
        MarketEventKind kind, int symbolId, Market market, long firstUpdateId, long finalUpdateId, long previousFinalUpdateId, long eventTimeMs, Level[] levels)
    {
        var template = new MarketEvent
        {
            Kind = kind,
            Market = market,
            SymbolId = symbolId,
            EventTimeMs = eventTimeMs,
            FirstUpdateId = firstUpdateId,
            FinalUpdateId = finalUpdateId,
            PreviousFinalUpdateId = previousFinalUpdateId,
        };
        if (market == Market.Futures && kind == MarketEventKind.DepthLevel)
        {
            template.Flags |= MarketEventFlags.HasPreviousFinalUpdateId;
        }

        // The one framer the producers use (begin/end/empty flags, one slot per level).
        var sides = levels.Select(l => l.Side).ToArray();
        var prices = levels.Select(l => l.Price).ToArray();
        var quantities = levels.Select(l => l.Quantity).ToArray();
        var slots = new MarketEvent[DepthMessageFramer.SlotCount(levels.Length)];
        DepthMessageFramer.Frame(in template, sides, prices, quantities, slots);
        return slots;
    }

    /// <summary>A REST snapshot with <c>lastUpdateId</c>.</summary>
    public void Snapshot(long lastUpdateId, params Level[] levels) =>
        Send(BuildMessage(MarketEventKind.SnapshotLevel, symbolId, market, 0, lastUpdateId, 0, 0, levels));

    /// <summary>A futures diff (<c>U</c>, <c>u</c>, <c>pu</c>).</summary>
    public void FuturesDiff(long first, long final, long previousFinal, params Level[] levels) =>
        Send(BuildMessage(MarketEventKind.DepthLevel, symbolId, market, first, final, previousFinal, final * 10, levels));

    /// <summary>A spot diff (<c>U</c>, <c>u</c>).</summary>
    public void SpotDiff(long first, long final, params Level[] levels) =>
        Send(BuildMessage(MarketEventKind.DepthLevel, symbolId, market, first, final, 0, final * 10, levels));

    /// <summary>A decode-error slot.</summary>
    public void DecodeError(DecodeErrorCode code, int fileIndex, long line, int offset) =>
        Send([new MarketEvent
        {
            Kind = MarketEventKind.DecodeError,
            Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage,
            SymbolId = -1,
            ErrorCode = code,
            SourceFileIndex = (ushort)fileIndex,
            SourceLine = line,
            ErrorOffset = offset,
        }]);

    public void Send(MarketEvent[] slots)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            Sent.Add(slots[i]);
            core.OnEvent(ref slots[i], _sequence++);
        }
    }

    /// <summary>Hands recorded slots to another core with sequences from 0.</summary>
    public static void Replay(MarketCore target, List<MarketEvent> slots)
    {
        var copy = slots.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            target.OnEvent(ref copy[i], i);
        }
    }
}
