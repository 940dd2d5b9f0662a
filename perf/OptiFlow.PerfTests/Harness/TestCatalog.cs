using OptiFlow.Engine.Model;
using OptiFlow.PerfTests.Baselines;
using OptiFlow.PerfTests.Events;
using OptiFlow.PerfTests.Ring;

namespace OptiFlow.PerfTests.Harness;

/// <summary>
/// Every test of the harness with its default event count, chosen so one default run (7 runs of each) stays under
/// about three minutes on a loaded 2-core VM. Baselines move fewer events than the ring because they are slower; ops/s does not
/// depend on it.
/// </summary>
internal static class TestCatalog
{
    public static IThroughputTest[] Throughput() =>
    [
        new OneToOneRingThroughputTest<LongEvent, LongEventAccessor>(1, 25_000_000),
        new OneToOneQueueThroughputTest<LongEvent, LongEventAccessor, ChannelQueue<LongEvent>>(3_000_000),
        new OneToOneQueueThroughputTest<LongEvent, LongEventAccessor, ConcurrentQueueQueue<LongEvent>>(6_000_000),
        new OneToOneRingThroughputTest<LongEvent, LongEventAccessor>(10, 40_000_000),
        new OneToOneRingThroughputTest<MarketEvent, MarketEventAccessor>(1, 10_000_000),
        new OneToOneQueueThroughputTest<MarketEvent, MarketEventAccessor, ChannelQueue<MarketEvent>>(1_500_000),
        new OneToOneQueueThroughputTest<MarketEvent, MarketEventAccessor, ConcurrentQueueQueue<MarketEvent>>(3_000_000),
        new OneToOneRingThroughputTest<MarketEvent, MarketEventAccessor>(10, 20_000_000),
        new CoreJournalRingThroughputTest<MarketEvent, MarketEventAccessor>(1, 8_000_000),
        new CoreJournalRingThroughputTest<MarketEvent, MarketEventAccessor>(10, 10_000_000),
        new OneToManyRingThroughputTest(2, 8_000_000),
        new OneToManyQueueThroughputTest<ChannelQueue<LongEvent>>(2, 600_000),
        new OneToManyQueueThroughputTest<ConcurrentQueueQueue<LongEvent>>(2, 1_500_000),
        new PipelineRingThroughputTest(8_000_000),
        new PipelineQueueThroughputTest<ChannelQueue<LongEvent>>(600_000),
        new PipelineQueueThroughputTest<ConcurrentQueueQueue<LongEvent>>(1_500_000),
        new ThreeToOneRingThroughputTest(3_000_000),
        new ThreeToOneQueueThroughputTest<ChannelQueue<LongEvent>>(900_000),
        new ThreeToOneQueueThroughputTest<ConcurrentQueueQueue<LongEvent>>(2_100_000),
        new OneToManyRingThroughputTest(3, 5_000_000),
        new OneToManyQueueThroughputTest<ChannelQueue<LongEvent>>(3, 400_000),
        new OneToManyQueueThroughputTest<ConcurrentQueueQueue<LongEvent>>(3, 1_000_000),
        new DiamondRingThroughputTest(5_000_000),
        new DiamondQueueThroughputTest<ChannelQueue<LongEvent>>(500_000),
        new DiamondQueueThroughputTest<ConcurrentQueueQueue<LongEvent>>(1_000_000),
    ];

    public static ILatencyTest[] Latency() =>
    [
        new PingPongRingLatencyTest(100_000),
        new PingPongQueueLatencyTest<ChannelQueue<LongEvent>>(100_000),
    ];
}
