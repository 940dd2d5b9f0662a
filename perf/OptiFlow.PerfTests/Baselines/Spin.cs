using System.Runtime.CompilerServices;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>Write/read with the same back-off as the ring's producer and Yielding consumer: spin, then yield.</summary>
internal static class Spin
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<T, TQueue>(TQueue queue, T item)
        where TQueue : struct, IBaselineQueue<T, TQueue>
    {
        if (!queue.TryWrite(item))
        {
            WriteSlow(queue, item);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read<T, TQueue>(TQueue queue)
        where TQueue : struct, IBaselineQueue<T, TQueue>
    {
        return queue.TryRead(out var item) ? item : ReadSlow<T, TQueue>(queue);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteSlow<T, TQueue>(TQueue queue, T item)
        where TQueue : struct, IBaselineQueue<T, TQueue>
    {
        var spinner = default(SpinWait);
        while (!queue.TryWrite(item))
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T ReadSlow<T, TQueue>(TQueue queue)
        where TQueue : struct, IBaselineQueue<T, TQueue>
    {
        var spinner = default(SpinWait);
        T item;
        while (!queue.TryRead(out item))
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return item;
    }
}
