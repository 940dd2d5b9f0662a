using BenchmarkDotNet.Attributes;
using OptiFlow.Engine;

namespace OptiFlow.Benchmarks;

/// <summary>
/// The cost of each memory-ordering operation of <see cref="Sequence"/>, single-threaded (uncontended), against a
/// plain field write as the reference. Run: <c>dotnet run -c Release --project perf/OptiFlow.Benchmarks -- --filter '*SequenceBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Ring")]
public class SequenceBenchmarks
{
    private const int Operations = 1000;
    private readonly Sequence _sequence = new(0);
    private long _plain;

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public long Write_PlainField()
    {
        for (var i = 0; i < Operations; i++)
        {
            _plain = i;
        }

        return _plain;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long Read_Acquire()
    {
        long sum = 0;
        for (var i = 0; i < Operations; i++)
        {
            sum += _sequence.Value;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long Write_Release()
    {
        for (var i = 0; i < Operations; i++)
        {
            _sequence.SetValue(i);
        }

        return _sequence.ValuePlain;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long Write_FullFence()
    {
        for (var i = 0; i < Operations; i++)
        {
            _sequence.SetValueVolatile(i);
        }

        return _sequence.ValuePlain;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long CompareAndSet_Uncontended()
    {
        var value = _sequence.ValuePlain;
        for (var i = 0; i < Operations; i++)
        {
            _sequence.CompareAndSet(value, value + 1);
            value++;
        }

        return _sequence.ValuePlain;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long AddAndGet_Uncontended()
    {
        long last = 0;
        for (var i = 0; i < Operations; i++)
        {
            last = _sequence.AddAndGet(1);
        }

        return last;
    }
}
