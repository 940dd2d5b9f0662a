#!/usr/bin/env bash
# Writes the 128-byte value-event tests into a local Disruptor-net clone (the test file goes into that clone only):
# the counterpart of OptiFlow's OneToOne.MarketEvent[.Batch10].Ring and CoreJournal.OneToTwo.MarketEvent[.Batch10].Ring.
# usage: add-dn-value128-tests.sh DN_DIR   (idempotent: rewrites the one file)
set -eu
DN_DIR=$1
OUT="$DN_DIR/src/Disruptor.PerfTests/Throughput/OneToOne/ValueEventHandler/LocalValue128Tests.cs"
cat > "$OUT" <<'CS'
// Local test (OptiFlow side-by-side, issue 20 item 4): a 128-byte struct slot, as OptiFlow's MarketEvent.
using System;
using System.Runtime.InteropServices;
using System.Threading;
using Disruptor.PerfTests.Support;
using Disruptor.Processing;
using Disruptor.Testing.Support;

namespace Disruptor.PerfTests.Throughput.OneToOne.ValueEventHandler;

// The same offsets as the fields OptiFlow's MarketEvent test writes and reads: Kind 0, ReceiveTimestampNs 8, Price 72
// (the second cache line of the slot), so both harnesses touch the same lines of each slot.
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct PerfValueEvent128
{
    [FieldOffset(0)] public byte Kind;
    [FieldOffset(72)] public long Value;
    [FieldOffset(8)] public long Timestamp;
}

public class AdditionEventHandler128 : IValueEventHandler<PerfValueEvent128>
{
    private PaddedLong _value;
    private PaddedLong _batchesProcessed;
    private long _latchSequence;
    private readonly ManualResetEvent _latch = new(false);

    public long Value => _value.Value;
    public long BatchesProcessed => _batchesProcessed.Value;

    public void WaitForSequence() => _latch.WaitOne();

    public void Reset(long expectedSequence)
    {
        _value.Value = 0;
        _latch.Reset();
        _latchSequence = expectedSequence;
        _batchesProcessed.Value = 0;
    }

    public void OnEvent(ref PerfValueEvent128 data, long sequence, bool endOfBatch)
    {
        _value.Value += data.Value;
        if (_latchSequence == sequence)
        {
            _latch.Set();
        }
    }

    public void OnBatchStart(long batchSize) => _batchesProcessed.Value++;
}

public abstract class Value128ThroughputTestBase : IThroughputTest
{
    private const int _bufferSize = 1024 * 64;
    private readonly int _batchSize;
    private readonly long _events;
    private readonly ValueRingBuffer<PerfValueEvent128> _ringBuffer;
    private readonly AdditionEventHandler128[] _handlers;
    private readonly IValueEventProcessor<PerfValueEvent128>[] _processors;

    protected Value128ThroughputTestBase(ProgramOptions options, int consumers, int batchSize, long defaultEvents)
    {
        _batchSize = batchSize;
        _events = PerfTestUtil.Iterations(defaultEvents, batchSize) * batchSize;
        _ringBuffer = ValueRingBuffer<PerfValueEvent128>.CreateSingleProducer(() => new PerfValueEvent128(), _bufferSize, options.GetWaitStrategy());
        _handlers = new AdditionEventHandler128[consumers];
        _processors = new IValueEventProcessor<PerfValueEvent128>[consumers];
        for (var i = 0; i < consumers; i++)
        {
            _handlers[i] = new AdditionEventHandler128();
            _processors[i] = EventProcessorFactory.Create(_ringBuffer, _ringBuffer.NewBarrier(), _handlers[i]);
            _ringBuffer.AddGatingSequences(_processors[i].Sequence);
        }
    }

    // 2, not 1 + consumers: the harness refuses a test needing more CPUs than the machine has, and the
    // comparison runs on 2 vCPUs (OptiFlow's CoreJournal.OneToTwo runs its three threads there too).
    public int RequiredProcessorCount => 2;

    public long Run(ThroughputSessionContext sessionContext)
    {
        var expectedCount = _processors[0].Sequence.Value + _events;
        foreach (var handler in _handlers)
        {
            handler.Reset(expectedCount);
        }

        foreach (var processor in _processors)
        {
            processor.Start().Wait(TimeSpan.FromSeconds(5));
        }

        sessionContext.Start();
        var ringBuffer = _ringBuffer;
        if (_batchSize == 1)
        {
            for (long i = 0; i < _events; i++)
            {
                var sequence = ringBuffer.Next();
                ref var slot = ref ringBuffer[sequence];
                slot.Kind = 1;
                slot.Value = i;
                slot.Timestamp = i;
                ringBuffer.Publish(sequence);
            }
        }
        else
        {
            long value = 0;
            while (value < _events)
            {
                var hi = ringBuffer.Next(_batchSize);
                var lo = hi - (_batchSize - 1);
                for (var s = lo; s <= hi; s++)
                {
                    ref var slot = ref ringBuffer[s];
                    slot.Kind = 1;
                    slot.Value = value;
                    slot.Timestamp = value;
                    value++;
                }

                ringBuffer.Publish(lo, hi);
            }
        }

        foreach (var handler in _handlers)
        {
            handler.WaitForSequence();
        }

        sessionContext.Stop();
        long batches = 0;
        foreach (var processor in _processors)
        {
            PerfTestUtil.WaitForEventProcessorSequence(expectedCount, processor);
            processor.Halt().Wait(2000);
        }

        foreach (var handler in _handlers)
        {
            batches += handler.BatchesProcessed;
        }

        sessionContext.SetBatchData(batches / _handlers.Length, _events);
        var expected = PerfTestUtil.AccumulatedAddition(_events);
        foreach (var handler in _handlers)
        {
            PerfTestUtil.FailIfNot(expected, handler.Value, $"Handler should have summed {expected}, but was: {handler.Value}");
        }

        return _events;
    }
}

public class OneToOneSequencedThroughputTest_Value128(ProgramOptions options) : Value128ThroughputTestBase(options, 1, 1, 10_000_000);

public class OneToOneSequencedThroughputTest_Value128_BatchPublisher(ProgramOptions options) : Value128ThroughputTestBase(options, 1, 10, 20_000_000);

public class OneToTwoSequencedThroughputTest_Value128(ProgramOptions options) : Value128ThroughputTestBase(options, 2, 1, 8_000_000);

public class OneToTwoSequencedThroughputTest_Value128_BatchPublisher(ProgramOptions options) : Value128ThroughputTestBase(options, 2, 10, 10_000_000);
CS
# Register the four types in the harness's static test list (PerfTestType.GeAll), once.
LIST="$DN_DIR/src/Disruptor.PerfTests/PerfTestType.cs"
if ! grep -q "Value128" "$LIST"; then
    sed -i 's/^\( *\)new(typeof(Throughput.OneToOne.ValueEventHandler.OneToOneSequencedThroughputTest_Value_BatchPublisher)),$/&\n\1new(typeof(Throughput.OneToOne.ValueEventHandler.OneToOneSequencedThroughputTest_Value128)),\n\1new(typeof(Throughput.OneToOne.ValueEventHandler.OneToOneSequencedThroughputTest_Value128_BatchPublisher)),\n\1new(typeof(Throughput.OneToOne.ValueEventHandler.OneToTwoSequencedThroughputTest_Value128)),\n\1new(typeof(Throughput.OneToOne.ValueEventHandler.OneToTwoSequencedThroughputTest_Value128_BatchPublisher)),/' "$LIST"
fi
grep -c "Value128" "$LIST" | grep -qx 4 || { echo "registering the Value128 tests in $LIST failed"; exit 2; }
echo "wrote $OUT and registered its tests in $LIST"
