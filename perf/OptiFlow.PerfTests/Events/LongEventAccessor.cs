namespace OptiFlow.PerfTests.Events;

internal readonly struct LongEventAccessor : IEventAccessor<LongEvent>
{
    public static string EventName => "Long";

    public static long Get(ref LongEvent data) => data.Value;

    public static void Set(ref LongEvent data, long value) => data.Value = value;
}
