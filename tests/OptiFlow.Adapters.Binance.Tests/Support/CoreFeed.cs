using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests.Support;

/// <summary>
/// Drives <see cref="MarketCore"/> directly from a reader and the decoder, building the slots as the CLI's
/// RingPublisher does (one slot per event, one slot per level with Begin/End flags, an error slot per bad frame),
/// without a ring: reader → decoder → core.OnEvent on one thread.
/// </summary>
internal static class CoreFeed
{
    public static (MarketCore Core, long Frames, long Ignored) Run(IRecordingReader reader, Market market, SymbolTable symbols)
    {
        var core = new MarketCore(symbols.Capacity);
        var decoder = new BinanceFrameDecoder(market, symbols);
        var levels = new DepthLevelBuffer();
        var slot = default(MarketEvent);
        long sequence = 0;
        long frames = 0;
        long ignored = 0;
        while (reader.TryRead(out var frame))
        {
            frames++;
            var outcome = frame.LineFormatError ? FrameOutcome.Error : decoder.Decode(frame.Frame, ref slot, levels, frame.SymbolHint);
            switch (outcome)
            {
                case FrameOutcome.Ignored:
                    ignored++;
                    break;
                case FrameOutcome.Error:
                    slot = default;
                    slot.Kind = MarketEventKind.DecodeError;
                    slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                    slot.SymbolId = -1;
                    slot.Market = market;
                    slot.ErrorCode = frame.LineFormatError ? DecodeErrorCode.InvalidLineFormat : decoder.LastError;
                    slot.ErrorOffset = decoder.LastErrorOffset;
                    Stamp(ref slot, frame);
                    core.OnEvent(ref slot, sequence++);
                    break;
                case FrameOutcome.Event:
                    Stamp(ref slot, frame);
                    core.OnEvent(ref slot, sequence++);
                    break;
                default:
                    Stamp(ref slot, frame);
                    var header = slot;
                    header.LevelCount = levels.Count;
                    if (levels.Count == 0)
                    {
                        header.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage;
                        header.Side = BookSide.None;
                        core.OnEvent(ref header, sequence++);
                        break;
                    }

                    header.Flags &= ~(MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage);
                    for (var i = 0; i < levels.Count; i++)
                    {
                        var e = header;
                        e.LevelIndex = i;
                        e.Side = levels.Sides[i];
                        e.Price = levels.Prices[i];
                        e.Quantity = levels.Quantities[i];
                        if (i == 0)
                        {
                            e.Flags |= MarketEventFlags.BeginOfMessage;
                        }

                        if (i == levels.Count - 1)
                        {
                            e.Flags |= MarketEventFlags.EndOfMessage;
                        }

                        core.OnEvent(ref e, sequence++);
                    }

                    break;
            }
        }

        core.OnShutdown();
        return (core, frames, ignored);
    }

    private static void Stamp(ref MarketEvent slot, in RecordedFrame frame)
    {
        slot.LocalTimestampNs = frame.LocalTimestampNs;
        slot.SourceFileIndex = (ushort)frame.FileIndex;
        slot.SourceLine = frame.Line;
    }
}
