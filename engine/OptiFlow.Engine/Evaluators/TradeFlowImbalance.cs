using System.Runtime.CompilerServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// Trade-flow imbalance (TFI) over the last <see cref="Window"/> trades of each symbol:
/// <c>(buy volume − sell volume) / (buy volume + sell volume)</c>, the aggressor side read from Binance's <c>m</c>
/// (buyer is maker → a sell). The trade-side counterpart of the order-flow imbalance of Cont, Kukanov and Stoikov,
/// "The Price Impact of Order Book Events", Journal of Financial Econometrics 12(1), 2014 (see <see cref="OrderFlowImbalance"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Numbers.</b> Quantities are 10⁻⁸ base units; the window's buy and sell sums are exact <see cref="Int128"/>s, and
/// the ratio is one rounding of each sum to <see cref="double"/> and one division
/// (<see cref="ImbalanceEvaluator.Imbalance"/>, as OBI). In [−1, 1]; NaN before the symbol's first non-zero trade.
/// </para>
/// <para>
/// <b>Thread-safety:</b> none; one feeding thread. <b>Allocation:</b> the constructor allocates
/// <c>symbolCapacity × (Window + 5)</c> words; <see cref="OnTrade"/> allocates nothing.
/// </para>
/// </remarks>
public sealed class TradeFlowImbalance
{
    private readonly long[] _signed;
    private readonly long[] _trades;
    private readonly Int128[] _buy;
    private readonly Int128[] _sell;

    /// <summary>Creates the per-symbol state.</summary>
    /// <param name="symbolCapacity">Symbol ids run from 0 to <paramref name="symbolCapacity"/> − 1.</param>
    /// <param name="window">Trades in the window <c>K</c>, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive capacity or window, or a state too large for an array.</exception>
    public TradeFlowImbalance(int symbolCapacity, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        if ((long)symbolCapacity * window > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"{symbolCapacity} symbols × {window} trades is more state than an array holds.");
        }

        SymbolCapacity = symbolCapacity;
        Window = window;
        _signed = new long[symbolCapacity * window];
        _trades = new long[symbolCapacity];
        _buy = new Int128[symbolCapacity];
        _sell = new Int128[symbolCapacity];
    }

    /// <summary>Symbol ids accepted: 0 to this − 1.</summary>
    public int SymbolCapacity { get; }

    /// <summary>Trades in the window <c>K</c>.</summary>
    public int Window { get; }

    /// <summary>Buyer-initiated volume of the symbol's window, 10⁻⁸ base units.</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <returns>The sum.</returns>
    public Int128 BuyVolume(int symbolId) => _buy[symbolId];

    /// <summary>Seller-initiated volume of the symbol's window, 10⁻⁸ base units.</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <returns>The sum.</returns>
    public Int128 SellVolume(int symbolId) => _sell[symbolId];

    /// <summary>The symbol's TFI over its window.</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <returns>The ratio in [−1, 1]; NaN when the window holds no volume.</returns>
    public double Value(int symbolId) => ImbalanceEvaluator.Imbalance(_buy[symbolId], _sell[symbolId]);

    /// <summary>Adds one trade to its symbol's window (dropping the trade <see cref="Window"/> before it) and returns the TFI.</summary>
    /// <param name="symbolId">A symbol id below <see cref="SymbolCapacity"/>.</param>
    /// <param name="quantity">Traded quantity, 10⁻⁸ base units, not negative.</param>
    /// <param name="buyerIsMaker">Binance <c>m</c>: true for a seller-initiated trade.</param>
    /// <returns>The TFI over the window now.</returns>
    /// <remarks>Allocation-free; one feeding thread.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The symbol id is out of range or the quantity is negative.</exception>
    public double OnTrade(int symbolId, long quantity, bool buyerIsMaker)
    {
        if ((uint)symbolId >= (uint)SymbolCapacity || quantity < 0)
        {
            ThrowBadTrade(symbolId, quantity);
        }

        var n = _trades[symbolId]++;
        ref var slot = ref _signed[(symbolId * Window) + (int)(n % Window)];
        if (slot > 0)
        {
            _buy[symbolId] -= slot;
        }
        else
        {
            _sell[symbolId] += slot; // slot is −(sell quantity), or 0 while the window fills
        }

        if (buyerIsMaker)
        {
            _sell[symbolId] += quantity;
            slot = -quantity;
        }
        else
        {
            _buy[symbolId] += quantity;
            slot = quantity;
        }

        return Value(symbolId);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadTrade(int symbolId, long quantity) =>
        throw new ArgumentOutOfRangeException(
            (uint)symbolId >= (uint)SymbolCapacity ? nameof(symbolId) : nameof(quantity),
            $"Symbol id {symbolId} (capacity {SymbolCapacity}) and quantity {quantity} (not negative) are required.");
}
