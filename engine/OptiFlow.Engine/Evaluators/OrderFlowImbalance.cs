using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// Order-flow imbalance (OFI) of the best quotes, per symbol, summed over the last <see cref="Window"/> best-quote
/// updates: Cont, Kukanov and Stoikov, "The Price Impact of Order Book Events", Journal of Financial Econometrics
/// 12(1), 2014, equation (2).
/// </summary>
/// <remarks>
/// <para>
/// For the <c>n</c>-th best-quote update of a symbol (bid price and quantity <c>P^b, q^b</c>, ask <c>P^a, q^a</c>):
/// <c>e_n = q^b_n·1{P^b_n ≥ P^b_{n−1}} − q^b_{n−1}·1{P^b_n ≤ P^b_{n−1}} − q^a_n·1{P^a_n ≤ P^a_{n−1}} + q^a_{n−1}·1{P^a_n ≥ P^a_{n−1}}</c>;
/// <c>OFI = Σ e</c> over the last <see cref="Window"/> updates (fewer until that many). A positive OFI is net buying
/// pressure at the top of the book. Feed it every best-quote update: a <c>bookTicker</c>, or the top of book after each
/// applied depth message (an update that leaves both best levels as they were gives <c>e = 0</c> and still counts).
/// </para>
/// <para>
/// <b>Numbers.</b> Prices and quantities are 10⁻⁸ units; <c>e_n</c> and the window sum are exact <see cref="Int128"/>
/// counts of 10⁻⁸ base units (no rounding, no overflow).
/// </para>
/// <para>
/// <b>Gaps.</b> The first update of a symbol has no predecessor and gives no <c>e</c>; so does the first update after
/// <see cref="Reset"/> (call it when the book is resynced) or after a quote with an empty side (price or quantity not
/// positive), which also clears the window: the formula compares consecutive quotes of one continuous book.
/// </para>
/// <para>
/// <b>Thread-safety:</b> none; one feeding thread. <b>Allocation:</b> the constructor allocates
/// <c>symbolCapacity × (Window + 6)</c> words; <see cref="OnTopOfBook"/> allocates nothing.
/// </para>
/// </remarks>
public sealed class OrderFlowImbalance
{
    private readonly long[] _bidPrice;
    private readonly long[] _bidQuantity;
    private readonly long[] _askPrice;
    private readonly long[] _askQuantity;
    private readonly long[] _updates;
    private readonly Int128[] _events;
    private readonly Int128[] _windowSum;

    /// <summary>Creates the per-symbol state.</summary>
    /// <param name="symbolCapacity">Symbol ids run from 0 to <paramref name="symbolCapacity"/> − 1.</param>
    /// <param name="window">Updates summed, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive capacity or window, or a state too large for an array.</exception>
    public OrderFlowImbalance(int symbolCapacity, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        if ((long)symbolCapacity * window > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"{symbolCapacity} symbols × {window} updates is more state than an array holds.");
        }

        SymbolCapacity = symbolCapacity;
        Window = window;
        _bidPrice = new long[symbolCapacity];
        _bidQuantity = new long[symbolCapacity];
        _askPrice = new long[symbolCapacity];
        _askQuantity = new long[symbolCapacity];
        _updates = new long[symbolCapacity];
        _events = new Int128[symbolCapacity * window];
        _windowSum = new Int128[symbolCapacity];
    }

    /// <summary>Symbol ids accepted: 0 to this − 1.</summary>
    public int SymbolCapacity { get; }

    /// <summary>Updates summed per symbol.</summary>
    public int Window { get; }

    /// <summary>The symbol's OFI: the sum of its last <see cref="Window"/> <c>e_n</c>, 10⁻⁸ base units.</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <returns>The sum; 0 before the second quote.</returns>
    public Int128 Value(int symbolId) => _windowSum[symbolId];

    /// <summary>The symbol's <c>e_n</c> so far since the last gap (at most <see cref="Window"/> of them are summed).</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <returns>The count.</returns>
    public long Events(int symbolId) => _updates[symbolId] > 0 ? _updates[symbolId] - 1 : 0;

    /// <summary>Takes the symbol's best quote after an update; adds <c>e_n</c> to the window.</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <param name="bidPrice">Best bid price, 10⁻⁸ units.</param>
    /// <param name="bidQuantity">Best bid quantity, 10⁻⁸ base units.</param>
    /// <param name="askPrice">Best ask price, 10⁻⁸ units.</param>
    /// <param name="askQuantity">Best ask quantity, 10⁻⁸ base units.</param>
    /// <param name="e">This update's <c>e_n</c>, 10⁻⁸ base units; 0 when there is none.</param>
    /// <returns>True when the update had a predecessor and gave an <c>e_n</c>; false for a symbol's first quote, after a gap, or for a quote with an empty side.</returns>
    /// <remarks>Allocation-free; one feeding thread.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The symbol id is out of range.</exception>
    public bool OnTopOfBook(int symbolId, long bidPrice, long bidQuantity, long askPrice, long askQuantity, out Int128 e)
    {
        if ((uint)symbolId >= (uint)SymbolCapacity)
        {
            ThrowSymbol(symbolId);
        }

        e = 0;
        if (bidPrice <= 0 || bidQuantity <= 0 || askPrice <= 0 || askQuantity <= 0)
        {
            Reset(symbolId);
            return false;
        }

        var n = _updates[symbolId]++;
        if (n > 0)
        {
            var previousBid = _bidPrice[symbolId];
            var previousAsk = _askPrice[symbolId];
            if (bidPrice >= previousBid)
            {
                e += bidQuantity;
            }

            if (bidPrice <= previousBid)
            {
                e -= _bidQuantity[symbolId];
            }

            if (askPrice <= previousAsk)
            {
                e -= askQuantity;
            }

            if (askPrice >= previousAsk)
            {
                e += _askQuantity[symbolId];
            }

            ref var slot = ref _events[(symbolId * Window) + (int)((n - 1) % Window)];
            _windowSum[symbolId] += e - slot; // the slot holds e_{n−Window}, or 0 while the window fills
            slot = e;
        }

        _bidPrice[symbolId] = bidPrice;
        _bidQuantity[symbolId] = bidQuantity;
        _askPrice[symbolId] = askPrice;
        _askQuantity[symbolId] = askQuantity;
        return n > 0;
    }

    /// <summary>Forgets the symbol's previous quote and clears its window (a resync or gap: the next quote has no predecessor).</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <remarks>Allocation-free; one feeding thread.</remarks>
    public void Reset(int symbolId)
    {
        _updates[symbolId] = 0;
        _windowSum[symbolId] = 0;
        Array.Clear(_events, symbolId * Window, Window);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowSymbol(int symbolId) =>
        throw new ArgumentOutOfRangeException(nameof(symbolId), symbolId, $"Symbol ids run from 0 to {SymbolCapacity - 1}.");
}
