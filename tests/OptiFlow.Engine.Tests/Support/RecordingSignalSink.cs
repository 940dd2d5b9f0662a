using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Engine.Tests.Support;

/// <summary>Records every signal the core emits, with the book's top of book at that moment.</summary>
/// <param name="capacity">Pre-sized so recording allocates nothing until it is exceeded.</param>
internal sealed class RecordingSignalSink(int capacity = 64) : ISignalSink
{
    public List<SignalEvent> Signals { get; } = new(capacity);

    public List<(long BestBid, long BestAsk, int BidLevels, int AskLevels)> Tops { get; } = new(capacity);

    public void OnSignal(in SignalEvent signal, OrderBook book)
    {
        Signals.Add(signal);
        Tops.Add((
            book.Bids.Count > 0 ? book.Bids.PriceAt(0) : 0,
            book.Asks.Count > 0 ? book.Asks.PriceAt(0) : 0,
            book.Bids.Count,
            book.Asks.Count));
    }
}
