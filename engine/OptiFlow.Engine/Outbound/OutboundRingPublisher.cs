using OptiFlow.Engine.Books;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Outbound;

/// <summary>
/// The core's outbound port: copies every signal, snapshot request, evaluator record and order command into a claimed slot of the outbound ring and
/// publishes it; with a <see cref="BookViewPolicy"/>, also publishes a view of the book (one
/// <see cref="OutboundEventKind.BookLevel"/> slot per level) after the signals it selects, for printers.
/// </summary>
/// <remarks>
/// <code>
///  core thread: MarketCore ─► OutboundRingPublisher ─► [ outbound ring ] ─┬─► outbound journal (DIR/outbound)
///                                                                         ├─► printers (book JSON, signal CSV)
///                                                                         └─► live client's request consumer
/// </code>
/// <para><b>Thread-safety:</b> the core thread is the ring's only producer. <b>Allocation:</b> none per record (claim,
/// struct copy, publish). <b>Back-pressure:</b> when the outbound ring is full the claim waits for the slowest
/// consumer: the core slows rather than drop a record (the outbound stream is complete or the run is slow, never lossy).
/// A book view larger than the ring is published in chunks of at most half the ring.</para>
/// </remarks>
public sealed class OutboundRingPublisher : IOutboundSink
{
    private readonly RingBuffer<OutboundEvent> _ring;
    private readonly BookViewPolicy? _bookViews;
    private readonly int _maxChunk;

    /// <summary>Creates the publisher.</summary>
    /// <param name="ring">The outbound ring; this publisher must be its only producer.</param>
    /// <param name="bookViews">When to publish book views, or null for never.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ring"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bookViews"/> is invalid.</exception>
    public OutboundRingPublisher(RingBuffer<OutboundEvent> ring, BookViewPolicy? bookViews = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        bookViews?.Validate();
        _ring = ring;
        _bookViews = bookViews;
        _maxChunk = Math.Max(1, ring.BufferSize / 2);
    }

    /// <summary>Slots published so far (signals, requests and book levels).</summary>
    /// <remarks>Core thread, or after it was joined.</remarks>
    public long Published { get; private set; }

    /// <inheritdoc/>
    /// <remarks>Core thread only. Allocation-free. Waits while the outbound ring is full.</remarks>
    public void OnSignal(in SignalEvent signal, OrderBook book)
    {
        ref var slot = ref Claim(OutboundEventKind.Signal, out var sequence);
        slot.Flags = (book.Bids.Count == 0 ? OutboundEventFlags.BidSideEmpty : OutboundEventFlags.None)
            | (book.Asks.Count == 0 ? OutboundEventFlags.AskSideEmpty : OutboundEventFlags.None);
        slot.Signal = signal;
        Commit(sequence);
        if (_bookViews is { } views && signal.Applied % views.Every == 0)
        {
            PublishView(in signal, book, views.Depth);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Core thread only. Allocation-free. Waits while the outbound ring is full.</remarks>
    public void OnSnapshotRequest(in SnapshotRequest request)
    {
        ref var slot = ref Claim(OutboundEventKind.SnapshotRequest, out var sequence);
        slot.SnapshotRequest = request;
        Commit(sequence);
    }

    /// <inheritdoc/>
    /// <remarks>Core thread only. Allocation-free. Waits while the outbound ring is full.</remarks>
    public void OnEvaluatorRecord(in EvaluatorRecord record)
    {
        ref var slot = ref Claim(OutboundEventKind.EvaluatorRecord, out var sequence);
        slot.EvaluatorRecord = record;
        Commit(sequence);
    }

    /// <inheritdoc/>
    /// <remarks>Core thread only. Allocation-free. Waits while the outbound ring is full.</remarks>
    public void OnOrderCommand(in OrderCommand command)
    {
        ref var slot = ref Claim(OutboundEventKind.OrderCommand, out var sequence);
        slot.OrderCommand = command;
        Commit(sequence);
    }

    /// <summary>Claims the next slot (waiting while the ring is full) and writes its kind; flags none.</summary>
    private ref OutboundEvent Claim(OutboundEventKind kind, out long sequence)
    {
        sequence = _ring.Next();
        ref var slot = ref _ring[sequence];
        slot.Kind = kind;
        slot.Flags = OutboundEventFlags.None;
        return ref slot;
    }

    private void Commit(long sequence)
    {
        _ring.Publish(sequence);
        Published++;
    }

    private void PublishView(in SignalEvent signal, OrderBook book, int depth)
    {
        var bids = Math.Min(depth, book.Bids.Count);
        var asks = Math.Min(depth, book.Asks.Count);
        var count = bids + asks;
        var header = new BookLevel
        {
            Applied = signal.Applied,
            FinalUpdateId = signal.FinalUpdateId,
            EventTimeMs = signal.EventTimeMs,
            SymbolId = signal.SymbolId,
            LevelCount = count,
            BidCount = bids,
        };
        if (count == 0)
        {
            header.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage;
            var sequence = _ring.Next();
            WriteLevel(ref _ring[sequence], in header);
            _ring.Publish(sequence);
            Published++;
            return;
        }

        var index = 0;
        while (index < count)
        {
            var chunk = Math.Min(count - index, _maxChunk);
            var high = _ring.Next(chunk);
            var low = high - chunk + 1;
            for (var sequence = low; sequence <= high; sequence++, index++)
            {
                ref var level = ref WriteLevel(ref _ring[sequence], in header);
                level.LevelIndex = index;
                var isBid = index < bids;
                var side = isBid ? book.Bids : book.Asks;
                var depthIndex = isBid ? index : index - bids;
                level.Side = isBid ? BookSide.Bid : BookSide.Ask;
                level.Price = side.PriceAt(depthIndex);
                level.Quantity = side.QuantityAt(depthIndex);
                level.Flags = (index == 0 ? MarketEventFlags.BeginOfMessage : MarketEventFlags.None)
                    | (index == count - 1 ? MarketEventFlags.EndOfMessage : MarketEventFlags.None);
            }

            _ring.Publish(low, high);
            Published += chunk;
        }
    }

    private static ref BookLevel WriteLevel(ref OutboundEvent slot, in BookLevel header)
    {
        slot.Kind = OutboundEventKind.BookLevel;
        slot.Flags = OutboundEventFlags.None;
        slot.BookLevel = header;
        return ref slot.BookLevel;
    }
}
