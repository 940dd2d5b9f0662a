using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>The file-mode reference: every recorded frame (snapshots included) decoded and handed to a MarketCore in
/// order, one slot per level, as the ring would deliver them.</summary>
internal static class FileRun
{
    public static MarketCore Run(string path, Market market, SymbolTable symbols)
    {
        if (!symbols.IsFrozen)
        {
            RecordingSymbolScan.Intern(RecordingFormat.Auto, [path], symbols); // the data's first pass, as a file session does
            symbols.Freeze();
        }

        var core = new MarketCore(symbols.Capacity);
        var decoder = new BinanceFrameDecoder(market, symbols);
        var levels = new DepthLevelBuffer();
        var slot = default(MarketEvent);
        long sequence = 0;
        using var reader = RecordingReaders.Open(RecordingFormat.Auto, [path], symbols);
        while (reader.TryRead(out var frame))
        {
            var outcome = decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint);
            switch (outcome)
            {
                case FrameOutcome.Event:
                    core.OnEvent(ref slot, sequence++);
                    break;
                case FrameOutcome.Error:
                    slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                    core.OnEvent(ref slot, sequence++);
                    break;
                case FrameOutcome.Levels:
                    var header = slot;
                    header.LevelCount = levels.Count;
                    if (levels.Count == 0)
                    {
                        core.OnEvent(ref header, sequence++);
                        break;
                    }

                    header.Flags &= ~(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage);
                    for (var i = 0; i < levels.Count; i++)
                    {
                        var level = header;
                        level.LevelIndex = i;
                        level.Side = levels.Sides[i];
                        level.Price = levels.Prices[i];
                        level.Quantity = levels.Quantities[i];
                        level.Flags |= (i == 0 ? MarketEventFlags.BeginOfMessage : 0) | (i == levels.Count - 1 ? MarketEventFlags.EndOfMessage : 0);
                        core.OnEvent(ref level, sequence++);
                    }

                    break;
                default:
                    break;
            }
        }

        return core;
    }
}
