namespace OptiFlow.PerfTests.Events;

/// <summary>Reads and writes the checked value of an event; implemented by structs so the JIT specialises every call.</summary>
internal interface IEventAccessor<T>
{
    static abstract string EventName { get; }

    static abstract long Get(ref T data);

    static abstract void Set(ref T data, long value);
}
