using OptiFlow.PerfTests.Events;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>A baseline consumer thread body: reads <c>count</c> items, sums their values, optionally forwards them, then signals.</summary>
internal sealed class QueueConsumer<T, TAccessor, TQueue>(TQueue input, long count, ManualResetEventSlim done)
    where TAccessor : struct, IEventAccessor<T>
    where TQueue : struct, IBaselineQueue<T, TQueue>
{
    public long Sum { get; private set; }

    public void Run()
    {
        long sum = 0;
        for (long i = 0; i < count; i++)
        {
            var item = Spin.Read<T, TQueue>(input);
            sum += TAccessor.Get(ref item);
        }

        Sum = sum;
        done.Set();
    }

    /// <summary>Reads, sums and writes every item on to <paramref name="outputs"/> (pipeline and diamond stages).</summary>
    public void RunForwarding(TQueue[] outputs)
    {
        long sum = 0;
        for (long i = 0; i < count; i++)
        {
            var item = Spin.Read<T, TQueue>(input);
            sum += TAccessor.Get(ref item);
            foreach (var output in outputs)
            {
                Spin.Write(output, item);
            }
        }

        Sum = sum;
        done.Set();
    }
}
