using OptiFlow.Engine.Books;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Outbound;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>Records every outbound record the core emits: signals (with the book's top at that moment) and snapshot requests.</summary>
/// <param name="capacity">Pre-sized so recording allocates nothing until it is exceeded.</param>
internal sealed class RecordingOutboundSink(int capacity = 64) : IOutboundSink
{
    public List<SignalEvent> Signals { get; } = new(capacity);

    public List<(long BestBid, long BestAsk, int BidLevels, int AskLevels)> Tops { get; } = new(capacity);

    public List<SnapshotRequest> Requests { get; } = new(capacity);

    public void OnSignal(in SignalEvent signal, OrderBook book)
    {
        Signals.Add(signal);
        Tops.Add((
            book.Bids.Count > 0 ? book.Bids.PriceAt(0) : 0,
            book.Asks.Count > 0 ? book.Asks.PriceAt(0) : 0,
            book.Bids.Count,
            book.Asks.Count));
    }

    public List<EvaluatorRecord> EvaluatorRecords { get; } = new(capacity);

    public List<Orders.OrderCommand> Orders { get; } = new(capacity);

    public void OnSnapshotRequest(in SnapshotRequest request) => Requests.Add(request);

    public void OnEvaluatorRecord(in EvaluatorRecord record) => EvaluatorRecords.Add(record);

    public void OnOrderCommand(in Orders.OrderCommand command) => Orders.Add(command);
}
