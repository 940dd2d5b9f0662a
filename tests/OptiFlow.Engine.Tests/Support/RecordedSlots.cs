using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>The inbound slots of a real recording, framed by the producers' own <see cref="FramePublisher"/>, held in an
/// array so a test can interleave its own slots (execution reports) and feed a core of its own on the calling thread.</summary>
internal static class RecordedSlots
{
    private const int RingSize = 1 << 14;

    /// <summary>Loads every slot of <paramref name="relativePath"/> (ignored, or failed under OPTIFLOW_REQUIRE_DATA=1, when the data is absent).</summary>
    /// <param name="relativePath">Path under the data folder.</param>
    /// <param name="market">Its market.</param>
    /// <param name="symbolNames">The symbols it holds (ids in order).</param>
    /// <returns>The slots in publication order, and the frozen symbol table.</returns>
    public static (MarketEvent[] Slots, SymbolTable Symbols) Load(string relativePath, Market market, params string[] symbolNames)
    {
        var path = RecordingData.Require(relativePath);
        var symbols = new SymbolTable(16);
        foreach (var name in symbolNames)
        {
            symbols.GetOrAdd(name);
        }

        symbols.Freeze();
        var ring = new RingBuffer<MarketEvent>(RingSize, new BlockingWaitStrategy());
        var consumed = new Sequence();
        ring.Sequencer.SetGatingSequences(consumed);
        var publisher = new FramePublisher(ring, new BinanceFrameDecoder(market, symbols));
        var slots = new List<MarketEvent>(1 << 17);
        using var reader = new RecordingReader([path], symbols);
        while (reader.TryRead(out var frame))
        {
            publisher.Publish(frame.Frame, 0, frame.LocalTimestampNs, frame.SymbolHint, frame.FileIndex, frame.Line, frame.LineFormatError);
            var cursor = ring.Cursor.Value;
            for (var sequence = consumed.Value + 1; sequence <= cursor; sequence++)
            {
                slots.Add(ring[sequence]);
            }

            consumed.SetValue(cursor);
        }

        return ([.. slots], symbols);
    }
}
