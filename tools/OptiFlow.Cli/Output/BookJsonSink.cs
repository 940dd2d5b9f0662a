using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Cli.Output;

/// <summary>
/// Prints a book as one JSON line after every N-th applied depth message of a symbol, and once more at the end of
/// the run for each symbol whose last state was not printed:
/// <c>{"symbol":"BTCUSDT","applied":N,"u":U,"E":MS,"bids":[["price","qty"],…],"asks":[…]}</c>, best first.
/// </summary>
internal sealed class BookJsonSink(Utf8OutputBuffer output, SymbolTable symbols, int depth, long every) : ISignalSink
{
    private readonly Dictionary<int, long> _lastPrinted = [];

    public void OnSignal(in SignalEvent signal, OrderBook book)
    {
        if (every > 0 && signal.Applied % every == 0)
        {
            Write(signal.SymbolId, signal.Applied, signal.FinalUpdateId, signal.EventTimeMs, book);
        }
    }

    /// <summary>Prints the final book of every symbol with depth data, unless that exact state was the last printed.</summary>
    public void WriteFinal(MarketCore core)
    {
        foreach (var state in core.Symbols)
        {
            if (state.DepthMessages == 0 && state.Snapshots == 0)
            {
                continue;
            }

            if (_lastPrinted.TryGetValue(state.SymbolId, out var applied) && applied == state.Applied)
            {
                continue;
            }

            Write(state.SymbolId, state.Applied, state.LastAppliedUpdateId, state.LastAppliedEventTimeMs, state.Book);
        }
    }

    private void Write(int symbolId, long applied, long finalUpdateId, long eventTimeMs, OrderBook book)
    {
        _lastPrinted[symbolId] = applied;
        output.Ascii("{\"symbol\":\"");
        output.Bytes(symbols.Utf8NameOf(symbolId));
        output.Ascii("\",\"applied\":");
        output.Integer(applied);
        output.Ascii(",\"u\":");
        output.Integer(finalUpdateId);
        output.Ascii(",\"E\":");
        output.Integer(eventTimeMs);
        output.Ascii(",\"bids\":");
        WriteSide(book.Bids);
        output.Ascii(",\"asks\":");
        WriteSide(book.Asks);
        output.Byte((byte)'}');
        output.EndLine();
    }

    private void WriteSide(PriceLevels side)
    {
        output.Byte((byte)'[');
        var count = Math.Min(depth, side.Count);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                output.Byte((byte)',');
            }

            output.Ascii("[\"");
            output.Fixed(side.PriceAt(i));
            output.Ascii("\",\"");
            output.Fixed(side.QuantityAt(i));
            output.Ascii("\"]");
        }

        output.Byte((byte)']');
    }
}
