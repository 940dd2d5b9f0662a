namespace OptiFlow.PerfTests.Baselines;

/// <summary>
/// A baseline queue behind one struct-constrained generic, so the baselines pay no interface dispatch either.
/// </summary>
internal interface IBaselineQueue<T, TSelf>
    where TSelf : struct, IBaselineQueue<T, TSelf>
{
    static abstract string Name { get; }

    static abstract TSelf Create(int capacity, bool singleReader, bool singleWriter);

    bool TryWrite(T item);

    bool TryRead(out T item);
}
