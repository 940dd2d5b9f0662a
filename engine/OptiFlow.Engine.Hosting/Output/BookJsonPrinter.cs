using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Hosting.Output;

/// <summary>
/// A consumer of the outbound ring that prints book views as JSON lines, one per view, and once more at the end for
/// each symbol whose last state was not printed (<see cref="WriteFinal"/>):
/// <c>{"symbol":"BTCUSDT","applied":N,"u":U,"E":MS,"bids":[["price","qty"],…],"asks":[…]}</c>, best first, prices and
/// quantities as exact decimals. What <c>optiflow book</c> prints.
/// </summary>
/// <remarks>
/// The core's outbound publisher copies the views (<see cref="OutboundEventKind.BookLevel"/> slots) by
/// <see cref="Policy"/>; this printer runs on its own consumer thread and never touches a book the core owns.
/// <see cref="WriteFinal"/> reads the core's final books on the controlling thread after the session stopped.
/// Allocation-free per view once its level arrays have grown to the depth.
/// </remarks>
public sealed class BookJsonPrinter : IEventHandler<OutboundEvent>
{
    private readonly Utf8OutputBuffer _output;
    private readonly SymbolTable _symbols;
    private readonly int _depth;
    private readonly Dictionary<int, long> _lastPrinted = [];
    private BookLevel[] _levels;
    private int _count;

    /// <summary>Creates the printer.</summary>
    /// <param name="output">Where lines go (not owned).</param>
    /// <param name="symbols">The session's symbol table.</param>
    /// <param name="depth">Levels per side, at least 1.</param>
    /// <param name="every">Print after every N-th applied depth message of a symbol; 0 prints only the final books.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is below 1 or <paramref name="every"/> below 0.</exception>
    public BookJsonPrinter(Utf8OutputBuffer output, SymbolTable symbols, int depth, long every)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(every);
        _output = output;
        _symbols = symbols;
        _depth = depth;
        _levels = new BookLevel[Math.Min(2 * depth, 4096)];
        Policy = every > 0 ? new BookViewPolicy(depth, every) : null;
    }

    /// <summary>The views this printer needs from the core (<see cref="EngineOptions.BookViews"/>), or null when it
    /// prints only the final books.</summary>
    public BookViewPolicy? Policy { get; }

    /// <inheritdoc/>
    public void OnStart()
    {
    }

    /// <inheritdoc/>
    public void OnBatchStart(long firstSequence, long count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Collects the levels of a view and prints it at its last level; skips other records.</remarks>
    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
    {
        if (data.Kind != OutboundEventKind.BookLevel)
        {
            return;
        }

        ref readonly var level = ref data.BookLevel;
        if ((level.Flags & MarketEventFlags.BeginOfMessage) != 0)
        {
            _count = 0;
        }

        if ((level.Flags & MarketEventFlags.EmptyMessage) == 0)
        {
            if (_count == _levels.Length)
            {
                Array.Resize(ref _levels, _levels.Length * 2);
            }

            _levels[_count++] = level;
        }

        if ((level.Flags & MarketEventFlags.EndOfMessage) != 0)
        {
            WriteView(in level);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Flushes the buffer.</remarks>
    public void OnShutdown() => _output.Flush();

    /// <summary>
    /// After the session stopped: prints the final book of every symbol with depth data, unless that exact state was
    /// the last printed, then flushes.
    /// </summary>
    /// <param name="core">The stopped core.</param>
    /// <remarks>Controlling thread, after the printer's thread was joined. Allocates nothing per level.</remarks>
    public void WriteFinal(MarketCore core)
    {
        ArgumentNullException.ThrowIfNull(core);
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

            WriteBook(state.SymbolId, state.Applied, state.LastAppliedUpdateId, state.LastAppliedEventTimeMs, state.Book);
        }

        _output.Flush();
    }

    private void WriteView(in BookLevel last)
    {
        WritePrefix(last.SymbolId, last.Applied, last.FinalUpdateId, last.EventTimeMs);
        _output.Ascii(",\"bids\":");
        _output.Byte((byte)'[');
        var bids = _count == 0 ? 0 : _levels[0].BidCount;
        for (var i = 0; i < bids; i++)
        {
            WriteLevel(i, _levels[i].Price, _levels[i].Quantity);
        }

        _output.Ascii("],\"asks\":[");
        for (var i = bids; i < _count; i++)
        {
            WriteLevel(i - bids, _levels[i].Price, _levels[i].Quantity);
        }

        _output.Ascii("]}");
        _output.EndLine();
    }

    private void WriteBook(int symbolId, long applied, long finalUpdateId, long eventTimeMs, OrderBook book)
    {
        WritePrefix(symbolId, applied, finalUpdateId, eventTimeMs);
        _output.Ascii(",\"bids\":");
        WriteSide(book.Bids);
        _output.Ascii(",\"asks\":");
        WriteSide(book.Asks);
        _output.Byte((byte)'}');
        _output.EndLine();
    }

    private void WritePrefix(int symbolId, long applied, long finalUpdateId, long eventTimeMs)
    {
        _lastPrinted[symbolId] = applied;
        _output.Ascii("{\"symbol\":\"");
        _output.Bytes(_symbols.Utf8NameOf(symbolId));
        _output.Ascii("\",\"applied\":");
        _output.Integer(applied);
        _output.Ascii(",\"u\":");
        _output.Integer(finalUpdateId);
        _output.Ascii(",\"E\":");
        _output.Integer(eventTimeMs);
    }

    private void WriteSide(PriceLevels side)
    {
        _output.Byte((byte)'[');
        var count = Math.Min(_depth, side.Count);
        for (var i = 0; i < count; i++)
        {
            WriteLevel(i, side.PriceAt(i), side.QuantityAt(i));
        }

        _output.Byte((byte)']');
    }

    private void WriteLevel(int index, long price, long quantity)
    {
        if (index > 0)
        {
            _output.Byte((byte)',');
        }

        _output.Ascii("[\"");
        _output.Fixed(price);
        _output.Ascii("\",\"");
        _output.Fixed(quantity);
        _output.Ascii("\"]");
    }
}
