using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>
/// Publishes execution reports into the inbound ring as <see cref="MarketEventKind.ExecutionReport"/> slots, so the core
/// sees them in sequence with the market and the journal keeps them for the replay.
/// </summary>
/// <remarks>
/// <para>Thread-safe: the gateway thread and a venue's own threads (a socket's receive thread, which may hold the venue's
/// order lock while it reports) publish through one short lock, so reports enter the ring in the order they were made.
/// Nobody ever waits for a slot: the gateway is itself a consumer of the ring (waiting would wait on itself), and a
/// receive thread waiting under the venue's lock would stall the gateway's next send. When no slot is free a report goes
/// to a bounded backlog (<see cref="TradingOptions.ReportBacklog"/>), and every later report behind it, until the gateway
/// publishes it (<see cref="FlushBacklog"/>, every loop). A report beyond the backlog is counted in <see cref="Lost"/> and
/// raises <see cref="Overflowed"/> (the gateway trips its kill switch: the core's view of its orders would be wrong).</para>
/// <para>Allocation-free after construction.</para>
/// </remarks>
internal sealed class InboundReportPublisher : IExecutionReportSink
{
    private readonly RingBuffer<MarketEvent> _ring;
    private readonly Market _market;
    private readonly ExecutionReport[] _backlog;
    private readonly long[] _backlogReceiveNs;
    private int _head;
    private int _count;
    private readonly object _gate = new(); // a Monitor: its contended wait allocates nothing, a System.Threading.Lock's first one ~280 B
    private long _lost;
    private long _published;

    public InboundReportPublisher(RingBuffer<MarketEvent> ring, Market market, int backlog)
    {
        _ring = ring;
        _market = market;
        _backlog = new ExecutionReport[backlog];
        _backlogReceiveNs = new long[backlog];
    }

    /// <summary>Reports published into the ring so far (any thread).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Reports the backlog could not hold.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Reports waiting in the backlog (any thread; a snapshot).</summary>
    public int Backlog => Volatile.Read(ref _count);

    /// <summary>Whether a report was lost since the gateway last looked (gateway thread clears it).</summary>
    public bool Overflowed { get; set; }

    /// <inheritdoc/>
    public void OnExecutionReport(in ExecutionReport report)
    {
        var receiveNs = MonotonicClock.NowNs;
        lock (_gate)
        {
            if (_count == 0 && _ring.TryNext(out var s))
            {
                Write(s, report, receiveNs);
                return;
            }

            if (_count == _backlog.Length)
            {
                Interlocked.Increment(ref _lost);
                Overflowed = true;
                return;
            }

            var tail = (_head + _count) % _backlog.Length;
            _backlog[tail] = report;
            _backlogReceiveNs[tail] = receiveNs;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>Publishes what the backlog holds while slots are free, oldest first (the gateway thread, every loop).</summary>
    /// <returns>Whether anything was published.</returns>
    public bool FlushBacklog()
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return false;
        }

        var any = false;
        lock (_gate)
        {
            while (_count > 0 && _ring.TryNext(out var s))
            {
                Write(s, _backlog[_head], _backlogReceiveNs[_head]);
                _head = (_head + 1) % _backlog.Length;
                Volatile.Write(ref _count, _count - 1);
                any = true;
            }
        }

        return any;
    }

    private void Write(long sequence, in ExecutionReport report, long receiveNs)
    {
        ref var slot = ref _ring[sequence];
        ExecutionReportEvent.Write(ref slot, report, _market, receiveNs, (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100);
        slot.PublishTimestampNs = MonotonicClock.NowNs;
        _ring.Publish(sequence);
        Interlocked.Increment(ref _published);
    }
}
