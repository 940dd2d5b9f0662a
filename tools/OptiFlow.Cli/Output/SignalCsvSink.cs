using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Cli.Output;

/// <summary>
/// Writes every signal as a CSV row: <c>symbol,applied,u,E,best_bid,best_ask,mid,obi1,obi5,obi10,wmid</c>; prices as
/// exact decimals, the mid exact (a 9th decimal 5 when the sum is odd), ratios as shortest round-trip doubles.
/// </summary>
internal sealed class SignalCsvSink(Utf8OutputBuffer output, SymbolTable symbols) : ISignalSink
{
    public const string Header = "symbol,applied,u,E,best_bid,best_ask,mid,obi1,obi5,obi10,wmid";

    public void WriteHeader()
    {
        output.Ascii(Header);
        output.EndLine();
    }

    public void OnSignal(in SignalEvent signal, OrderBook book)
    {
        output.Bytes(symbols.Utf8NameOf(signal.SymbolId));
        output.Byte((byte)',');
        output.Integer(signal.Applied);
        output.Byte((byte)',');
        output.Integer(signal.FinalUpdateId);
        output.Byte((byte)',');
        output.Integer(signal.EventTimeMs);
        output.Byte((byte)',');
        if (book.Bids.Count > 0)
        {
            output.Fixed(signal.BestBid);
        }

        output.Byte((byte)',');
        if (book.Asks.Count > 0)
        {
            output.Fixed(signal.BestAsk);
        }

        output.Byte((byte)',');
        if (book.Bids.Count > 0 && book.Asks.Count > 0)
        {
            output.FixedHalf(signal.MidDoubled);
        }

        output.Byte((byte)',');
        output.Ratio(signal.Obi1);
        output.Byte((byte)',');
        output.Ratio(signal.Obi5);
        output.Byte((byte)',');
        output.Ratio(signal.Obi10);
        output.Byte((byte)',');
        output.Ratio(signal.WeightedMid);
        output.EndLine();
    }
}
