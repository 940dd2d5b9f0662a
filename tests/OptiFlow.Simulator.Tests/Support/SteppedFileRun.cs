using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Simulator.Tests.Support;

/// <summary>The engine's file run (<see cref="FileRun"/>), one recorded frame at a time, so a test can compare the
/// engine's books with another's at any point of a recording: each frame goes through the producers' own
/// <see cref="FramePublisher"/> (the one framer) into a ring, and every slot it published goes to the core before the
/// next frame.</summary>
internal sealed class SteppedFileRun
{
    /// <summary>Larger than any message (two sides of a 5,000-level snapshot), so one frame never waits on the ring.</summary>
    private const int RingSize = 1 << 14;

    private readonly RingBuffer<MarketEvent> _ring = new(RingSize, new BlockingWaitStrategy());
    private readonly Sequence _consumed = new();
    private readonly FramePublisher _publisher;

    public SteppedFileRun(Market market, SymbolTable symbols)
    {
        _ring.Sequencer.SetGatingSequences(_consumed);
        _publisher = new FramePublisher(_ring, new BinanceFrameDecoder(market, symbols));
        Core = new MarketCore(symbols.Capacity);
    }

    public MarketCore Core { get; }

    /// <summary>Publishes one frame and hands every slot it published to the core, as the ring would.</summary>
    public void Feed(ReadOnlySpan<byte> frame, int symbolHint)
    {
        _publisher.Publish(frame, MonotonicClock.NowNs, 0, symbolHint, 0, 0, lineFormatError: false);
        var cursor = _ring.Cursor.Value;
        for (var sequence = _consumed.Value + 1; sequence <= cursor; sequence++)
        {
            Core.OnEvent(ref _ring[sequence], sequence);
        }

        _consumed.SetValue(cursor);
    }
}
