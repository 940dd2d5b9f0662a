using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Adapters.Binance.Tests.Support;

/// <summary>
/// Drives <see cref="MarketCore"/> from a reader through the producers' own <see cref="FramePublisher"/> (the one
/// framer: one slot per event, one slot per level with Begin/End flags, an error slot per bad frame) and a ring, on
/// one thread: each frame is published, then every slot it published is handed to the core before the next frame.
/// </summary>
internal static class CoreFeed
{
    /// <summary>Larger than any message (two sides of a 1,000-level snapshot), so one frame never waits on the ring.</summary>
    private const int RingSize = 1 << 14;

    public static (MarketCore Core, long Frames, long Ignored) Run(IRecordingReader reader, Market market, SymbolTable symbols)
    {
        var core = new MarketCore(symbols.Capacity);
        var ring = new RingBuffer<MarketEvent>(RingSize, new BlockingWaitStrategy());
        var consumed = new Sequence();
        ring.Sequencer.SetGatingSequences(consumed);
        var publisher = new FramePublisher(ring, new BinanceFrameDecoder(market, symbols));
        while (reader.TryRead(out var frame))
        {
            publisher.Publish(frame.Frame, MonotonicClock.NowNs, frame.LocalTimestampNs, frame.SymbolHint, frame.FileIndex, frame.Line, frame.LineFormatError);
            var cursor = ring.Cursor.Value;
            for (var sequence = consumed.Value + 1; sequence <= cursor; sequence++)
            {
                core.OnEvent(ref ring[sequence], sequence);
            }

            consumed.SetValue(cursor);
        }

        core.OnShutdown();
        return (core, publisher.Frames, publisher.IgnoredFrames);
    }
}
