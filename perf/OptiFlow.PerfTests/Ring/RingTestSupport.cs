using OptiFlow.Engine;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.WaitStrategies;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Ring;

/// <summary>Wiring shared by the ring topologies: ring size, wait strategy, processors that sum, producers that write the value.</summary>
internal static class RingTestSupport
{
    /// <summary>Ring size of every throughput topology, equal to the baselines' channel capacity.</summary>
    public static int BufferSize { get; set; } = 1024;

    /// <summary>Set once from <c>--wait</c> before any test runs.</summary>
    public static string WaitStrategyName { get; set; } = "yielding";

    public static IWaitStrategy NewWaitStrategy() => WaitStrategyName switch
    {
        "busyspin" => new BusySpinWaitStrategy(),
        "sleeping" => new SleepingWaitStrategy(),
        "blocking" => new BlockingWaitStrategy(),
        _ => new YieldingWaitStrategy(),
    };

    /// <summary>Set once from <c>--batch-divisor</c>: processors take at most ring size / divisor events per batch (0: unlimited).</summary>
    public static int BatchDivisor { get; set; }

    /// <summary>Set once from <c>--linger</c>: processors hold batches under this many events (0: no linger).</summary>
    public static int LingerBatchSize { get; set; }

    /// <summary>Set once from <c>--linger</c>: how long, in ns.</summary>
    public static long LingerNanoseconds { get; set; }

    /// <summary>Set once from <c>--no-chase-pacing</c>: processors run without the chase pacing (on by default in the engine).</summary>
    public static bool NoChasePacing { get; set; }

    public static BatchEventProcessor<T, SummingHandler<T, TAccessor>> NewProcessor<T, TAccessor>(
        RingBuffer<T> ring, SequenceBarrier barrier, long lastSequence, ManualResetEventSlim done)
        where T : unmanaged
        where TAccessor : struct, IEventAccessor<T>
    {
        var processor = new BatchEventProcessor<T, SummingHandler<T, TAccessor>>(ring, barrier, new SummingHandler<T, TAccessor>(lastSequence, done));
        ApplyLinger(processor, ring.BufferSize);
        if (BatchDivisor > 0)
        {
            processor.MaxBatchSize = Math.Max(1, ring.BufferSize / BatchDivisor);
        }

        return processor;
    }

    /// <summary>Sets the <c>--linger</c> of the run on <paramref name="processor"/> (batch size capped at the ring size; nothing without one), and turns the chase pacing off with <c>--no-chase-pacing</c>.</summary>
    public static void ApplyLinger<T, THandler>(BatchEventProcessor<T, THandler> processor, int bufferSize)
        where T : unmanaged
        where THandler : struct, IEventHandler<T>
    {
        if (LingerBatchSize > 0)
        {
            processor.SetLinger(Math.Min(LingerBatchSize, bufferSize), LingerNanoseconds);
        }

        if (NoChasePacing)
        {
            processor.SetChasePacing(0, 0, 0);
        }
    }

    /// <summary>Publishes values <c>0..count-1</c>, one claim per event.</summary>
    public static void Produce<T, TAccessor>(RingBuffer<T> ring, long count)
        where T : unmanaged
        where TAccessor : struct, IEventAccessor<T>
    {
        for (long i = 0; i < count; i++)
        {
            var sequence = ring.Next();
            TAccessor.Set(ref ring[sequence], i);
            ring.Publish(sequence);
        }
    }

    /// <summary>Publishes values <c>0..count-1</c>, claiming <paramref name="batch"/> slots at a time (count is a multiple of batch).</summary>
    public static void ProduceBatched<T, TAccessor>(RingBuffer<T> ring, long count, int batch)
        where T : unmanaged
        where TAccessor : struct, IEventAccessor<T>
    {
        long value = 0;
        while (value < count)
        {
            var high = ring.Next(batch);
            var low = high - batch + 1;
            for (var s = low; s <= high; s++)
            {
                TAccessor.Set(ref ring[s], value++);
            }

            ring.Publish(low, high);
        }
    }

    public static long SumTo(long count) => count * (count - 1) / 2;

    public static void Halt<T, THandler>(params BatchEventProcessor<T, THandler>[] processors)
        where T : unmanaged
        where THandler : struct, IEventHandler<T>
    {
        foreach (var processor in processors)
        {
            processor.Halt();
        }

        foreach (var processor in processors)
        {
            processor.Join(Timing.RunTimeout);
            processor.Dispose();
        }
    }
}
