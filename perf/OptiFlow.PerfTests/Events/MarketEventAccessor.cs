using OptiFlow.Engine.Model;

namespace OptiFlow.PerfTests.Events;

/// <summary>The engine's own slot type; the producer writes the value into <c>Price</c> and a timestamp, as a decoder would write several fields.</summary>
internal readonly struct MarketEventAccessor : IEventAccessor<MarketEvent>
{
    public static string EventName => "MarketEvent";

    public static long Get(ref MarketEvent data) => data.Price;

    public static void Set(ref MarketEvent data, long value)
    {
        data.Kind = MarketEventKind.Trade;
        data.Price = value;
        data.ReceiveTimestampNs = value;
    }
}
