namespace OptiFlow.PerfTests.Events;

/// <summary>The 8-byte event of the headline figures (as Disruptor-net's <c>PerfEvent</c> value).</summary>
internal struct LongEvent
{
    public long Value;
}
