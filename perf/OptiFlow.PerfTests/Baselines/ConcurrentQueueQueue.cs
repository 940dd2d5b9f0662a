using System.Collections.Concurrent;

namespace OptiFlow.PerfTests.Baselines;

/// <summary>
/// <see cref="ConcurrentQueue{T}"/>. It has no bound: the producer never waits and the queue may grow (allocating
/// segments, which the GC counts show), which favours this baseline over a bounded ring.
/// </summary>
internal readonly struct ConcurrentQueueQueue<T> : IBaselineQueue<T, ConcurrentQueueQueue<T>>
{
    private readonly ConcurrentQueue<T> _queue;

    private ConcurrentQueueQueue(ConcurrentQueue<T> queue) => _queue = queue;

    public static string Name => "ConcurrentQueue";

    public static ConcurrentQueueQueue<T> Create(int capacity, bool singleReader, bool singleWriter) => new(new ConcurrentQueue<T>());

    public bool TryWrite(T item)
    {
        _queue.Enqueue(item);
        return true;
    }

    public bool TryRead(out T item) => _queue.TryDequeue(out item!);
}
