namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// <c>LOT_SIZE</c> or <c>MARKET_LOT_SIZE</c>: <c>minQty</c>, <c>maxQty</c>, <c>stepSize</c>, each in 10⁻⁸ units
/// (binance.md §4.3, <c>[S-FLT]</c>, <c>[F-CD]</c>). A field equal to 0 disables its rule (spot BTCUSDT
/// <c>MARKET_LOT_SIZE</c> has <c>stepSize "0.00000000"</c>, <c>[D-SXI]</c>). Immutable; thread-safe; no allocation.
/// </summary>
/// <param name="MinQty">Smallest quantity, 10⁻⁸ units; 0 = no minimum.</param>
/// <param name="MaxQty">Largest quantity, 10⁻⁸ units (up to 92233720368 in the data); 0 = no maximum.</param>
/// <param name="StepSize">Quantity increment, 10⁻⁸ units; 0 = any increment.</param>
public readonly record struct LotSizeFilter(long MinQty, long MaxQty, long StepSize);
