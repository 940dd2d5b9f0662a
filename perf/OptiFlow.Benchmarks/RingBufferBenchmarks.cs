using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using OptiFlow.Engine;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Benchmarks;

/// <summary>
/// Claim → write → publish on one thread, per event, for both sequencers, single and batched claims and
/// <c>TryNext</c>, against a bounded <see cref="Channel{T}"/> write + read of the same capacity (the reference). No
/// gating sequence, so the ring never waits: this is the producer's own cost. Cross-thread figures are in
/// perf/OptiFlow.PerfTests. The single-producer publish is also measured with the strategies consumers wait with:
/// consumers with their own strategies that do not block (nothing to signal), a blocking default (one strategy
/// signalled per publish) and two consumers with their own blocking strategies (two signalled); no consumer is
/// parked, so each signal is a full fence and a read of the strategy's waiter count. Run: <c>dotnet run -c Release --project perf/OptiFlow.Benchmarks -- --filter '*RingBufferBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Ring")]
public class RingBufferBenchmarks
{
    private const int Capacity = 1024;
    private const int Operations = 1000;
    private const int Batch = 10;

    private RingBuffer<LongSlot> _single = null!;
    private RingBuffer<LongSlot> _singleNonBlockingConsumers = null!;
    private RingBuffer<LongSlot> _singleBlocking = null!;
    private RingBuffer<LongSlot> _singleTwoBlockingConsumers = null!;
    private RingBuffer<LongSlot> _multi = null!;
    private Channel<long> _channel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _single = new RingBuffer<LongSlot>(Capacity, new YieldingWaitStrategy());
        _singleNonBlockingConsumers = new RingBuffer<LongSlot>(Capacity, new YieldingWaitStrategy());
        _ = _singleNonBlockingConsumers.Sequencer.NewBarrier(new BusySpinWaitStrategy());
        _ = _singleNonBlockingConsumers.Sequencer.NewBarrier(new SleepingWaitStrategy());
        _singleBlocking = new RingBuffer<LongSlot>(Capacity, new BlockingWaitStrategy());
        _singleTwoBlockingConsumers = new RingBuffer<LongSlot>(Capacity, new YieldingWaitStrategy());
        _ = _singleTwoBlockingConsumers.Sequencer.NewBarrier(new BlockingWaitStrategy());
        _ = _singleTwoBlockingConsumers.Sequencer.NewBarrier(new TimeoutBlockingWaitStrategy());
        _multi = new RingBuffer<LongSlot>(Capacity, new YieldingWaitStrategy(), ProducerType.Multi);
        _channel = Channel.CreateBounded<long>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public long WriteRead_Channel()
    {
        long sum = 0;
        var writer = _channel.Writer;
        var reader = _channel.Reader;
        for (long i = 0; i < Operations; i++)
        {
            writer.TryWrite(i);
            reader.TryRead(out var item);
            sum += item;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long ClaimPublish_SingleProducer()
    {
        var ring = _single;
        long sequence = 0;
        for (long i = 0; i < Operations; i++)
        {
            sequence = ring.Next();
            ring[sequence].Value = i;
            ring.Publish(sequence);
        }

        return sequence;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long ClaimPublish_SingleProducerNonBlockingConsumers() => ClaimPublish(_singleNonBlockingConsumers);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long ClaimPublish_SingleProducerBlocking() => ClaimPublish(_singleBlocking);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long ClaimPublish_SingleProducerTwoBlockingConsumers() => ClaimPublish(_singleTwoBlockingConsumers);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long ClaimPublish_SingleProducerBatch10()
    {
        var ring = _single;
        long high = 0;
        for (long i = 0; i < Operations; i += Batch)
        {
            high = ring.Next(Batch);
            for (var s = high - Batch + 1; s <= high; s++)
            {
                ring[s].Value = s;
            }

            ring.Publish(high - Batch + 1, high);
        }

        return high;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long TryClaimPublish_SingleProducer()
    {
        var ring = _single;
        long sequence = 0;
        for (long i = 0; i < Operations; i++)
        {
            if (ring.TryNext(out sequence))
            {
                ring[sequence].Value = i;
                ring.Publish(sequence);
            }
        }

        return sequence;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long ClaimPublish_MultiProducer()
    {
        var ring = _multi;
        long sequence = 0;
        for (long i = 0; i < Operations; i++)
        {
            sequence = ring.Next();
            ring[sequence].Value = i;
            ring.Publish(sequence);
        }

        return sequence;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long ClaimPublish_MultiProducerBatch10()
    {
        var ring = _multi;
        long high = 0;
        for (long i = 0; i < Operations; i += Batch)
        {
            high = ring.Next(Batch);
            for (var s = high - Batch + 1; s <= high; s++)
            {
                ring[s].Value = s;
            }

            ring.Publish(high - Batch + 1, high);
        }

        return high;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long TryClaimPublish_MultiProducer()
    {
        var ring = _multi;
        long sequence = 0;
        for (long i = 0; i < Operations; i++)
        {
            if (ring.TryNext(out sequence))
            {
                ring[sequence].Value = i;
                ring.Publish(sequence);
            }
        }

        return sequence;
    }

    private static long ClaimPublish(RingBuffer<LongSlot> ring)
    {
        long sequence = 0;
        for (long i = 0; i < Operations; i++)
        {
            sequence = ring.Next();
            ring[sequence].Value = i;
            ring.Publish(sequence);
        }

        return sequence;
    }

    /// <summary>The 8-byte slot.</summary>
    public struct LongSlot
    {
        public long Value;
    }
}
