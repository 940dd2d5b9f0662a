namespace OptiFlow.Engine.Tests.Support;

/// <summary>A small ring slot for sequencing tests: the producer writes its sequence into <see cref="Value"/>.</summary>
internal struct StubEvent
{
    public long Value;
}
