using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// The producer side of the inbound ring for live data: decodes a frame into a thread-owned header slot, lets the
/// caller inspect it (gap, duplicate), then claims ring slots, writes the event (one slot per depth level) and
/// publishes. The same approach as the file path's <c>RingPublisher</c> (tools/OptiFlow.Cli), adapted to a
/// multi-producer ring.
/// </summary>
/// <remarks>
/// <para>Why a header slot and not a claimed slot: live data has several producers (one receive thread per WebSocket
/// connection plus the control thread publishing snapshots), so the ring is a <see cref="ProducerType.Multi"/> ring,
/// where a claimed-but-unpublished slot stalls every consumer; a claim cannot be held across a blocking receive, nor
/// given back when a frame turns out to be a duplicate. Decoding into the 128-byte header and copying it into the
/// claimed slot costs one copy per event; a depth message already copies the header into each level slot.</para>
/// <para>A frame that fails to decode becomes one <see cref="MarketEventKind.DecodeError"/> slot (published, counted by
/// the core). Frames of streams not decoded publish nothing. One instance per producer thread; not thread-safe.
/// Allocation-free in steady state (the level buffer grows only for a message larger than any before).</para>
/// </remarks>
/// <example><code>
/// var outcome = publisher.Decode(frame, symbolHint: -1);
/// if (outcome != FrameOutcome.Ignored) { publisher.Publish(outcome, receiveNs, wallClockNs); }
/// </code></example>
public sealed class LiveFramePublisher
{
    private readonly RingBuffer<MarketEvent> _ring;
    private readonly BinanceFrameDecoder _decoder;
    private readonly DepthLevelBuffer _levels = new();
    private readonly int _maxChunk;
    private MarketEvent _header;

    /// <summary>Creates a publisher.</summary>
    /// <param name="ring">The inbound ring (any producer type; several publishers need <see cref="ProducerType.Multi"/>).</param>
    /// <param name="decoder">This thread's decoder.</param>
    public LiveFramePublisher(RingBuffer<MarketEvent> ring, BinanceFrameDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(decoder);
        _ring = ring;
        _decoder = decoder;
        _maxChunk = Math.Max(1, ring.BufferSize / 2);
    }

    /// <summary>Frame received → decoded and published, ns.</summary>
    public LatencyHistogram PublishLatency { get; } = new("frame received -> published");

    /// <summary>Frames decoded.</summary>
    public long Frames { get; private set; }

    /// <summary>Frames that became decode-error events.</summary>
    public long ErrorFrames { get; private set; }

    /// <summary>Frames of streams not decoded.</summary>
    public long IgnoredFrames { get; private set; }

    /// <summary>Slots published.</summary>
    public long PublishedSlots { get; private set; }

    /// <summary>The decoder (for its counters).</summary>
    public BinanceFrameDecoder Decoder => _decoder;

    /// <summary>The header of the last decoded frame: kind, symbol, ids and times (levels are not in it).</summary>
    public ref readonly MarketEvent Header => ref _header;

    /// <summary>Levels of the last decoded depth message or snapshot.</summary>
    public int LevelCount => _levels.Count;

    /// <summary>Decodes one frame into the header slot and the level buffer; publishes nothing.</summary>
    /// <param name="frame">The complete UTF-8 frame.</param>
    /// <param name="symbolHint">Symbol id for a bare REST snapshot, or -1.</param>
    /// <returns>The decoder's outcome.</returns>
    public FrameOutcome Decode(ReadOnlySpan<byte> frame, int symbolHint)
    {
        Frames++;
        var outcome = _decoder.Decode(frame, ref _header, _levels, symbolHint);
        if (outcome == FrameOutcome.Ignored)
        {
            IgnoredFrames++;
        }

        return outcome;
    }

    /// <summary>Publishes the last decoded frame.</summary>
    /// <param name="outcome">What <see cref="Decode"/> returned.</param>
    /// <param name="receiveNs">Monotonic ns when the whole frame had arrived (<see cref="MonotonicClock.NowNs"/>).</param>
    /// <param name="localTimestampNs">Wall-clock receive time, ns since the Unix epoch.</param>
    /// <remarks>Waits while the ring is full (the ring's policy). Allocation-free.</remarks>
    public void Publish(FrameOutcome outcome, long receiveNs, long localTimestampNs)
    {
        switch (outcome)
        {
            case FrameOutcome.Error:
                ErrorFrames++;
                _header.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                PublishOne(receiveNs, localTimestampNs);
                return;
            case FrameOutcome.Event:
                PublishOne(receiveNs, localTimestampNs);
                return;
            case FrameOutcome.Levels:
                PublishLevels(receiveNs, localTimestampNs);
                return;
            default:
                return;
        }
    }

    private void PublishOne(long receiveNs, long localTimestampNs)
    {
        var sequence = _ring.Next();
        ref var slot = ref _ring[sequence];
        slot = _header;
        slot.ReceiveTimestampNs = receiveNs;
        slot.LocalTimestampNs = localTimestampNs;
        var now = MonotonicClock.NowNs;
        slot.PublishTimestampNs = now;
        PublishedSlots++;
        _ring.Publish(sequence);
        PublishLatency.Record(now - receiveNs);
    }

    private void PublishLevels(long receiveNs, long localTimestampNs)
    {
        var header = _header;
        header.ReceiveTimestampNs = receiveNs;
        header.LocalTimestampNs = localTimestampNs;
        var count = _levels.Count;
        if (LevelSlotWriter.PrepareHeader(ref header, count))
        {
            _header = header;
            PublishOne(receiveNs, localTimestampNs);
            return;
        }

        var index = 0;
        while (index < count)
        {
            var chunk = Math.Min(count - index, _maxChunk);
            var high = _ring.Next(chunk);
            var low = high - chunk + 1;
            var now = LevelSlotWriter.Write(_ring, low, high, in header, _levels, index);
            index += chunk;
            PublishedSlots += chunk;
            _ring.Publish(low, high);
            if (index == count)
            {
                PublishLatency.Record(now - receiveNs);
            }
        }
    }
}
