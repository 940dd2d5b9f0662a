using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests.Support;

/// <summary>Drives a <see cref="MarketCore"/> from a reader through the producers' own publisher (<see cref="SteppedCore"/>), on one thread.</summary>
internal static class CoreFeed
{
    public static (MarketCore Core, long Frames, long Ignored) Run(IRecordingReader reader, Market market, SymbolTable symbols)
    {
        var stepped = new SteppedCore(market, symbols);
        while (reader.TryRead(out var frame))
        {
            stepped.Feed(frame.Frame, frame.SymbolHint, frame.LocalTimestampNs, frame.FileIndex, frame.Line, frame.LineFormatError);
        }

        stepped.Core.OnShutdown();
        return (stepped.Core, stepped.Publisher.Frames, stepped.Publisher.IgnoredFrames);
    }
}
