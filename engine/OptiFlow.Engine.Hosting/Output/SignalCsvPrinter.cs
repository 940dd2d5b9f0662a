using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Hosting.Output;

/// <summary>
/// A consumer of the outbound ring that writes every signal as a CSV row,
/// <c>symbol,applied,u,E,best_bid,best_ask,mid,obi1,obi5,obi10,wmid,wobi10</c>, under a header line: prices as exact decimals
/// (empty for an empty side), the mid exact (a 9th decimal 5 when bid + ask is odd; empty unless both sides exist),
/// ratios as shortest round-trip doubles. What <c>optiflow signals</c> prints.
/// </summary>
/// <remarks>
/// Runs on its own consumer thread (<see cref="EngineOptions.OutboundHandlers"/>), never on the core's: the core only
/// copies the signal into the outbound ring. Allocation-free per row once the buffer has grown. The header is written
/// when the thread starts; the buffer is flushed when it stops. Not thread-safe beyond that hand-over.
/// </remarks>
/// <param name="output">Where rows go (not owned).</param>
/// <param name="symbols">The session's symbol table (names by id).</param>
public sealed class SignalCsvPrinter(Utf8OutputBuffer output, SymbolTable symbols) : IEventHandler<OutboundEvent>
{
    /// <summary>The header line.</summary>
    public const string Header = "symbol,applied,u,E,best_bid,best_ask,mid,obi1,obi5,obi10,wmid,wobi10";

    /// <summary>Rows written.</summary>
    public long Rows { get; private set; }

    /// <inheritdoc/>
    /// <remarks>Writes the header line.</remarks>
    public void OnStart()
    {
        output.Ascii(Header);
        output.EndLine();
    }

    /// <inheritdoc/>
    public void OnBatchStart(long firstSequence, long count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Writes a row for a <see cref="OutboundEventKind.Signal"/> record; skips the rest.</remarks>
    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
    {
        if (data.Kind != OutboundEventKind.Signal)
        {
            return;
        }

        ref readonly var signal = ref data.Signal;
        var hasBid = (data.Flags & OutboundEventFlags.BidSideEmpty) == 0;
        var hasAsk = (data.Flags & OutboundEventFlags.AskSideEmpty) == 0;
        Write(in signal, hasBid, hasAsk);
    }

    /// <inheritdoc/>
    /// <remarks>Flushes the buffer.</remarks>
    public void OnShutdown() => output.Flush();

    private void Write(in SignalEvent signal, bool hasBid, bool hasAsk)
    {
        output.Bytes(symbols.Utf8NameOf(signal.SymbolId));
        output.Byte((byte)',');
        output.Integer(signal.Applied);
        output.Byte((byte)',');
        output.Integer(signal.FinalUpdateId);
        output.Byte((byte)',');
        output.Integer(signal.EventTimeMs);
        output.Byte((byte)',');
        if (hasBid)
        {
            output.Fixed(signal.BestBid);
        }

        output.Byte((byte)',');
        if (hasAsk)
        {
            output.Fixed(signal.BestAsk);
        }

        output.Byte((byte)',');
        if (hasBid && hasAsk)
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
        output.Byte((byte)',');
        output.Ratio(signal.Wobi10);
        output.EndLine();
        Rows++;
    }
}
