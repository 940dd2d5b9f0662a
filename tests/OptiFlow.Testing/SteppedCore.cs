using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Testing;

/// <summary>
/// A <see cref="MarketCore"/> fed one recorded frame at a time, on the calling thread, through the producers' own
/// <see cref="FramePublisher"/> (the one framer: one slot per event, one slot per level with begin/end flags, an error
/// slot per bad frame) and a ring: each frame is published, then every slot it published is handed to the core before
/// the next frame, so a test can look at the books at any point of a recording.
/// </summary>
public sealed class SteppedCore
{
    /// <summary>Larger than any message (both sides of a 5,000-level snapshot), so one frame never waits on the ring.</summary>
    private const int RingSize = 1 << 14;

    private readonly RingBuffer<MarketEvent> _ring = new(RingSize, new BlockingWaitStrategy());
    private readonly Sequence _consumed = new();

    /// <summary>Creates the core and its publisher.</summary>
    /// <param name="market">The sync rule.</param>
    /// <param name="symbols">The frozen symbol table of the recording.</param>
    public SteppedCore(Market market, SymbolTable symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _ring.Sequencer.SetGatingSequences(_consumed);
        Publisher = new FramePublisher(_ring, new BinanceFrameDecoder(market, symbols));
        Core = new MarketCore(symbols.Capacity);
    }

    /// <summary>The core.</summary>
    public MarketCore Core { get; }

    /// <summary>The publisher (its frame counters).</summary>
    public FramePublisher Publisher { get; }

    /// <summary>Publishes one frame and hands every slot it published to the core, as the ring would.</summary>
    /// <param name="frame">The frame's bytes.</param>
    /// <param name="symbolHint">Symbol id for a bare snapshot, or -1.</param>
    /// <param name="localTimestampNs">Recorded wall-clock time, ns.</param>
    /// <param name="fileIndex">Input file index.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="lineFormatError">Whether the line lacked its timestamp prefix.</param>
    public void Feed(ReadOnlySpan<byte> frame, int symbolHint, long localTimestampNs = 0, int fileIndex = 0, long line = 0, bool lineFormatError = false)
    {
        Publisher.Publish(frame, MonotonicClock.NowNs, localTimestampNs, symbolHint, fileIndex, line, lineFormatError);
        var cursor = _ring.Cursor.Value;
        for (var sequence = _consumed.Value + 1; sequence <= cursor; sequence++)
        {
            Core.OnEvent(ref _ring[sequence], sequence);
        }

        _consumed.SetValue(cursor);
    }
}
