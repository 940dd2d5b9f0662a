using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>
/// Publishes execution reports into the inbound ring as <see cref="MarketEventKind.ExecutionReport"/> slots, so the core
/// sees them in sequence with the market and the journal keeps them for the replay.
/// </summary>
/// <remarks>
/// <para>Thread-safe (the inbound ring is multi-producer when a session trades). A venue's own threads (a socket's
/// receive thread) claim a slot and wait for one when the ring is full: no consumer of the ring waits on them. The gateway
/// thread is itself a consumer of the ring, so it never waits: when no slot is free its reports go to a bounded backlog
/// (<see cref="TradingOptions.ReportBacklog"/>) published by <see cref="FlushBacklog"/> in order, before any newer report
/// of the gateway thread. A report beyond the backlog is counted in <see cref="Lost"/> and raises <see cref="Overflowed"/>
/// (the gateway trips its kill switch: the core's view of its orders would be wrong).</para>
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
    private int _gatewayThreadId = -1;
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

    /// <summary>Reports waiting in the backlog (gateway thread).</summary>
    public int Backlog => _count;

    /// <summary>Whether a report was lost since the gateway last looked (gateway thread).</summary>
    public bool Overflowed { get; set; }

    /// <summary>Marks the calling thread as the gateway thread (the one that must not wait on the ring).</summary>
    public void BindGatewayThread() => _gatewayThreadId = Environment.CurrentManagedThreadId;

    /// <inheritdoc/>
    public void OnExecutionReport(in ExecutionReport report)
    {
        var receiveNs = MonotonicClock.NowNs;
        if (Environment.CurrentManagedThreadId != _gatewayThreadId)
        {
            var sequence = _ring.Next();
            Write(sequence, report, receiveNs);
            return;
        }

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
        _count++;
    }

    /// <summary>Publishes what the backlog holds while slots are free (gateway thread).</summary>
    /// <returns>Whether anything was published.</returns>
    public bool FlushBacklog()
    {
        var any = false;
        while (_count > 0 && _ring.TryNext(out var s))
        {
            Write(s, _backlog[_head], _backlogReceiveNs[_head]);
            _head = (_head + 1) % _backlog.Length;
            _count--;
            any = true;
        }

        return any;
    }

    private void Write(long sequence, in ExecutionReport report, long receiveNs)
    {
        ref var slot = ref _ring[sequence];
        ExecutionReportEvent.Write(ref slot, report, _market, receiveNs);
        slot.PublishTimestampNs = MonotonicClock.NowNs;
        _ring.Publish(sequence);
        Interlocked.Increment(ref _published);
    }
}
