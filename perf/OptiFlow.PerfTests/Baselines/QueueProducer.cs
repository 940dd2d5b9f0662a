using OptiFlow.PerfTests.Events;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>A baseline producer: writes values 0..count-1 to every output queue in turn.</summary>
internal static class QueueProducer
{
    public static void Produce<T, TAccessor, TQueue>(TQueue[] outputs, long count)
        where T : struct
        where TAccessor : struct, IEventAccessor<T>
        where TQueue : struct, IBaselineQueue<T, TQueue>
    {
        for (long i = 0; i < count; i++)
        {
            T item = default;
            TAccessor.Set(ref item, i);
            foreach (var output in outputs)
            {
                Spin.Write(output, item);
            }
        }
    }
}
