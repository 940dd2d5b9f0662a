using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Cli.Session;

/// <summary>
/// The producer side of the inbound ring: decodes each frame straight into a claimed slot and publishes it; depth
/// and snapshot messages are validated whole first, then written one level per slot.
/// </summary>
/// <remarks>
/// A frame that fails to decode becomes one <see cref="MarketEventKind.DecodeError"/> slot (published, journaled and
/// counted by the core) carrying its code, byte offset, file and line; nothing else is lost. A frame of a stream we do
/// not decode publishes nothing and keeps its claimed slot for the next frame (a single producer may hold a claim
/// unpublished). Single producer thread; allocation-free in steady state.
/// </remarks>
internal sealed class RingPublisher
{
    private readonly RingBuffer<MarketEvent> _ring;
    private readonly BinanceFrameDecoder _decoder;
    private readonly DepthLevelBuffer _levels = new();
    private readonly int _maxChunk;
    private long _heldSequence = -1;

    public RingPublisher(RingBuffer<MarketEvent> ring, BinanceFrameDecoder decoder)
    {
        _ring = ring;
        _decoder = decoder;
        _maxChunk = Math.Max(1, ring.BufferSize / 2);
    }

    /// <summary>Frame complete → decoded and published, ns (stage 1).</summary>
    public LatencyHistogram PublishLatency { get; } = new("frame complete -> published");

    /// <summary>Frames handed to <see cref="Publish"/>.</summary>
    public long Frames { get; private set; }

    /// <summary>Frames of streams not decoded (counted, not published).</summary>
    public long IgnoredFrames { get; private set; }

    /// <summary>Frames that became decode-error events.</summary>
    public long ErrorFrames { get; private set; }

    /// <summary>Slots published.</summary>
    public long PublishedSlots { get; private set; }

    /// <summary>Decodes and publishes one frame.</summary>
    /// <param name="frame">The frame's UTF-8 bytes.</param>
    /// <param name="receiveNs">Monotonic ns when the frame was complete.</param>
    /// <param name="localTimestampNs">Wall-clock receive time recorded with the frame, ns since the epoch.</param>
    /// <param name="symbolHint">Symbol id for a bare snapshot, or -1.</param>
    /// <param name="fileIndex">Input file index.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="lineFormatError">Whether the line lacked its timestamp prefix.</param>
    public void Publish(ReadOnlySpan<byte> frame, long receiveNs, long localTimestampNs, int symbolHint, int fileIndex, long line, bool lineFormatError)
    {
        Frames++;
        if (_heldSequence < 0)
        {
            _heldSequence = _ring.Next();
        }

        var sequence = _heldSequence;
        ref var slot = ref _ring[sequence];
        FrameOutcome outcome;
        if (lineFormatError)
        {
            outcome = FrameOutcome.Error;
        }
        else
        {
            _levels.Clear();
            outcome = _decoder.Decode(frame, ref slot, _levels, symbolHint);
        }

        switch (outcome)
        {
            case FrameOutcome.Ignored:
                IgnoredFrames++;
                return;
            case FrameOutcome.Error:
                ErrorFrames++;
                slot = default;
                slot.Kind = MarketEventKind.DecodeError;
                slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                slot.SymbolId = -1;
                slot.Market = _decoder.Market;
                slot.ErrorCode = lineFormatError ? DecodeErrorCode.InvalidLineFormat : _decoder.LastError;
                slot.ErrorOffset = lineFormatError ? 0 : _decoder.LastErrorOffset;
                Stamp(ref slot, receiveNs, localTimestampNs, fileIndex, line);
                PublishOne(sequence, receiveNs);
                return;
            case FrameOutcome.Event:
                Stamp(ref slot, receiveNs, localTimestampNs, fileIndex, line);
                PublishOne(sequence, receiveNs);
                return;
            default:
                PublishLevels(sequence, receiveNs, localTimestampNs, fileIndex, line);
                return;
        }
    }

    private static void Stamp(ref MarketEvent slot, long receiveNs, long localTimestampNs, int fileIndex, long line)
    {
        slot.ReceiveTimestampNs = receiveNs;
        slot.LocalTimestampNs = localTimestampNs;
        slot.SourceFileIndex = (ushort)fileIndex;
        slot.SourceLine = line;
    }

    private void PublishOne(long sequence, long receiveNs)
    {
        var now = MonotonicClock.NowNs;
        _ring[sequence].PublishTimestampNs = now;
        _heldSequence = -1;
        PublishedSlots++;
        _ring.Publish(sequence);
        PublishLatency.Record(now - receiveNs);
    }

    private void PublishLevels(long firstSequence, long receiveNs, long localTimestampNs, int fileIndex, long line)
    {
        // The header (kind, symbol, ids, times) is in the held slot; every level slot is that header plus one level.
        ref var first = ref _ring[firstSequence];
        Stamp(ref first, receiveNs, localTimestampNs, fileIndex, line);
        var header = first;
        var count = _levels.Count;
        if (LevelSlotWriter.PrepareHeader(ref header, count))
        {
            first = header;
            PublishOne(firstSequence, receiveNs);
            return;
        }

        _heldSequence = -1;

        // Level 0 goes into the held slot; the rest are claimed in chunks no larger than half the ring.
        var low = firstSequence;
        var high = firstSequence;
        var index = 0;
        while (true)
        {
            var now = LevelSlotWriter.Write(_ring, low, high, in header, _levels, index);
            index += (int)(high - low + 1);
            PublishedSlots += high - low + 1;
            _ring.Publish(low, high);
            if (index == count)
            {
                PublishLatency.Record(now - receiveNs);
                return;
            }

            var chunk = Math.Min(count - index, _maxChunk);
            high = _ring.Next(chunk);
            low = high - chunk + 1;
        }
    }
}
