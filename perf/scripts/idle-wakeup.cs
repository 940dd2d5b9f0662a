#:project ../../engine/OptiFlow.Engine/OptiFlow.Engine.csproj
#:property AllowUnsafeBlocks=true
#:property NoWarn=$(NoWarn);CS1591;CA1515;CA1305;CA1812
// Idle wake-up probe (tuning.md, "Wait strategies for live runs"): one producer publishes one event every GAP ms onto an
// otherwise idle ring, so the consumer is in its deepest wait each time; the consumer (a BatchEventProcessor with the
// strategy under test) records publish -> OnEvent in a LatencyHistogram. Also prints the consumer thread's CPU over
// the run from /proc/self/task (Linux).
//
//   producer --Thread.Sleep(GAP); stamp; Publish--> [ ring, 1024 slots ] --WaitFor (strategy)--> consumer: now - stamp
//
// Run: dotnet run -c Release perf/scripts/idle-wakeup.cs -- [GAP_MS=3] [EVENTS=1500] [busy-spin yielding sleeping blocking]
using System.Diagnostics;
using OptiFlow.Engine;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Engine.WaitStrategies;

var gapMs = args.Length > 0 ? int.Parse(args[0]) : 3;
var count = args.Length > 1 ? int.Parse(args[1]) : 1500;
string[] names = args.Length > 2 ? args[2..] : ["busy-spin", "yielding", "sleeping", "blocking"];
Console.WriteLine($"{Environment.ProcessorCount} CPUs, gap {gapMs} ms, {count} events per strategy, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
foreach (var name in names)
{
    IWaitStrategy strategy = name switch
    {
        "busy-spin" => new BusySpinWaitStrategy(),
        "yielding" => new YieldingWaitStrategy(),
        "sleeping" => new SleepingWaitStrategy(),
        "blocking" => new BlockingWaitStrategy(),
        _ => throw new ArgumentException($"unknown strategy {name}"),
    };
    var ring = new RingBuffer<Stamp>(1024, strategy, ProducerType.Single);
    var histogram = new LatencyHistogram(name);
    using var processor = new BatchEventProcessor<Stamp, Recorder>(ring, ring.Sequencer.NewBarrier(), new Recorder(histogram));
    ring.Sequencer.SetGatingSequences(processor.Sequence);
    processor.Start("probe-consumer");
    Thread.Sleep(200);
    var before = ConsumerTicks();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        Thread.Sleep(gapMs);
        var s = ring.Next();
        ring[s].Ticks = Stopwatch.GetTimestamp();
        ring.Publish(s);
    }

    while (processor.Sequence.Value < count - 1)
    {
        Thread.Sleep(1);
    }

    var cpu = (ConsumerTicks() - before) / 100.0 / clock.Elapsed.TotalSeconds;
    processor.Halt();
    processor.Join(TimeSpan.FromSeconds(5));
    Console.WriteLine($"{name,-10} consumer CPU {cpu,6:P1}   publish->pickup ns: p50 {histogram.ValueAtPercentile(50),9:N0}  p90 {histogram.ValueAtPercentile(90),9:N0}  p99 {histogram.ValueAtPercentile(99),9:N0}  max {histogram.Max,11:N0}  (n {histogram.TotalCount})");
}

// utime + stime (1/100 s) of the consumer thread, by its name.
static long ConsumerTicks()
{
    long total = 0;
    foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
    {
        var stat = File.ReadAllText(Path.Combine(task, "stat"));
        var close = stat.LastIndexOf(')');
        if (!stat[(stat.IndexOf('(') + 1)..close].StartsWith("probe-consumer", StringComparison.Ordinal))
        {
            continue;
        }

        var fields = stat[(close + 2)..].Split(' ');
        total += long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    return total;
}

internal struct Stamp
{
    public long Ticks;
}

internal readonly struct Recorder(LatencyHistogram histogram) : IEventHandler<Stamp>
{
    private static readonly double TicksToNs = 1e9 / Stopwatch.Frequency;

    public void OnStart()
    {
    }

    public void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref Stamp data, long sequence, bool endOfBatch) => histogram.Record((long)((Stopwatch.GetTimestamp() - data.Ticks) * TicksToNs));

    public void OnShutdown()
    {
    }
}
