using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>The engine's file run (<see cref="FileRun"/>), one recorded frame at a time, so a test can compare the
/// engine's books with another's at any point of a recording.</summary>
internal sealed class SteppedFileRun(Market market, SymbolTable symbols)
{
    private readonly BinanceFrameDecoder _decoder = new(market, symbols);
    private readonly DepthLevelBuffer _levels = new();
    private MarketEvent _slot;
    private long _sequence;

    public MarketCore Core { get; } = new(symbols.Capacity);

    /// <summary>Decodes one frame and hands it to the core as the ring would: one slot per level, Begin/End flags.</summary>
    public void Feed(ReadOnlySpan<byte> frame, int symbolHint)
    {
        switch (_decoder.Decode(frame, ref _slot, _levels, symbolHint))
        {
            case FrameOutcome.Event:
                Core.OnEvent(ref _slot, _sequence++);
                break;
            case FrameOutcome.Error:
                _slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                Core.OnEvent(ref _slot, _sequence++);
                break;
            case FrameOutcome.Levels:
                var header = _slot;
                var count = _levels.Count;
                header.LevelCount = count;
                if (count == 0)
                {
                    Core.OnEvent(ref header, _sequence++);
                    break;
                }

                header.Flags &= ~(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage);
                for (var i = 0; i < count; i++)
                {
                    var level = header;
                    level.LevelIndex = i;
                    level.Side = _levels.Sides[i];
                    level.Price = _levels.Prices[i];
                    level.Quantity = _levels.Quantities[i];
                    level.Flags |= (i == 0 ? MarketEventFlags.BeginOfMessage : 0) | (i == count - 1 ? MarketEventFlags.EndOfMessage : 0);
                    Core.OnEvent(ref level, _sequence++);
                }

                break;
            default:
                break;
        }
    }
}
