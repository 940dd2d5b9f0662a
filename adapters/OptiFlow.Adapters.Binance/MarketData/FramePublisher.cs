using OptiFlow.Engine;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.MarketData;

/// <summary>
/// The producer side of the inbound ring, for recorded files and live connections alike: decodes each Binance frame
/// into a ring slot and publishes it, a depth or snapshot message as one slot per level (<see cref="DepthMessageFramer"/>).
/// </summary>
/// <remarks>
/// <para><b>Two ways in.</b> <see cref="Publish(ReadOnlySpan{byte}, long, long, int, int, long, bool)"/> decodes and
/// publishes in one call (file sources). <see cref="Decode"/> then <see cref="Publish(FrameOutcome, long, long)"/> lets
/// a live receive thread inspect the decoded <see cref="Header"/> (chain tracking, duplicates) before publishing.</para>
/// <para><b>Where it decodes.</b> On a <see cref="ProducerType.Single"/> ring the one-call path decodes straight into a
/// claimed slot, which it may hold across frames that publish nothing (a single producer's claim stalls nobody). On a
/// <see cref="ProducerType.Multi"/> ring a held claim would stall every consumer and could not be given back, so it
/// decodes into a thread-owned header and copies it into the claimed slot (one 128-byte copy per event).</para>
/// <para><b>Errors.</b> A frame that fails to decode becomes one <see cref="MarketEventKind.DecodeError"/> slot
/// (published, journaled, counted by the core) with its code, byte offset, and file and line when known; frames of
/// streams not decoded publish nothing and are counted. Nothing is dropped silently.</para>
/// <para>One instance per producer thread; not thread-safe. Allocation-free in steady state (the level buffer grows
/// only for a message larger than any before).</para>
/// </remarks>
/// <example><code>
/// var publisher = new FramePublisher(ring, new BinanceFrameDecoder(Market.Futures, symbols));
/// publisher.Publish(frame, MonotonicClock.NowNs, wallClockNs, symbolHint: -1, fileIndex: 0, line: 1, lineFormatError: false);
/// </code></example>
public sealed class FramePublisher
{
    private readonly RingBuffer<MarketEvent> _ring;
    private readonly BinanceFrameDecoder _decoder;
    private readonly DepthLevelBuffer _levels = new();
    private readonly int _maxChunk;
    private readonly bool _decodeInPlace;
    private MarketEvent _header;
    private long _heldSequence = -1;

    /// <summary>Creates a publisher for one producer thread.</summary>
    /// <param name="ring">The inbound ring; several publishers need a <see cref="ProducerType.Multi"/> ring.</param>
    /// <param name="decoder">This thread's decoder.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public FramePublisher(RingBuffer<MarketEvent> ring, BinanceFrameDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(decoder);
        _ring = ring;
        _decoder = decoder;
        _maxChunk = Math.Max(1, ring.BufferSize / 2);
        _decodeInPlace = ring.ProducerType == ProducerType.Single;
        PublishLatency = new LatencyHistogram(_decodeInPlace ? "frame complete -> published" : "frame received -> published");
    }

    /// <summary>Frame complete → decoded and published, ns (the first latency stage).</summary>
    public LatencyHistogram PublishLatency { get; }

    /// <summary>Frames decoded.</summary>
    public long Frames { get; private set; }

    /// <summary>Frames that became decode-error events.</summary>
    public long ErrorFrames { get; private set; }

    /// <summary>Frames of streams not decoded (counted, not published).</summary>
    public long IgnoredFrames { get; private set; }

    /// <summary>Slots published.</summary>
    public long PublishedSlots { get; private set; }

    /// <summary>The decoder (for its counters).</summary>
    public BinanceFrameDecoder Decoder => _decoder;

    /// <summary>The header of the last frame given to <see cref="Decode"/>: kind, symbol, ids and times (levels are not in it).</summary>
    public ref readonly MarketEvent Header => ref _header;

    /// <summary>Levels of the last decoded depth message or snapshot.</summary>
    public int LevelCount => _levels.Count;

    /// <summary>Decodes and publishes one frame (file sources).</summary>
    /// <param name="frame">The frame's UTF-8 bytes.</param>
    /// <param name="receiveNs">Monotonic ns when the frame was complete (<see cref="MonotonicClock.NowNs"/>).</param>
    /// <param name="localTimestampNs">Wall-clock receive time recorded with the frame, ns since the Unix epoch.</param>
    /// <param name="symbolHint">Symbol id for a bare REST snapshot, or -1.</param>
    /// <param name="fileIndex">Index of the input file (0 for none).</param>
    /// <param name="line">1-based line in that file (0 for none).</param>
    /// <param name="lineFormatError">Whether the line lacked its timestamp prefix: published as an
    /// <see cref="DecodeErrorCode.InvalidLineFormat"/> error without decoding.</param>
    /// <remarks>Waits while the ring is full (the ring's policy). Allocation-free.</remarks>
    public void Publish(ReadOnlySpan<byte> frame, long receiveNs, long localTimestampNs, int symbolHint, int fileIndex, long line, bool lineFormatError)
    {
        if (!_decodeInPlace)
        {
            var decoded = lineFormatError ? LineFormatError(ref _header) : Decode(frame, symbolHint);
            if (lineFormatError)
            {
                Frames++;
            }

            _header.SourceFileIndex = (ushort)fileIndex;
            _header.SourceLine = line;
            Publish(decoded, receiveNs, localTimestampNs);
            return;
        }

        Frames++;
        if (_heldSequence < 0)
        {
            _heldSequence = _ring.Next();
        }

        var sequence = _heldSequence;
        ref var slot = ref _ring[sequence];
        var outcome = lineFormatError ? LineFormatError(ref slot) : _decoder.Decode(frame, ref slot, _levels, symbolHint);
        if (outcome == FrameOutcome.Ignored)
        {
            IgnoredFrames++;
            return;
        }

        _heldSequence = -1;
        if (outcome == FrameOutcome.Error)
        {
            ErrorFrames++;
            if (!lineFormatError)
            {
                WriteError(ref slot, _decoder.LastError, _decoder.LastErrorOffset);
            }
        }

        slot.ReceiveTimestampNs = receiveNs;
        slot.LocalTimestampNs = localTimestampNs;
        slot.SourceFileIndex = (ushort)fileIndex;
        slot.SourceLine = line;

        if (outcome != FrameOutcome.Levels || DepthMessageFramer.PrepareHeader(ref slot, _levels.Count))
        {
            PublishOne(sequence, receiveNs);
            return;
        }

        var header = slot;
        var now = DepthMessageFramer.Publish(_ring, sequence, in header, _levels.Sides, _levels.Prices, _levels.Quantities, _maxChunk);
        PublishedSlots += _levels.Count;
        PublishLatency.Record(now - receiveNs);
    }

    /// <summary>
    /// Publishes one <see cref="MarketEventKind.DecodeError"/> event that no frame produced: input that could not be read
    /// (<see cref="DecodeErrorCode.CorruptInput"/>, <see cref="DecodeErrorCode.TruncatedInput"/> for damaged gzip data),
    /// so the core counts it, the journal keeps it and a replay reproduces it like any decode error.
    /// </summary>
    /// <param name="code">The error.</param>
    /// <param name="receiveNs">Monotonic ns when it was met (<see cref="MonotonicClock.NowNs"/>).</param>
    /// <param name="localTimestampNs">Wall-clock time to record with it, ns since the Unix epoch (0 for none).</param>
    /// <param name="fileIndex">Index of the input file.</param>
    /// <param name="line">1-based line where the input stopped being readable.</param>
    /// <remarks>Counted as a frame and an error frame. Waits while the ring is full. Allocation-free.</remarks>
    public void PublishError(DecodeErrorCode code, long receiveNs, long localTimestampNs, int fileIndex, long line)
    {
        Frames++;
        ErrorFrames++;
        var sequence = _heldSequence >= 0 ? _heldSequence : _ring.Next();
        _heldSequence = -1;
        ref var slot = ref _ring[sequence];
        WriteError(ref slot, code, 0);
        slot.ReceiveTimestampNs = receiveNs;
        slot.LocalTimestampNs = localTimestampNs;
        slot.SourceFileIndex = (ushort)fileIndex;
        slot.SourceLine = line;
        PublishOne(sequence, receiveNs);
    }

    /// <summary>Decodes one frame into <see cref="Header"/> and the level buffer; publishes nothing.</summary>
    /// <param name="frame">The complete UTF-8 frame.</param>
    /// <param name="symbolHint">Symbol id for a bare REST snapshot, or -1.</param>
    /// <returns>The decoder's outcome.</returns>
    /// <remarks>Allocation-free.</remarks>
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

    /// <summary>Publishes the frame last given to <see cref="Decode"/>.</summary>
    /// <param name="outcome">What <see cref="Decode"/> returned (<see cref="FrameOutcome.Ignored"/> publishes nothing).</param>
    /// <param name="receiveNs">Monotonic ns when the whole frame had arrived (<see cref="MonotonicClock.NowNs"/>).</param>
    /// <param name="localTimestampNs">Wall-clock receive time, ns since the Unix epoch.</param>
    /// <remarks>Waits while the ring is full (the ring's policy). Allocation-free.</remarks>
    public void Publish(FrameOutcome outcome, long receiveNs, long localTimestampNs)
    {
        if (outcome == FrameOutcome.Ignored)
        {
            return;
        }

        _header.ReceiveTimestampNs = receiveNs;
        _header.LocalTimestampNs = localTimestampNs;
        if (outcome == FrameOutcome.Error)
        {
            ErrorFrames++;
            _header.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
        }

        if (outcome != FrameOutcome.Levels || DepthMessageFramer.PrepareHeader(ref _header, _levels.Count))
        {
            var sequence = _ring.Next();
            _ring[sequence] = _header;
            PublishOne(sequence, receiveNs);
            return;
        }

        var now = DepthMessageFramer.Publish(_ring, -1, in _header, _levels.Sides, _levels.Prices, _levels.Quantities, _maxChunk);
        PublishedSlots += _levels.Count;
        PublishLatency.Record(now - receiveNs);
    }

    private FrameOutcome LineFormatError(ref MarketEvent slot)
    {
        _levels.Clear();
        WriteError(ref slot, DecodeErrorCode.InvalidLineFormat, 0);
        return FrameOutcome.Error;
    }

    /// <summary>The one shape of a decode-error slot: one whole message, no symbol, the code and its byte offset.</summary>
    private void WriteError(ref MarketEvent slot, DecodeErrorCode code, int offset)
    {
        slot = default;
        slot.Kind = MarketEventKind.DecodeError;
        slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
        slot.SymbolId = -1;
        slot.Market = _decoder.Market;
        slot.ErrorCode = code;
        slot.ErrorOffset = offset;
    }

    private void PublishOne(long sequence, long receiveNs)
    {
        var now = MonotonicClock.NowNs;
        _ring[sequence].PublishTimestampNs = now;
        PublishedSlots++;
        _ring.Publish(sequence);
        PublishLatency.Record(now - receiveNs);
    }
}
